"""The app remembers which hooks and views need an event loop (Flask asks on every request):
the answers are Flask's own, and what it keeps stays bounded."""
from __future__ import annotations

import re

import pytest
from flask import Flask

import forum


def test_ensure_sync_answers_as_flask_does_and_keeps_a_bounded_memory(app, monkeypatch):
    def view():
        return "ok"

    async def coroutine_view():
        return "ok"

    asked = []
    flask_answer = Flask.ensure_sync
    monkeypatch.setattr(Flask, "ensure_sync", lambda self, func: (asked.append(func), flask_answer(self, func))[1])
    assert app.ensure_sync(view) is view and app.ensure_sync(view) is view
    assert asked == [view]  # Flask (and inspect) asked once, the second answer remembered
    plain = Flask(__name__)
    try:
        expected = flask_answer(plain, coroutine_view)
    except RuntimeError as error:  # Flask without its async extra says so, and so does the app
        with pytest.raises(RuntimeError, match=re.escape(str(error))):
            app.ensure_sync(coroutine_view)
    else:
        assert type(app.ensure_sync(coroutine_view)) is type(expected)
    monkeypatch.setattr(forum, "_SYNC_KEPT", len(app._sync))
    assert app.ensure_sync(lambda: "new") is not None and len(app._sync) == forum._SYNC_KEPT
