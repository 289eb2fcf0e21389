"""The organizer's dashboard in a real Chromium the size of a cheap Android phone, on the demo
forum: it fits the screen, its charts are drawn, it prints without the buttons, and one click
downloads the report."""
from pathlib import Path

from tests.checkin_fixtures import pdf_text


def test_organizer_reads_the_dashboard_on_a_phone_prints_it_and_downloads_the_report(demo_live_server, page):
    page.goto(f"{demo_live_server.url}/auth/login")
    page.fill("#email", "organizer@forum.example")
    page.fill("#password", "isfara-2011")
    page.get_by_role("button", name="Войти").click()
    page.wait_for_url("**/manage/")
    page.goto(f"{demo_live_server.url}/manage/isfara-2011/")
    page.wait_for_load_state("load")

    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    charts = page.locator("svg.chart")
    assert charts.count() == 3
    for index in range(3):
        box = charts.nth(index).bounding_box()
        assert 250 < box["width"] <= 360 and box["height"] > 80
    assert page.get_by_role("img", name="Участники по районам").is_visible()
    registered = page.locator('[data-figure="registered"] dd')
    assert registered.inner_text() == "419"

    # A link in "waiting to be handled" leads to where it is handled.
    page.get_by_role("link", name="4 рисунков ждут проверки").click()
    page.wait_for_url("**/manage/isfara-2011/drawings")
    page.goto(f"{demo_live_server.url}/manage/isfara-2011/")
    report_link = page.get_by_role("button", name="Отчёт (PDF)")  # a link styled as a button
    assert report_link.is_visible()

    # On paper: the buttons go, the figures and charts stay.
    page.emulate_media(media="print")
    assert not report_link.is_visible()
    assert charts.first.is_visible() and registered.is_visible()
    page.emulate_media(media="screen")

    with page.expect_download() as download:
        report_link.click()
    assert download.value.suggested_filename == "isfara-2011-report-ru.pdf"
    text = pdf_text(Path(download.value.path()).read_bytes())
    assert "Форум в цифрах" in text and "Зарегистрировано (ожидалось)\n419\n" in text
