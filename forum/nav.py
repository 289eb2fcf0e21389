"""Tabs on an organizer's forum pages. Each feature package registers its own tab when its
routes are imported, so the manage pages link to features without importing them."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from markupsafe import Markup


@dataclass(frozen=True)
class Tab:
    endpoint: str  # takes `slug`
    label: object  # a lazy_gettext string
    roles: tuple[str, ...] = ("organizer",)
    order: int = 100


_tabs: list[Tab] = []


def register_forum_tab(endpoint: str, label, roles: tuple[str, ...] = ("organizer",), order: int = 100) -> None:
    if all(t.endpoint != endpoint for t in _tabs):
        _tabs.append(Tab(endpoint, label, roles, order))
        _tabs.sort(key=lambda t: t.order)


def forum_tabs(user, forum) -> list[Tab]:
    """The tabs of `forum` for the user's role there."""
    role = user.role_at(forum) if user.is_authenticated else None
    return [t for t in _tabs if role in t.roles]


@dataclass(frozen=True)
class PublicLink:
    endpoint: str  # takes `slug`
    label: object
    activity: str | None = None  # shown only when the forum has this activity
    order: int = 100


_public_links: list[PublicLink] = []


def register_public_link(endpoint: str, label, activity: str | None = None, order: int = 100) -> None:
    """A link on a forum's public landing page (agenda, exhibitors, jobs…)."""
    if all(link.endpoint != endpoint for link in _public_links):
        _public_links.append(PublicLink(endpoint, label, activity, order))
        _public_links.sort(key=lambda link: link.order)


def public_links(forum) -> list[PublicLink]:
    return [link for link in _public_links if link.activity is None or link.activity in forum.activities]


# Where each role lands after logging in; a feature that gives a role its own area says so.
_role_homes: dict[str, str] = {"organizer": "events_manage.forums", "admin": "events_manage.forums"}


def register_role_home(role: str, endpoint: str) -> None:
    _role_homes[role] = endpoint


def role_home(role: str) -> str:
    return _role_homes.get(role, "events.index")


@dataclass(frozen=True)
class HeaderLink:
    endpoint: str  # takes no arguments
    label: object  # a lazy_gettext string
    roles: tuple[str, ...]


_header_links: list[HeaderLink] = []


def register_header_link(endpoint: str, label, roles: tuple[str, ...]) -> None:
    """A link in the site header for users of these roles (staff: their scanner; jury: their queue)."""
    if all(link.endpoint != endpoint for link in _header_links):
        _header_links.append(HeaderLink(endpoint, label, roles))


def header_links(user) -> list[HeaderLink]:
    return [link for link in _header_links if user.is_authenticated and user.has_role(*link.roles)]


# Blocks of a forum's overview page /manage/<slug>/ (the reports package adds the dashboard):
# a function taking the Forum and returning HTML, or None to show nothing.
_overview_panels: list[tuple[int, str, Callable]] = []


def register_overview_panel(name: str, panel: Callable, order: int = 100) -> None:
    if all(existing != name for _o, existing, _p in _overview_panels):
        _overview_panels.append((order, name, panel))
        _overview_panels.sort(key=lambda item: item[0])


def overview_panels(forum) -> list[Markup]:
    return [Markup(html) for _order, _name, panel in _overview_panels if (html := panel(forum))]
