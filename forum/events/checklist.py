"""What is still to do before a forum can happen (the page a copy ends on): the forum's own
items here, and the items feature packages add through their copying module's `checklist`."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext

from forum import clock
from forum.events.copying import Todo, feature_todos
from forum.events.models import Forum
from forum.i18n import local_time


def checklist(forum: Forum, now: datetime | None = None) -> list[Todo]:
    """Each item ticked when done: the date is not past (at `now`, default the app's clock),
    partners are named, self-registration is open, invitations went out (messaging), the forum
    is published."""
    now = now or clock.now()
    zone = ZoneInfo(forum.timezone)
    upcoming = forum.starts_at.astimezone(zone).date() >= now.astimezone(zone).date()
    when = local_time(forum.starts_at, forum.timezone, "d MMMM y, HH:mm") + "–" + local_time(
        forum.ends_at, forum.timezone, "HH:mm")
    partners = len(forum.partners)
    todos = [
        Todo(_("Date and hours"), upcoming, "events_manage.edit_forum",
             when if upcoming else _("%(when)s: this date has passed", when=when), order=10),
        Todo(_("Partners"), partners > 0, "events_manage.edit_forum",
             ngettext("%(num)d partner", "%(num)d partners", partners) if partners else _("none named"), order=20),
        Todo(_("Self-registration open"), forum.registration_open, "events_manage.edit_forum",
             _("open") if forum.registration_open else _("closed"), order=25),
        Todo(_("Published"), forum.status == "published", "events_manage.overview",
             _("yes") if forum.status == "published" else _("no"), order=90),
    ]
    todos.extend(feature_todos(forum))
    return sorted(todos, key=lambda todo: todo.order)
