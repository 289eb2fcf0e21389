"""Which organization a row of an imported file is about, from its organization name and kind:
one already in the list, or a new one to add. The whole rule lives here, so it changes in one
place: `resolve_organization` (one row), `settle_new_organizations` (the file's new ones, all
rows seen) and `insert_new_organizations` (writing them).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from forum.people.folding import fold
from forum.people.forms import KIND_LABELS
from forum.people.import_report import Choices, ImportReport, Issue
from forum.people.models import ORGANIZATION_KINDS, Organization
from forum.people.vocabulary import Vocabulary, norm

if TYPE_CHECKING:
    from forum.people.import_check import Row


def resolve_organization(row: Row, cell: dict[str, str], words: Vocabulary, bad: Callable[..., None]) -> None:
    """Set `row.organization` (known) or `row.new_organization` ((name, kind) to add) from the
    row's "organization" and "organization_kind" cells; `bad(code, **params)` reports a problem."""
    name, kind_text = " ".join(cell.get("organization", "").split()), cell.get("organization_kind", "")
    kind = words.kinds.get(norm(kind_text)) if kind_text else None
    if kind_text and kind is None:
        bad("bad_kind", value=kind_text, valid=Choices(KIND_LABELS.values()))
        return
    if not name:
        return
    # forum.people.organizations: by name, short name, translation or alias, folded; a known
    # organization is used whatever kind the file gives it (the kind only tells several apart).
    known = words.organizations.matching(name)
    if len(known) > 1 and kind is not None:
        known = [o for o in known if o.kind == kind] or known
    if len(known) > 1:
        bad("ambiguous_organization", value=name)
    elif known:
        row.organization = known[0]
    else:
        row.new_organization = (name, kind)  # kind None: settled by `settle_new_organizations`


def settle_new_organizations(rows: list[Row], report: ImportReport) -> None:
    """A new organization named without a kind is the one another row of the file names (as
    folded) with its kind: one organization, not two, spelled as first written. With no kind
    anywhere in the file, the row is an error listing the kinds: an import never guesses one."""
    kinds: dict[str, set[str]] = {}
    spelling: dict[str, str] = {}
    folded: dict[str, str] = {}  # each name folded once: a file names an organization on many rows
    for row in rows:
        if row.new_organization:
            name, kind = row.new_organization
            key = folded[name] = folded.get(name) or fold(name)
            spelling.setdefault(key, name)
            if kind:
                kinds.setdefault(key, set()).add(kind)
    for row in rows:
        if not row.new_organization:
            continue
        name, kind = row.new_organization
        named = sorted(kinds.get(folded[name], ()))
        if not kind and len(named) > 1:
            report.errors.append(Issue(row.line, "ambiguous_organization", {"value": name}))
        elif not kind and not named:
            report.errors.append(Issue(row.line, "new_organization_kind",
                                       {"value": name, "kinds": ", ".join(ORGANIZATION_KINDS)}))
        row.new_organization = (spelling[folded[name]], kind or (named[0] if named else ""))


def insert_new_organizations(rows: list[Row], insert: Callable[..., dict[tuple, int]]) -> dict[tuple[str, str | None], int]:
    """Add the file's new organizations, once each (with the place of the first row naming
    it); returns {(folded name, kind): id}, as `organization_key` names a row's."""
    wanted: dict[tuple[str, str | None], dict] = {}
    for row in rows:
        if row.new_organization:
            name, kind = row.new_organization
            wanted.setdefault(organization_key(row), {"name": name, "kind": kind, "district_id": row.district_id,
                                                      "jamoat_id": row.jamoat_id})
    made = insert(Organization, list(wanted.values()), "name", "kind")
    return {key: made[(values["name"], values["kind"])] for key, values in wanted.items()}


def organization_key(row: Row) -> tuple[str, str | None]:
    """The key of a row's new organization among those `insert_new_organizations` made."""
    assert row.new_organization is not None
    name, kind = row.new_organization
    return norm(name), kind
