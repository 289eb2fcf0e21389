"""What a token's user may see of a forum through the partners' API, in one place.

As on the pages: the forum's organizers see contacts (phone, email) and internal agenda items, the door
staff see names, organizations and categories, as the scanner shows them. Contacts also need
the person's consent to the use of their data (Registration.consent_at). Nothing about
children is ever in an answer (drawings are not part of this API)."""
from __future__ import annotations

from flask import g

CONTACT_ROLES = ("organizer",)  # roles whose pages show phone numbers and emails
INTERNAL_ROLES = ("organizer",)  # roles whose pages show internal agenda items
READ_ROLES = ("staff", "organizer")  # roles that may read a forum's lists
WRITE_ROLES = ("organizer",)  # roles that may create and change registrations


def sees_contacts() -> bool:
    """By the user's role at the URL's forum (set by api_roles_required), not at any forum."""
    return g.get("forum_role") in CONTACT_ROLES


def sees_internal() -> bool:
    return g.get("forum_role") in INTERNAL_ROLES
