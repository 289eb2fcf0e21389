"""What the history records: the kinds of objects, their fields worth telling (with labels),
and the fields whose values are never kept (secrets, phone numbers). Everything not listed
here is left alone, so a check-in scan (a Checkin row) costs the recorder one dictionary look-up.

A field's value is shown through its `refs` kind (an id named: an area, a group…) or its
`choices` (a package's labels, imported when a page shows them); see forum.history.display.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Tracked:
    entity: str  # ChangeRecord.entity_type
    model: str  # "module:Class"
    label: Any  # what the object is, for the history page's title
    fields: dict[str, Any]  # field -> label; only these are recorded
    secret: frozenset[str] = frozenset()  # recorded as changed; values never stored or shown
    refs: dict[str, str] = field(default_factory=dict)  # field -> kind of object its id names
    choices: dict[str, str] = field(default_factory=dict)  # field -> "module:LABELS"
    forum_attr: str = "forum_id"  # the attribute holding the forum's id

    def model_class(self) -> type:
        module, name = self.model.split(":")
        return getattr(importlib.import_module(module), name)

    def choice_labels(self, name: str) -> dict:
        if name not in self.choices:
            return {}
        module, attr = self.choices[name].split(":")
        return getattr(importlib.import_module(module), attr)


_TITLE, _DESCRIPTION, _STATUS = _l("Title"), _l("Description"), _l("Status")
_STARTS, _ENDS, _AREA = _l("Starts"), _l("Ends"), _l("Place")

TRACKED: tuple[Tracked, ...] = (
    Tracked("forum", "forum.events.models:Forum", _l("Forum"), {
        "slug": _l("Address (slug)"), "title": _TITLE, "city": _l("City"), "venue": _l("Venue"),
        "address": _l("Street address"), "goals": _l("Goals"), "description": _DESCRIPTION,
        "contacts": _l("Contacts"), "activities": _l("Activities"), "starts_at": _STARTS, "ends_at": _ENDS,
        "timezone": _l("Time zone"), "status": _STATUS, "registration_open": _l("Registration open"),
        "languages": _l("Languages"), "organizer_id": _l("Organizer")},
        refs={"organizer_id": "organization"}, choices={"status": "forum.events.forms:STATUS_LABELS",
                                                         "activities": "forum.events.forms:ACTIVITY_LABELS"},
        forum_attr="id"),
    Tracked("agenda_item", "forum.agenda.models:AgendaItem", _l("Agenda item"), {
        "area_id": _AREA, "kind": _l("Kind"), "title": _TITLE, "description": _DESCRIPTION, "starts_at": _STARTS,
        "ends_at": _ENDS, "is_public": _l("Public"), "expected_audience": _l("Expected audience"), "status": _STATUS},
        refs={"area_id": "area"}, choices={"kind": "forum.agenda.forms:KIND_LABELS"}),
    Tracked("stand", "forum.exhibition.models:Stand", _l("Stand"), {
        "number": _l("Number"), "type_id": _l("Stand type"), "x": _l("Position from the left, m"),
        "y": _l("Position from the top, m"), "w": _l("Width, m"), "h": _l("Depth, m"), "state": _l("State"),
        "note": _l("Note"), "application_id": _l("Group")},
        refs={"type_id": "stand_type", "application_id": "application"},
        choices={"state": "forum.exhibition.forms:STATE_LABELS"}),
    Tracked("theatre_slot", "forum.theatre.models:TheatreSlot", _l("Theatre slot"), {
        "area_id": _l("Stage"), "starts_at": _STARTS, "ends_at": _ENDS, "buffer_minutes": _l("Buffer, minutes")},
        refs={"area_id": "area"}),
    Tracked("performance", "forum.theatre.models:Performance", _l("Performance"), {
        "title": _TITLE, "theme": _l("Theme"), "duration_minutes": _l("Duration, minutes"),
        "cast_size": _l("Actors"), "technical_needs": _l("Technical needs"),
        "preferred_times": _l("Preferred times"), "contact_name": _l("Contact person"),
        "contact_phone": _l("Contact phone"), "language": _l("Language"), "status": _STATUS,
        "slot_id": _l("Slot"), "starts_at": _STARTS, "ends_at": _ENDS},
        secret=frozenset({"contact_phone"}), refs={"slot_id": "theatre_slot"},
        choices={"status": "forum.theatre.forms:STATUS_LABELS", "language": "forum.forms:LANGUAGE_LABELS"}),
    Tracked("vacancy", "forum.jobfair.models:Vacancy", _l("Vacancy"), {
        "title": _TITLE, "description": _DESCRIPTION, "requirements": _l("Requirements"),
        "location": _l("Location"), "country": _l("Country"), "city": _l("City"), "positions": _l("Positions"),
        "wage_min": _l("Wage from"), "wage_max": _l("Wage up to"), "currency": _l("Currency"),
        "contract_type": _l("Contract"), "languages": _l("Languages"), "closes_on": _l("Closes on"),
        "no_fee": _l("No fee for candidates"), "written_contract": _l("Written contract"), "status": _STATUS,
        "decision_reason": _l("Reason given")},
        choices={"status": "forum.jobfair.forms:VACANCY_STATUS_LABELS",
                 "location": "forum.jobfair.forms:LOCATION_LABELS",
                 "contract_type": "forum.jobfair.forms:CONTRACT_LABELS",
                 "languages": "forum.jobfair.forms:LANGUAGE_LABELS"}),
    Tracked("registration", "forum.people.models:Registration", _l("Registration"), {
        "category": _l("Category"), "status": _STATUS, "badge_secret": _l("Badge"),
        "token": _l("Private link"), "short_code": _l("Short link"), "consent_at": _l("Consent given"),
        "badge_printed_at": _l("Badge printed"), "notes": _l("Notes")},
        secret=frozenset({"badge_secret", "token", "short_code"}),
        choices={"category": "forum.people.forms:CATEGORY_LABELS", "status": "forum.people.forms:STATUS_LABELS"}),
    Tracked("recommendation", "forum.roundtable.models:Recommendation", _l("Recommendation"), {
        "topic_id": _l("Topic"), "text": _l("Text"), "addressed_to_id": _l("Addressed to"),
        "owner_person_id": _l("Responsible person"), "owner_organization_id": _l("Responsible organization"),
        "deadline": _l("Deadline"), "status": _STATUS, "position": _l("Order")},
        refs={"topic_id": "topic", "addressed_to_id": "organization", "owner_person_id": "person",
              "owner_organization_id": "organization"},
        choices={"status": "forum.roundtable.texts:STATUS_LABELS"}),
)

BY_ENTITY = {t.entity: t for t in TRACKED}


@cache
def by_class() -> dict[type, Tracked]:
    """Model class -> its Tracked, made on first use (every model is imported by then)."""
    return {t.model_class(): t for t in TRACKED}
