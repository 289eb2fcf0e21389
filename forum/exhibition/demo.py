"""The exhibition of the Isfara demo forum: 30 of its self-help groups applied with their
products (photos painted with Pillow), most approved and placed on a grid of stands on the
exhibition square, a few waiting or rejected; the exhibition is on the agenda.
Idempotent: a forum that already has applications is left as it is."""
from __future__ import annotations

import contextlib
import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app
from PIL import Image, ImageDraw

from forum import images
from forum.auth.service import find_user
from forum.events.models import Forum
from forum.exhibition import agenda_link, plan, review, service
from forum.exhibition.models import ExhibitorApplication, ExhibitorMember, Product
from forum.extensions import db
from forum.people.models import Organization, Registration

GROUPS = 30
APPROVED, PENDING = 24, 3  # the rest are rejected
PLACED = 22  # two approved groups still wait for a stand
REJECTIONS = [
    "Группа продаёт покупные товары, а выставка — для изделий самих ГВП.",
    "Нет ни одной фотографии и описания изделий; позвоните организаторам, чтобы дополнить заявку.",
    "Группа уже выставляется вместе с ГВП своего джамоата на общем стенде.",
]
# category → [(name, description, (lowest, highest price, somoni))]
# kind -> (name, description, a price range in somoni or one fixed price)
CATALOGUE: dict[str, list[tuple[str, str, tuple[int, int] | Decimal]]] = {
    "sewing": [("Атласное платье", "Платье из хан-атласа, сшито вручную", (180, 420)),
               ("Курта с вышивкой", "Женская курта, хлопок", (120, 250)),
               ("Детский костюм", "Национальный костюм для детей 3–7 лет", (90, 160))],
    "embroidery": [("Сузани", "Настенное сузани, ручная вышивка шёлком", (450, 1500)),
                   ("Тоқӣ", "Тюбетейка с вышивкой", (40, 120)),
                   ("Вышитая наволочка", "Наволочка с узором «анор»", (60, 110))],
    "dried_fruit": [("Курага", "Сушёный абрикос из Исфары, 1 кг", (28, 45)),
                    ("Изюм", "Кишмиш без косточек, 1 кг", (25, 40)),
                    ("Сушёная шелковица", "Тут, 1 кг", (30, 50))],
    "food": [("Нон", "Лепёшка из тандыра", Decimal("3.50")), ("Самбуса", "С мясом и луком, 10 шт.", (25, 35)),
             ("Варенье из абрикосов", "Банка 0,5 л", (18, 25))],
    "crafts": [("Глиняный кувшин", "Ручная лепка, обжиг", (70, 180)), ("Плетёная корзина", "Из ивы", (35, 80)),
               ("Кукла в национальной одежде", "Высота 30 см", (50, 90))],
    "carpets": [("Намад", "Войлочный ковёр 1,5 × 2 м", (600, 1400)), ("Курпача", "Стёганый матрас", (150, 300))],
    "other": [("Мыло ручной работы", "С травами, 100 г", (8, 15))],
}
PALETTE = ["#b3261e", "#1d6b3a", "#1f4e9c", "#c77700", "#6b2c91", "#00796b", "#8d6e63", "#d81b60"]


def _painting(category: str, rng: random.Random) -> bytes:
    """A small picture of the product's kind, in the group's colours (PNG bytes)."""
    colour, second = rng.sample(PALETTE, 2)
    picture = Image.new("RGB", (640, 480), "#f6f1e7")
    draw = ImageDraw.Draw(picture)
    if category == "sewing":  # a dress
        draw.polygon([(280, 80), (360, 80), (380, 160), (470, 420), (170, 420), (260, 160)], fill=colour)
        draw.line([(260, 160), (380, 160)], fill=second, width=10)
    elif category == "embroidery":  # rosettes of a suzani
        draw.rectangle([40, 40, 600, 440], fill="#fbf7ee", outline=second, width=12)
        for cx, cy in ((180, 170), (460, 170), (320, 310), (180, 360), (460, 360)):
            for radius, fill in ((70, colour), (48, second), (24, colour)):
                draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=fill)
    elif category == "dried_fruit":  # apricots in a bowl
        draw.pieslice([120, 160, 520, 460], 0, 180, fill=second)
        for _ in range(40):
            x, y = rng.randint(160, 460), rng.randint(200, 300)
            draw.ellipse([x, y, x + 42, y + 34], fill=rng.choice(["#e08a1e", "#c96f12", "#f0a33a"]), outline="#7a4a0a")
    elif category == "food":  # a round bread
        draw.ellipse([140, 90, 500, 410], fill="#d9a45b", outline="#8a5a1c", width=8)
        draw.ellipse([240, 170, 400, 330], fill="#e8c080")
        for _ in range(30):
            x, y = rng.randint(260, 380), rng.randint(190, 310)
            draw.ellipse([x, y, x + 6, y + 6], fill="#5b3a10")
    elif category == "crafts":  # a jug
        draw.ellipse([220, 180, 420, 420], fill=colour)
        draw.rectangle([285, 100, 355, 200], fill=colour)
        draw.arc([380, 190, 470, 330], 270, 90, fill=colour, width=16)
        draw.line([(240, 300), (400, 300)], fill=second, width=8)
    elif category == "carpets":  # a felt carpet
        draw.rectangle([60, 60, 580, 420], fill=colour, outline=second, width=20)
        for cx in (190, 320, 450):
            draw.polygon([(cx, 120), (cx + 60, 240), (cx, 360), (cx - 60, 240)], fill=second)
    else:  # a bar of soap
        draw.rounded_rectangle([180, 170, 460, 330], radius=30, fill=colour)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _price(rng: random.Random, spec) -> Decimal:
    if isinstance(spec, Decimal):
        return spec
    low, high = spec
    return Decimal(rng.randrange(low, high + 1, 5 if high > 50 else 1))


def _shg_groups(forum: Forum) -> list[Organization]:
    """The forum's self-help groups: those with members registered there."""
    from forum.people.models import Person

    ids = db.session.scalars(
        sa.select(Organization.id).join(Person, Person.organization_id == Organization.id)
        .join(Registration, Registration.person_id == Person.id)
        .where(Registration.forum_id == forum.id, Organization.kind == "shg").distinct())
    return list(db.session.scalars(sa.select(Organization).where(Organization.id.in_(list(ids)))
                                   .order_by(Organization.id)))


def _stands(forum: Forum) -> None:
    settings = service.stored_settings(forum)
    settings.plan_width, settings.plan_depth = Decimal("36"), Decimal("24")
    db.session.flush()
    if plan.stands_of(forum):
        return
    standard = plan.save_type(forum, plan.TypeData("Стандарт 3 × 2 м", Decimal("3"), Decimal("2"), 1, 2, False))
    power = plan.save_type(forum, plan.TypeData("С электричеством 3 × 2 м", Decimal("3"), Decimal("2"), 1, 2, True))
    plan.save_type(forum, plan.TypeData("Угловой 3 × 3 м", Decimal("3"), Decimal("3"), 2, 3, True))
    plan.make_grid(forum, plan.GridData(rows=4, columns=8, type_id=standard.id, x=Decimal("1.5"), y=Decimal("2"),
                                        gap_x=Decimal("0.5"), gap_y=Decimal("3")))
    plan.make_grid(forum, plan.GridData(rows=3, columns=1, type_id=power.id, x=Decimal("31.5"), y=Decimal("2"),
                                        gap_x=Decimal("0"), gap_y=Decimal("3"), start=33))
    by_number = {s.number: s for s in plan.stands_of(forum)}
    by_number["8"].state, by_number["8"].note = "blocked", "Запасный выход: не ставить стол"
    by_number["16"].state, by_number["16"].note = "reserved", "Для партнёров (IMON International)"
    db.session.flush()


def _when(forum: Forum, index: int) -> datetime:
    zone = ZoneInfo(forum.timezone)
    day = forum.starts_at.astimezone(zone).date() - timedelta(days=25 - index % 20)
    return datetime.combine(day, time(9 + index % 8, (index * 7) % 60), tzinfo=zone)


def load(forums: dict) -> None:
    forum = forums.get("isfara-2011")
    if forum is None:
        return
    if db.session.scalar(sa.select(sa.func.count(ExhibitorApplication.id))
                         .where(ExhibitorApplication.forum_id == forum.id)):
        _agenda(forum)
        return
    rng = random.Random(20110540)
    _stands(forum)
    folder = service.photo_dir(current_app.config["UPLOAD_DIR"], forum.id)
    organizer = find_user("organizer@forum.example")
    paintings: dict[tuple[str, int], images.CleanImage] = {}
    groups = sorted(rng.sample(_shg_groups(forum), min(GROUPS, len(_shg_groups(forum)))), key=lambda g: g.id)
    applications = []
    for index, group in enumerate(groups):
        members = sorted(group.members, key=lambda p: p.id)
        contact = members[0]
        registration = db.session.scalar(sa.select(Registration).where(
            Registration.forum_id == forum.id, Registration.person_id == contact.id))
        application = ExhibitorApplication(
            forum_id=forum.id, organization_id=group.id, group_name=group.name, district_id=group.district_id,
            jamoat_id=group.jamoat_id, contact_name=contact.full_name, contact_phone=contact.phone,
            language=contact.language, member_count=min(3, len(members)), needs_table=True,
            needs_power=rng.random() < 0.2, status="pending", registration=registration,
            created_at=_when(forum, index), updated_at=_when(forum, index))
        for position, member in enumerate(members[1:3]):
            application.members.append(ExhibitorMember(full_name=member.full_name, phone=member.phone,
                                                       position=position))
        main = list(service.PRODUCT_CATEGORIES)[index % len(service.PRODUCT_CATEGORIES)]
        kinds = [main] + rng.sample([c for c in CATALOGUE if c != main], rng.randint(0, 2))
        for position, kind in enumerate(kinds):
            name, description, spec = rng.choice(CATALOGUE[kind])
            variant = (kind, rng.randrange(3))
            if variant not in paintings:
                paintings[variant] = images.clean_image(_painting(kind, random.Random(f"{kind}-{variant[1]}")),
                                                        formats=service.PHOTO_FORMATS, full_size=service.PHOTO_FULL,
                                                        thumb_size=service.PHOTO_THUMB)
            key = images.new_image_key()
            images.write_images(folder, key, paintings[variant])
            application.products.append(Product(name=name, category=kind, description=description,
                                                price=_price(rng, spec), image_key=key, position=position))
        db.session.add(application)
        applications.append(application)
    db.session.flush()
    for index, application in enumerate(applications):
        if index < APPROVED:
            review.approve(application, organizer, notify_group=False)
        elif index >= APPROVED + PENDING:
            review.reject(application, organizer, REJECTIONS[index % len(REJECTIONS)], notify_group=False)
    free = [s for s in plan.stands_of(forum) if s.state == "open"]
    for stand, application in zip(free, applications[:PLACED], strict=False):
        plan.assign(stand, application, organizer, notify_group=False)
    _agenda(forum)
    db.session.flush()


def _agenda(forum: Forum) -> None:
    """The exhibition on the agenda: the agenda's own item when it has one, else 09:45–16:30."""
    if agenda_link.agenda_item(forum) is not None or service.settings_for(forum).area_id is None:
        return
    zone = ZoneInfo(forum.timezone)
    day = forum.starts_at.astimezone(zone).date()
    # When the area is taken by something the organizers planned, they decide.
    with contextlib.suppress(service.ExhibitionError):
        agenda_link.put_on_agenda(forum, datetime.combine(day, time(9, 45), tzinfo=zone),
                                  datetime.combine(day, time(16, 30), tzinfo=zone))
