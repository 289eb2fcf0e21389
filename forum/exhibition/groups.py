"""Exhibitors, a group the organizer can write to (forum.messaging.groups): the contact person
and the registered members of each approved group, or only of those given a stand."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.exhibition.models import ExhibitorApplication, ExhibitorMember, Stand
from forum.messaging.groups import Group
from forum.people.models import Registration


def _choices(forum) -> list[tuple[str, str]]:
    return [("approved", _("Approved groups")), ("with_stand", _("Groups with a stand"))]


def _condition(forum, value: str) -> sa.ColumnElement[bool] | None:
    if value not in ("approved", "with_stand"):
        return None
    applications = sa.select(ExhibitorApplication.id).where(ExhibitorApplication.forum_id == forum.id,
                                                            ExhibitorApplication.status == "approved")
    if value == "with_stand":
        applications = applications.where(ExhibitorApplication.id.in_(
            sa.select(Stand.application_id).where(Stand.forum_id == forum.id, Stand.application_id.is_not(None))))
    contacts = sa.select(ExhibitorApplication.registration_id).where(ExhibitorApplication.id.in_(applications),
                                                                     ExhibitorApplication.registration_id.is_not(None))
    members = sa.select(ExhibitorMember.registration_id).where(ExhibitorMember.application_id.in_(applications),
                                                               ExhibitorMember.registration_id.is_not(None))
    return Registration.id.in_(sa.union(contacts, members))


groups = [Group("exhibitors", _l("Exhibitors"), _choices, _condition, order=50)]
