"""Which organization a written name means: the one rule the importer and the forms share.

An organization is known by its name, its short name, its names in the page languages and
its aliases ("UN Women", "ООН-Женщины", "Структура ООН-женщины"), each compared with letters
folded as in search (forum.people.folding: case, Tajik letters, Cyrillic or Latin spelling),
so "un  women", "UN Women" and the alias "ООН-женщины" all find UN Women.
"""
from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from forum.extensions import db
from forum.people.folding import fold
from forum.people.models import Organization


def spellings(org: Organization) -> list[str]:
    """Every way `org` is written that identifies it."""
    return [org.name, org.short_name, *(org.names or {}).values(), *(org.aliases or [])]


def keys(texts: Iterable[str | None]) -> set[str]:
    """The folded forms of `texts` that can identify an organization (empty ones cannot)."""
    return {key for key in (fold(text) for text in texts) if key}


class OrganizationIndex:
    """Every organization by each of its spellings, folded: built once for many lookups
    (an import of hundreds of rows reads the organizations once)."""

    def __init__(self, organizations: Iterable[Organization] | None = None):
        if organizations is None:
            organizations = db.session.scalars(sa.select(Organization).order_by(Organization.id))
        self._by_key: dict[str, list[Organization]] = {}
        for org in organizations:
            for key in keys(spellings(org)):
                self._by_key.setdefault(key, []).append(org)

    def matching(self, name: str, exclude: Organization | None = None) -> list[Organization]:
        """The organizations `name` means (none, one, or several when it is ambiguous)."""
        found = self._by_key.get(fold(name), [])
        return [org for org in found if exclude is None or org.id != exclude.id]


def matching_organizations(name: str, exclude: Organization | None = None) -> list[Organization]:
    """The organizations `name` means, by name, short name, translated name or alias, folded."""
    return OrganizationIndex().matching(name, exclude)


def clash(texts: Iterable[str | None], exclude: Organization | None = None,
          index: OrganizationIndex | None = None) -> tuple[str, Organization] | None:
    """The first of `texts` that already means another organization than `exclude`, with it;
    None when all are free. A name may identify only one organization."""
    index = index or OrganizationIndex()
    for text in texts:
        if text and fold(text):
            others = index.matching(text, exclude)
            if others:
                return text, others[0]
    return None


def parse_aliases(text: str) -> list[str]:
    """Aliases as the organizer types them, one a line; blanks and repeats (folded) dropped."""
    seen: set[str] = set()
    aliases = []
    for line in text.splitlines():
        alias = " ".join(line.split())
        if alias and fold(alias) and fold(alias) not in seen:
            seen.add(fold(alias))
            aliases.append(alias)
    return aliases
