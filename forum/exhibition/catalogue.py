"""The public catalogue: approved groups by district and jamoat, filtered by jamoat or by the
kind of product, with their stands. Only what a group agreed to show: its name, jamoat,
products, photos, prices and stand number; never a name of a person or a phone number."""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum.db import translated
from forum.events.models import Forum
from forum.exhibition.models import ExhibitorApplication, Product, Stand
from forum.exhibition.plan import natural_key
from forum.extensions import db
from forum.people.models import Jamoat


@dataclass
class Entry:
    application: ExhibitorApplication
    products: list[Product]
    stand: Stand | None


@dataclass
class Section:
    title: str  # "Jamoat, District"
    entries: list[Entry] = field(default_factory=list)


def approved(forum: Forum) -> list[ExhibitorApplication]:
    return list(db.session.scalars(
        sa.select(ExhibitorApplication)
        .options(joinedload(ExhibitorApplication.jamoat).joinedload(Jamoat.district),
                 joinedload(ExhibitorApplication.district), joinedload(ExhibitorApplication.stand),
                 selectinload(ExhibitorApplication.products))
        .where(ExhibitorApplication.forum_id == forum.id, ExhibitorApplication.status == "approved")
        .order_by(ExhibitorApplication.group_name, ExhibitorApplication.id)).unique())


def place_of(application: ExhibitorApplication, language: str) -> str:
    jamoat = application.jamoat_name(language)
    district = translated(application.district.name, language) if application.district is not None else ""
    return ", ".join(part for part in (jamoat, district) if part)


def jamoat_key(application: ExhibitorApplication) -> str:
    return f"j{application.jamoat_id}" if application.jamoat_id else f"t{application.jamoat_other.casefold()}"


def sections(forum: Forum, language: str, jamoat: str = "", category: str = "") -> tuple[list[Section], list]:
    """(sections of the catalogue, the jamoats to filter by as (key, label)). A category filter
    keeps the groups that sell such products, and only those products."""
    groups: dict[str, Section] = {}
    choices: dict[str, str] = {}
    for application in approved(forum):
        key = jamoat_key(application)
        label = place_of(application, language)
        choices[key] = label
        if jamoat and key != jamoat:
            continue
        products = [p for p in application.products if not category or p.category == category]
        if category and not products:
            continue
        section = groups.setdefault(key, Section(label))
        section.entries.append(Entry(application, products, application.stand))
    ordered = sorted(groups.values(), key=lambda s: s.title.casefold())
    for section in ordered:
        section.entries.sort(key=lambda e: (natural_key(e.stand.number) if e.stand else ("\U0010ffff",),
                                            e.application.group_name.casefold()))
    return ordered, sorted(choices.items(), key=lambda item: item[1].casefold())


def public_product(forum: Forum, product_id: int) -> Product | None:
    """A product the public may see: of an approved group of this forum."""
    product = db.session.get(Product, product_id)
    if product is None or product.application.forum_id != forum.id or product.application.status != "approved":
        return None
    return product


def any_product(forum: Forum, product_id: int) -> Product | None:
    """A product of any group of this forum (for organizers)."""
    product = db.session.get(Product, product_id)
    return product if product is not None and product.application.forum_id == forum.id else None
