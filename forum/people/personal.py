"""Sections of a participant's private page /r/<token>.

Feature packages add their own section (badge, schedule, RSVPs, products…) with
`register_panel`, so the page grows without this package importing them. A panel is a
function taking the Registration and returning HTML (Markup) or None to show nothing.
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup

Panel = Callable[[object], Markup | str | None]
_panels: list[tuple[int, str, Panel]] = []


def register_panel(name: str, panel: Panel, order: int = 100) -> None:
    if all(existing != name for _o, existing, _p in _panels):
        _panels.append((order, name, panel))
        _panels.sort(key=lambda item: item[0])


def render_panels(registration) -> list[Markup]:
    rendered = []
    for _order, _name, panel in _panels:
        html = panel(registration)
        if html:
            rendered.append(Markup(html))
    return rendered
