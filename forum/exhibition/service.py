"""Exhibitor applications and their products: applying, finding them, the group's own changes
(the organizers' decision is in `review`).

Plain functions over the models. Photos go through the shared pipeline (`forum.images`):
every photo of a request is checked and re-encoded before anything is written, files are
written only once the rows are accepted, and removed again when the commit fails.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from forum import images
from forum.db import utcnow
from forum.events.models import Forum
from forum.events.service import accepts_public_forms
from forum.exhibition import notify
from forum.exhibition.models import (
    MAX_MEMBERS,
    PRODUCT_CATEGORIES,
    ExhibitionSettings,
    ExhibitorApplication,
    ExhibitorMember,
    Product,
)
from forum.extensions import db
from forum.people.links import send_personal_link
from forum.people.models import District, Jamoat, Person, Registration
from forum.people.service import find_or_create_organization, find_person_by_phone, new_registration, registration_of

MAX_PRODUCTS = 20  # per group: a stand is a table or two
PHOTO_FORMATS = ("JPEG", "PNG")
PHOTO_FULL, PHOTO_THUMB = 1600, 480
MAX_PRICE = Decimal("1000000")


class ExhibitionError(Exception):
    """A change was refused; `code` for programs, `field` the form field, `other` the record in the way."""

    def __init__(self, code: str, field: str = "", other: object = None):
        super().__init__(code)
        self.code = code
        self.field = field
        self.other = other


class PhotoRefused(ExhibitionError):
    """The photo of product row `index` is not a picture we keep (`reason`: forum.images codes)."""

    def __init__(self, index: int, reason: str):
        super().__init__("photo", field=f"products-{index}-photo")
        self.index = index
        self.reason = reason


@dataclass
class ProductData:
    name: str
    category: str
    price: Decimal
    description: str = ""
    photo: bytes | None = None  # the upload as sent; checked and re-encoded here


@dataclass
class ApplicationData:
    group_name: str
    district_id: int | None
    contact_name: str
    contact_phone: str  # E.164
    member_count: int
    jamoat_id: int | None = None
    jamoat_other: str = ""
    contact_email: str | None = None
    language: str = "ru"
    needs_table: bool = True
    needs_power: bool = False
    needs_note: str = ""
    members: list[tuple[str, str | None]] = field(default_factory=list)  # (full name, E.164 phone)
    products: list[ProductData] = field(default_factory=list)


@dataclass
class Applied:
    application: ExhibitorApplication
    own_link: bool  # the registration (and so the private link) was made by this application


def clean_text(text: str | None) -> str:
    return " ".join((text or "").split())


def photo_dir(upload_dir: str | Path, forum_id: int) -> Path:
    return Path(upload_dir) / "exhibition" / str(forum_id)


def settings_for(forum: Forum) -> ExhibitionSettings:
    """The forum's exhibition settings. Until an organizer saves them: the defaults (the area of
    kind "exhibition", a 30 × 20 m plan, applications open), not stored, so reading writes nothing."""
    settings = db.session.get(ExhibitionSettings, forum.id)
    if settings is None:
        area = next((a for a in forum.areas if a.kind == "exhibition"), None)
        settings = ExhibitionSettings(forum_id=forum.id, area_id=area.id if area else None, area=area,
                                      plan_width=Decimal("30"), plan_depth=Decimal("20"), applications_open=True)
    return settings


def stored_settings(forum: Forum) -> ExhibitionSettings:
    """The settings to change: stored from the defaults the first time. The caller commits."""
    settings = settings_for(forum)
    if settings not in db.session:
        db.session.add(settings)
        db.session.flush()
    return settings


def has_exhibition(forum: Forum) -> bool:
    return "exhibition" in (forum.activities or [])


def accepts_applications(forum: Forum) -> bool:
    return has_exhibition(forum) and accepts_public_forms(forum) and settings_for(forum).applications_open


# --- finding applications ---------------------------------------------------------------------

def application_of(forum: Forum, application_id: int) -> ExhibitorApplication | None:
    application = db.session.get(ExhibitorApplication, application_id)
    return application if application is not None and application.forum_id == forum.id else None


def application_for_registration(registration: Registration) -> ExhibitorApplication | None:
    """The application whose contact person this registration is."""
    return db.session.scalar(sa.select(ExhibitorApplication).where(
        ExhibitorApplication.registration_id == registration.id))


def membership_of(registration: Registration) -> ExhibitorMember | None:
    return db.session.scalar(sa.select(ExhibitorMember).where(ExhibitorMember.registration_id == registration.id)
                             .limit(1))


def find_existing(forum: Forum, group_name: str, contact_phone: str | None) -> ExhibitorApplication | None:
    """This forum's application of the same group (by name, any case) or the same contact phone."""
    conditions = [sa.func.lower(ExhibitorApplication.group_name) == clean_text(group_name).lower()]
    if contact_phone:
        conditions.append(ExhibitorApplication.contact_phone == contact_phone)
    return db.session.scalar(sa.select(ExhibitorApplication).where(
        ExhibitorApplication.forum_id == forum.id, sa.or_(*conditions)).order_by(ExhibitorApplication.id).limit(1))


def same_group(application: object, group_name: str) -> bool:
    """Whether `group_name` names this application's group (any case, any spacing)."""
    return (isinstance(application, ExhibitorApplication)
            and clean_text(application.group_name).lower() == clean_text(group_name).lower())


def applications_query(forum: Forum, status: str = "") -> sa.Select:
    stmt = (sa.select(ExhibitorApplication)
            .options(joinedload(ExhibitorApplication.jamoat), joinedload(ExhibitorApplication.district),
                     joinedload(ExhibitorApplication.stand), selectinload(ExhibitorApplication.products))
            .where(ExhibitorApplication.forum_id == forum.id))
    if status:
        stmt = stmt.where(ExhibitorApplication.status == status)
    return stmt.order_by(ExhibitorApplication.created_at, ExhibitorApplication.id)


def status_counts(forum: Forum) -> dict[str, int]:
    rows = db.session.execute(sa.select(ExhibitorApplication.status, sa.func.count())
                              .where(ExhibitorApplication.forum_id == forum.id)
                              .group_by(ExhibitorApplication.status))
    return dict(rows.tuples().all())


# --- applying -----------------------------------------------------------------------------------

def _check_product(data: ProductData, index: int) -> None:
    if not clean_text(data.name):
        raise ExhibitionError("product_name", field=f"products-{index}-name")
    if data.category not in PRODUCT_CATEGORIES:
        raise ExhibitionError("product_category", field=f"products-{index}-category")
    price = data.price
    if not isinstance(price, Decimal) or not price.is_finite() or price < 0 or price > MAX_PRICE \
            or price != price.quantize(Decimal("0.01")):
        raise ExhibitionError("price", field=f"products-{index}-price")


def _clean_photos(products: list[ProductData]) -> list[images.CleanImage | None]:
    cleaned: list[images.CleanImage | None] = []
    for index, product in enumerate(products):
        if product.photo is None:
            cleaned.append(None)
            continue
        try:
            cleaned.append(images.clean_image(product.photo, formats=PHOTO_FORMATS, full_size=PHOTO_FULL,
                                              thumb_size=PHOTO_THUMB))
        except images.ImageRefused as refusal:
            raise PhotoRefused(index, refusal.code) from None
    return cleaned


def _place(district_id: int | None, jamoat_id: int | None) -> tuple[int | None, int | None]:
    if jamoat_id:
        jamoat = db.session.get(Jamoat, jamoat_id)
        if jamoat is None:
            raise ExhibitionError("jamoat", field="jamoat_id")
        if district_id and jamoat.district_id != district_id:
            raise ExhibitionError("jamoat_not_in_district", field="jamoat_id")
        return jamoat.district_id, jamoat.id
    if not district_id or db.session.get(District, district_id) is None:
        raise ExhibitionError("district", field="district_id")
    return district_id, None


def _write_photos(folder: Path, pending: list[tuple[str, images.CleanImage]]) -> None:
    for key, clean in pending:
        images.write_images(folder, key, clean)


def _commit_with_photos(folder: Path, pending: list[tuple[str, images.CleanImage]]) -> None:
    """Write the photos, then commit; if either fails, neither stays."""
    try:
        _write_photos(folder, pending)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for key, _clean_image in pending:
            images.delete_images(folder, key)
        raise


def apply(forum: Forum, data: ApplicationData, upload_dir: str | Path) -> Applied:
    """A group's application, pending review. Commits.

    Promises: refused with nothing saved (no row, no file) when applications are closed
    ("closed"), the group or the contact phone already applied at this forum ("duplicate",
    `other` is that application), a product is incomplete, a price is not a number from 0
    with at most two decimals, or a photo is not a real JPEG/PNG picture (PhotoRefused).
    The contact is kept as typed (name, phone, email). A new phone becomes a person with a
    registration of category "exhibitor", whose private page is the group's page. A phone that
    belongs to a person already in the list attaches nothing to her and changes nothing of
    hers (issue 16): the application has no registration (the organizers phone the contact;
    no message about it goes out, see notify), and her own link of this forum, if she is
    registered here, goes to her own phone and email, so the answer is the same as for a new one.
    """
    if not accepts_applications(forum):
        raise ExhibitionError("closed")
    group_name = clean_text(data.group_name)
    if not group_name:
        raise ExhibitionError("group_name", field="group_name")
    existing = find_existing(forum, group_name, data.contact_phone)
    if existing is not None:
        raise ExhibitionError("duplicate", other=existing)
    if not data.contact_phone or not clean_text(data.contact_name):
        raise ExhibitionError("contact", field="contact_phone")
    if not 1 <= data.member_count <= MAX_MEMBERS or len(data.members) > max(data.member_count, 1):
        raise ExhibitionError("member_count", field="member_count")
    if len(data.products) > MAX_PRODUCTS:
        raise ExhibitionError("too_many_products")
    district_id, jamoat_id = _place(data.district_id, data.jamoat_id)
    jamoat_other = "" if jamoat_id else clean_text(data.jamoat_other)[:100]
    for index, product in enumerate(data.products):
        _check_product(product, index)
    cleaned = _clean_photos(data.products)

    organization = find_or_create_organization(group_name, "shg", district_id, jamoat_id)
    if organization.id is not None and db.session.scalar(sa.select(ExhibitorApplication.id).where(
            ExhibitorApplication.forum_id == forum.id, ExhibitorApplication.organization_id == organization.id)):
        raise ExhibitionError("duplicate", other=find_existing(forum, organization.name, None))
    known = find_person_by_phone(data.contact_phone)
    registration = None
    if known is None:
        person = Person(full_name=clean_text(data.contact_name), phone=data.contact_phone, email=data.contact_email,
                        language=data.language, organization=organization, district_id=district_id,
                        jamoat_id=jamoat_id, position="контактное лицо ГВП")
        db.session.add(person)
        registration = new_registration(forum, person, "exhibitor", status="invited", source="feature")
        registration.consent_at = utcnow()
    application = ExhibitorApplication(
        forum_id=forum.id, organization=organization, group_name=group_name, district_id=district_id,
        jamoat_id=jamoat_id, jamoat_other=jamoat_other, contact_name=clean_text(data.contact_name),
        contact_phone=data.contact_phone, contact_email=data.contact_email or None, language=data.language,
        member_count=data.member_count, needs_table=bool(data.needs_table), needs_power=bool(data.needs_power),
        needs_note=clean_text(data.needs_note)[:500], status="pending", registration=registration,
    )
    seen: set[str] = set()
    for position, (name, phone) in enumerate(data.members):
        if phone and phone in seen:
            raise ExhibitionError("member_phone_twice", field=f"members-{position}-phone")
        if phone:
            seen.add(phone)
        application.members.append(ExhibitorMember(full_name=clean_text(name), phone=phone, position=position))
    pending: list[tuple[str, images.CleanImage]] = []
    for position, (product, clean) in enumerate(zip(data.products, cleaned, strict=True)):
        key = images.new_image_key() if clean is not None else None
        application.products.append(_product_row(product, key, position))
        if key is not None and clean is not None:
            pending.append((key, clean))
    db.session.add(application)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        # The same group or phone sent twice at the same moment: the unique keys decide.
        db.session.rollback()
        raise ExhibitionError("duplicate", other=find_existing(forum, group_name, data.contact_phone)) from None
    notify.application_received(application)
    if known is not None:
        own = registration_of(forum, known)
        if own is not None and own.status != "cancelled":
            send_personal_link(own, asked=True)  # her own link, to her own phone and email
    _commit_with_photos(photo_dir(upload_dir, forum.id), pending)
    return Applied(application, own_link=registration is not None)


def _product_row(data: ProductData, image_key: str | None, position: int) -> Product:
    return Product(name=clean_text(data.name)[:120], category=data.category, price=data.price,
                   description=clean_text(data.description)[:300], image_key=image_key, position=position)


# --- the group's own changes (its private page) -------------------------------------------------

def add_product(application: ExhibitorApplication, data: ProductData, upload_dir: str | Path) -> Product:
    """One more product, with its photo if given. Commits; refused changes save nothing."""
    if len(application.products) >= MAX_PRODUCTS:
        raise ExhibitionError("too_many_products")
    _check_product(data, 0)
    clean = _clean_photos([data])[0]
    key = images.new_image_key() if clean is not None else None
    position = max((p.position for p in application.products), default=-1) + 1
    product = _product_row(data, key, position)
    application.products.append(product)
    db.session.flush()
    _commit_with_photos(photo_dir(upload_dir, application.forum_id), [(key, clean)] if key and clean else [])
    return product


def change_product(product: Product, data: ProductData, upload_dir: str | Path, remove_photo: bool = False) -> None:
    """Change a product's texts and price; a new photo replaces the old one (whose files are
    deleted only after the change is committed). Commits."""
    _check_product(data, 0)
    clean = _clean_photos([data])[0]
    folder = photo_dir(upload_dir, product.application.forum_id)
    old_key = product.image_key
    product.name, product.category = clean_text(data.name)[:120], data.category
    product.description, product.price = clean_text(data.description)[:300], data.price
    pending = []
    if clean is not None:
        product.image_key = images.new_image_key()
        pending.append((product.image_key, clean))
    elif remove_photo:
        product.image_key = None
    _commit_with_photos(folder, pending)
    if old_key and old_key != product.image_key:
        images.delete_images(folder, old_key)


def remove_product(product: Product, upload_dir: str | Path) -> None:
    folder, key = photo_dir(upload_dir, product.application.forum_id), product.image_key
    db.session.delete(product)
    db.session.commit()
    if key:
        images.delete_images(folder, key)


def product_of(application: ExhibitorApplication, product_id: int) -> Product | None:
    product = db.session.get(Product, product_id)
    return product if product is not None and product.application_id == application.id else None
