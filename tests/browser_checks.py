"""Checks of what a browser test's page shows, made the way Playwright waits for them."""
from __future__ import annotations

from playwright.sync_api import Locator, expect


def expect_picture_shown(image: Locator) -> None:
    """The picture has loaded and decoded. Pictures load lazily (loading="lazy"), so the page's
    load event does not wait for them: it is brought on screen and waited for, and an image
    that failed to load is complete too, so its width tells it shows."""
    image.scroll_into_view_if_needed()
    expect(image).to_have_js_property("complete", True)
    assert image.evaluate("img => img.naturalWidth > 0")
