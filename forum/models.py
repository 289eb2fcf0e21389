"""Imports every package's models, so SQLAlchemy and Alembic see the whole schema."""
from forum.auth.models import ApiToken, ForumMember, User  # noqa: F401
from forum.events.models import Area, Forum  # noqa: F401
from forum.features import import_models
from forum.people.models import District, Jamoat, Organization, Person, Registration  # noqa: F401

import_models()  # feature packages' models
