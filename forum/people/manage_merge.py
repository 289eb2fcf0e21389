"""Organizer pages to merge two organizations, or two persons, that are one (forum.people.merging).

Organizations and persons are kept across forums, so these pages are for administrators and
organizers. Each page: find the other one, see both side by side with what points at each,
choose which is kept, tick the confirmation and merge.
"""
from __future__ import annotations

from typing import Any, NamedTuple

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from forum.auth.access import roles_required
from forum.extensions import db
from forum.localize import localized
from forum.people import merging, service
from forum.people.forms import KIND_LABELS
from forum.people.manage import int_arg
from forum.people.models import Organization, Person
from forum.people.phones import display_phone

bp = Blueprint("people_merge", __name__, url_prefix="/manage")

# What a merge moves, by table, as the page names it; other tables show their own name.
MOVED_LABELS = {
    "person": _l("People (members)"),
    "registration": _l("Registrations"),
    "forum": _l("Forums it organizes"),
    "forum_partner": _l("Forums it supports as a partner"),
    "employer": _l("Job-fair employer account"),
    "exhibitor_application": _l("Exhibition applications"),
    "theatre_performance": _l("Performances of the troupe"),
    "agenda_item_host": _l("Agenda items hosted"),
    "recommendation": _l("Round-table recommendations"),
    "checkin": _l("Check-ins"),
    "badge_code": _l("Badge codes"),
    "interest": _l("Job-fair candidates"),
    "employer_staff": _l("Job-fair booth staff"),
    "exhibitor_member": _l("Exhibitors' members"),
    "theatre_cast_member": _l("Theatre cast"),
    "round_table_invitee": _l("Round-table invitations"),
    "round_table_problem": _l("Round-table problems raised"),
    "invitation": _l("Invitations"),
    "message": _l("Messages"),
    "agenda_item_attendee": _l("Agenda sign-ups"),
    "checkpoint_allowance": _l("Checkpoint lists"),
    "retired_badge": _l("Replaced badges"),
}


def moved_labels(counts: dict[str, int]) -> list[tuple[str, int]]:
    return [(str(MOVED_LABELS.get(table, table)), count) for table, count in sorted(counts.items())]


def _pair(model, first_id: int):
    """The one the page is about, the other one chosen (or None), and which of them is kept."""
    first = db.session.get(model, first_id) or abort(404)
    other_id = int_arg("other")
    other = db.session.get(model, other_id) if other_id and other_id != first_id else None
    keep = int_arg("keep")
    kept = other if other is not None and keep == other.id else first
    return first, other, kept


def _merge(merge, kept, removed, done_url: str, back_url: str):
    """The POST: merge when confirmed, in one transaction; say what moved, or why not."""
    if request.form.get("confirm") != "yes":
        flash(_("Tick the box to confirm the merge."), "error")
        return redirect(back_url)
    try:
        report = merge(kept, removed)
    except merging.MergeRefused as refused:
        db.session.rollback()
        label = MOVED_LABELS.get(refused.table, refused.table)
        flash(_("Not merged: both have «%(what)s», which only one may have. Change that first.", what=label), "error")
        return redirect(back_url)
    db.session.commit()
    moved = ", ".join(f"{label}: {count}" for label, count in moved_labels(report.moved)) or _("nothing")
    flash(_("Merged. Moved to the one kept: %(moved)s.", moved=moved), "success")
    return redirect(done_url)


class _Step(NamedTuple):
    first: Any
    other: Any
    kept: Any
    removed: Any
    q: str
    candidates: list


def _step(model, first_id: int, merge, edit_endpoint: str, endpoint: str, id_name: str, query):
    """What both merge pages do before showing their rows: the pair and which is kept; on POST
    the merge itself (a response); else the search for the other one (up to 20, not itself)."""
    first, other, kept = _pair(model, first_id)
    removed = (first if kept is other else other) if other is not None else None
    if request.method == "POST":
        if removed is None:
            abort(400)
        kept_at: dict[str, Any] = {id_name: kept.id}
        again: dict[str, Any] = {id_name: first_id, "other": other.id if other else None, "keep": kept.id}
        return _merge(merge, kept, removed, url_for(edit_endpoint, **kept_at), url_for(endpoint, **again))
    q = request.args.get("q", "").strip()
    candidates = []
    if q and other is None:
        candidates = [found for found in db.session.scalars(query(q).limit(20)) if found.id != first_id]
    return _Step(first, other, kept, removed, q, candidates)


@bp.route("/organizations/<int:org_id>/merge", methods=["GET", "POST"])
@roles_required("admin", "organizer")
def merge_organizations(org_id: int):
    step = _step(Organization, org_id, merging.merge_organizations, "people_directory.edit_organization",
                 ".merge_organizations", "org_id", service.organizations_query)
    if not isinstance(step, _Step):
        return step
    first, other, kept, removed, q, candidates = step
    rows = []
    if other is not None:
        rows = [(_("Name"), *(o.name for o in (first, other))),
                (_("Name on this page"), *(localized(o, "name") for o in (first, other))),
                (_("Short name"), first.short_name, other.short_name),
                (_("Kind"), *(KIND_LABELS.get(o.kind, o.kind) for o in (first, other))),
                (_("Other names"), ", ".join(first.aliases or []), ", ".join(other.aliases or [])),
                (_("District"), *(localized(o.district, "name") if o.district else "" for o in (first, other))),
                (_("Contact person"), first.contact_person, other.contact_person),
                (_("Phone"), display_phone(first.phone), display_phone(other.phone))]
    return render_template("people/manage_merge.html", what="organization", first=first, other=other, kept=kept,
                           removed=removed, q=q, candidates=candidates, rows=rows,
                           first_label=localized(first, "name"), other_label=localized(other, "name") if other else "",
                           candidate_label=lambda o: localized(o, "name"),
                           counts={o.id: moved_labels(merging.references(o)) for o in (first, other) if o},
                           shared=[], endpoint=".merge_organizations", id_name="org_id")


@bp.route("/persons/<int:person_id>/merge", methods=["GET", "POST"])
@roles_required("admin", "organizer")
def merge_persons(person_id: int):
    step = _step(Person, person_id, merging.merge_persons, "people_directory.edit_person",
                 ".merge_persons", "person_id", service.persons_query)
    if not isinstance(step, _Step):
        return step
    first, other, kept, removed, q, candidates = step
    rows, shared = [], []
    if other is not None:
        rows = [(_("Full name"), first.full_name, other.full_name),
                (_("Phone"), display_phone(first.phone), display_phone(other.phone)),
                (_("Email"), first.email or "", other.email or ""),
                (_("Organization"), *(localized(p.organization, "name") for p in (first, other))),
                (_("Position or role"), first.position, other.position),
                (_("District"), *(localized(p.district, "name") if p.district else "" for p in (first, other))),
                (_("Forums"), *(", ".join(r.forum.slug for r in p.registrations) for p in (first, other)))]
        shared = [mine.forum for mine, _theirs in merging.shared_forums(first, other)]
    return render_template("people/manage_merge.html", what="person", first=first, other=other, kept=kept,
                           removed=removed, q=q, candidates=candidates, rows=rows,
                           first_label=first.full_name, other_label=other.full_name if other else "",
                           candidate_label=lambda p: p.full_name,
                           counts={p.id: moved_labels(merging.references(p)) for p in (first, other) if p},
                           shared=shared, endpoint=".merge_persons", id_name="person_id")
