"""Who may pass a checkpoint: rules by name.

Three rules are built in: "all", "categories" (the checkpoint's listed categories) and
"list" (its explicit allow-list of registrations). Another package adds its own rule without
this package importing it:

    from forum.checkin.rules import register_rule
    register_rule("roundtable_invitees", _l("Confirmed round-table invitees"),
                  allows=lambda checkpoint, registration: …,      # bool
                  expected=lambda checkpoint: select(Registration.id)…)  # optional, for the live board

A rule answers for one registration at the door (`allows`) and, when it can, says which
registrations it admits (`expected`: a select of registration ids, status aside), for the
live board and for the phones' roster. The two must agree: `expected` selects exactly the
registrations for which `allows` is true (tests/test_checkin_roster.py checks every rule).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from forum.extensions import db


@dataclass(frozen=True)
class Rule:
    name: str
    label: object  # lazy_gettext string, shown when choosing a checkpoint's rule
    allows: Callable[[object, object], bool]  # (checkpoint, registration) -> may pass
    expected: Callable[[object], sa.Select] | None = None  # checkpoint -> select of registration ids


_rules: dict[str, Rule] = {}


def register_rule(name: str, label, allows: Callable[[object, object], bool],
                  expected: Callable[[object], sa.Select] | None = None) -> None:
    """Add (or replace) a rule; call it at import of your package's routes or models."""
    _rules[name] = Rule(name, label, allows, expected)


def get_rule(name: str) -> Rule | None:
    return _rules.get(name)


def rules() -> list[Rule]:
    return list(_rules.values())


def _registrations():
    from forum.people.models import Registration

    return Registration


def _all_expected(checkpoint) -> sa.Select:
    registration = _registrations()
    return sa.select(registration.id).where(registration.forum_id == checkpoint.forum_id)


def _categories_allow(checkpoint, registration) -> bool:
    return registration.category in (checkpoint.categories or [])


def _categories_expected(checkpoint) -> sa.Select:
    registration = _registrations()
    return sa.select(registration.id).where(registration.forum_id == checkpoint.forum_id,
                                            registration.category.in_(checkpoint.categories or []))


def _list_allows(checkpoint, registration) -> bool:
    from forum.checkin.models import CheckpointAllowance

    return db.session.get(CheckpointAllowance, (checkpoint.id, registration.id)) is not None


def _list_expected(checkpoint) -> sa.Select:
    from forum.checkin.models import CheckpointAllowance

    return sa.select(CheckpointAllowance.registration_id).where(CheckpointAllowance.checkpoint_id == checkpoint.id)


register_rule("all", _l("Everyone registered"), lambda checkpoint, registration: True, _all_expected)
register_rule("categories", _l("Only the chosen categories"), _categories_allow, _categories_expected)
register_rule("list", _l("Only registrations on its list"), _list_allows, _list_expected)


def admitted_ids(checkpoint) -> set[int]:
    """The ids of the forum's registrations the checkpoint's rule admits, status aside (the
    roster's "admitted here"): the rule's `expected` select in one query, or its `allows`
    asked for each registration when it has none. An unknown rule admits nobody."""
    rule = get_rule(checkpoint.rule)
    if rule is None:
        return set()
    registration = _registrations()
    if rule.expected is not None:
        ids = rule.expected(checkpoint).subquery()
        return set(db.session.scalars(sa.select(registration.id).join(ids, ids.c[0] == registration.id)
                                      .where(registration.forum_id == checkpoint.forum_id)))
    everyone = db.session.scalars(sa.select(registration).where(registration.forum_id == checkpoint.forum_id))
    return {r.id for r in everyone if rule.allows(checkpoint, r)}
