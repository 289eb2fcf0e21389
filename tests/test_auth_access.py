"""Every route declares who may use it, and anonymous visitors are refused everywhere else."""
import re

import pytest
from flask import Blueprint
from werkzeug.routing import IntegerConverter

from config import TestConfig
from forum import create_app
from forum.auth.access import PUBLIC
from tests.factories import make_user


def _sample_url(rule) -> str:
    """A URL for a rule with placeholder values: ints become 1, strings a plausible slug."""
    values = {}
    for name, converter in rule._converters.items():
        values[name] = 1 if isinstance(converter, IntegerConverter) else "isfara-test"
    return rule.build(values, append_unknown=False)[1]


def _protected_rules(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if rule.endpoint == "static" or getattr(view, "access", None) == PUBLIC:
            continue
        yield rule


def test_every_route_declares_access(app):
    for endpoint, view in app.view_functions.items():
        assert endpoint == "static" or hasattr(view, "access"), endpoint


def test_a_route_without_declaration_stops_the_app(monkeypatch, tmp_path):
    bp = Blueprint("forgotten", __name__)

    @bp.route("/forgotten")
    def forgotten():
        return "oops"

    import types

    module = types.ModuleType("forum_test_forgotten")
    module.bp = bp
    monkeypatch.setitem(__import__("sys").modules, "forum_test_forgotten", module)
    monkeypatch.setattr("forum.BLUEPRINT_MODULES", ["forum_test_forgotten", *__import__("forum").BLUEPRINT_MODULES])
    with pytest.raises(RuntimeError, match="forgotten"):
        create_app(TestConfig(database_url=f"sqlite:///{tmp_path / 'x.db'}"))


def test_anonymous_visitor_is_refused_by_every_non_public_route(app, client, forum):
    checked = 0
    for rule in _protected_rules(app):
        url = _sample_url(rule)
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        response = client.open(url, method=method)
        if rule.rule.startswith("/api/"):
            assert response.status_code == 401, (rule.rule, response.status_code)
            assert response.is_json and response.json["error"]["code"] == "unauthorized"
        else:
            assert response.status_code == 302, (rule.rule, response.status_code)
            assert "/auth/login" in response.headers["Location"], rule.rule
        checked += 1
    assert checked >= 10  # the walk really covered the manage pages


@pytest.mark.parametrize("role", ["staff", "employer", "jury"])
def test_organizer_pages_refuse_other_roles(app, client, auth, forum, role):
    auth.login(role)
    for rule in _protected_rules(app):
        view = app.view_functions[rule.endpoint]
        if rule.rule.startswith("/api/") or role in view.access:
            continue
        method = "GET" if "GET" in rule.methods else sorted(rule.methods - {"OPTIONS", "HEAD"})[0]
        response = client.open(_sample_url(rule), method=method)
        assert response.status_code == 403, (rule.rule, role, response.status_code)


def test_login_with_wrong_password_says_so_and_stays_out(client, app):
    make_user("organizer")
    response = client.post("/auth/login", data={"email": "organizer@forum.example", "password": "nope"},
                           headers={"Accept-Language": "ru"})
    assert response.status_code == 200
    assert "Неверная эл. почта или пароль." in response.get_data(as_text=True)
    assert client.get("/manage/").status_code == 302


def test_login_redirect_never_leaves_the_site(client, app):
    make_user("organizer")
    response = client.post("/auth/login?next=https://evil.example/", data={
        "email": "organizer@forum.example", "password": "correct horse battery"})
    assert response.headers["Location"] == "/manage/"


def test_login_is_rate_limited(tmp_path):
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}")
    config.RATELIMIT_ENABLED = True
    app = create_app(config)
    with app.app_context():
        from forum.extensions import db

        db.create_all()
        client = app.test_client()
        codes = [client.post("/auth/login", data={"email": "a@b.example", "password": "x"}).status_code
                 for _ in range(12)]
    assert codes[:10] == [200] * 10
    assert codes[-1] == 429


def test_logout_needs_post(client, auth):
    auth.login("organizer")
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 302
    assert client.get("/manage/").status_code == 302


def test_inactive_user_cannot_log_in(client, app):
    from forum.extensions import db

    user = make_user("staff")
    user.active = False
    db.session.commit()
    response = client.post("/auth/login", data={"email": user.email, "password": "correct horse battery"})
    assert response.status_code == 200
    assert re.search(r"flash-error", response.get_data(as_text=True))


def test_login_limit_is_shared_by_processes_through_redis(tmp_path):
    """Two app instances (two gunicorn workers) count one visitor's attempts together."""
    import os

    url = os.environ.get("FORUM_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis tests need FORUM_TEST_REDIS_URL (CI sets it)")
    import redis

    redis.Redis.from_url(url).flushdb()
    apps = []
    for _ in range(2):
        config = TestConfig(database_url=f"sqlite:///{tmp_path / 'shared.db'}")
        config.RATELIMIT_ENABLED = True
        config.RATELIMIT_STORAGE_URI = url
        apps.append(create_app(config))
    with apps[0].app_context():
        from forum.extensions import db

        db.create_all()
    codes = []
    for attempt in range(12):
        app = apps[attempt % 2]
        with app.app_context():
            codes.append(app.test_client().post("/auth/login", data={"email": "a@b.example", "password": "x"}).status_code)
    assert codes[:10] == [200] * 10 and codes[-1] == 429
