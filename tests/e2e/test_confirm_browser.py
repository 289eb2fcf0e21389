"""Publishing a forum in a real Chromium: the browser asks first (data-confirm, page.js), a
dismissed question changes nothing, an accepted one publishes in one step (page.js tells the
server it was confirmed, so no second question)."""
from forum.events.lookup import forum_by_slug
from forum.extensions import db
from tests.factories import PASSWORD, make_forum, make_user


def test_organizer_publishes_after_the_browser_asks(live_server, page, app):
    make_forum(slug="draft-forum", status="draft")
    organizer = make_user("organizer")
    page.goto(f"{live_server.url}/auth/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/manage/")
    page.goto(f"{live_server.url}/manage/draft-forum/")
    publish = page.get_by_role("button", name="Опубликовать")
    questions = []

    def dismiss(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    publish.click()
    assert questions and questions[0].startswith("Опубликовать форум?")
    assert publish.is_visible()
    db.session.expire_all()
    assert forum_by_slug("draft-forum").status == "draft"

    page.once("dialog", lambda dialog: dialog.accept())
    publish.click()
    page.wait_for_selector("text=Статус форума: Опубликован")
    assert "Подтвердите" not in page.content()  # no second question from the server
    db.session.expire_all()
    assert forum_by_slug("draft-forum").status == "published"
