"""An organizer makes a token for a door phone in a real Chromium, copies it once, then
revokes it: the browser asks first (data-confirm, no inline script under the CSP), a
dismissed question revokes nothing, and the revoked token gets 401."""
import urllib.error
import urllib.request

from tests.factories import PASSWORD, make_user


def _me(url: str, token: str) -> int:
    request = urllib.request.Request(f"{url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_organizer_makes_a_token_and_revokes_it_after_confirming(live_server, page, forum):
    # roles are per forum: the organizer hands out tokens to the team of a forum they organize
    organizer = make_user("organizer")
    make_user("staff", email="door@forum.example")
    page.goto(f"{live_server.url}/auth/login")
    page.fill("#email", organizer.email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/manage/")
    page.get_by_role("button", name="Токены API").click()  # a link styled as a button

    page.select_option("#user_id", label="door <door@forum.example>")
    page.fill("#name", "телефон у входа 3")
    page.get_by_role("button", name="Создать токен").click()
    token = page.locator("code[data-token]").inner_text()
    assert _me(live_server.url, token) == 200

    revoke = page.get_by_role("button", name="Отозвать")
    page.once("dialog", lambda dialog: dialog.dismiss())  # changed their mind
    revoke.click()
    assert _me(live_server.url, token) == 200 and revoke.is_visible()

    page.once("dialog", lambda dialog: dialog.accept())
    revoke.click()
    page.wait_for_selector("text=отозван")
    assert _me(live_server.url, token) == 401
