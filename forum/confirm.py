"""Confirmation before a destructive or bulk action, with or without JavaScript.

A form marked `data-confirm="question"` asks in the browser (forum/static/js/page.js), which
then adds `confirmed=1` to what it sends. A route whose action must never happen unasked
checks `confirmed()`; without it (no JavaScript, an old page, a script posting) it answers
`ask()`: a page with the question and the same form again, confirmed, or a way back.
"""
from __future__ import annotations

from flask import render_template, request

CONFIRMED = "confirmed"


def confirmed() -> bool:
    return request.form.get(CONFIRMED) == "1"


def ask(forum, question: str, action: str, back: str, danger: bool = False):
    """The confirmation page: `question`, a button `action` that sends the same form again
    (every field as it came, with a fresh CSRF token), and a link `back`."""
    fields = [(name, value) for name, value in request.form.items(multi=True)
              if name not in ("csrf_token", CONFIRMED)]
    return render_template("confirm.html", forum=forum, question=question, action=action, back=back,
                           fields=fields, target=request.path, danger=danger)
