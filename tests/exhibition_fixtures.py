"""Test data for the exhibition: real photos made with Pillow, a forum with an exhibition area
and a jamoat, applications made through the service the app uses."""
from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image

import forum.models  # noqa: F401  (every model known before a PostgreSQL database is made)
from forum.events.models import Area
from forum.exhibition import plan, review, service
from forum.extensions import db
from forum.people.models import District, Jamoat
from tests import factories


def jpeg_bytes(size=(800, 600), colour=(200, 40, 40), exif=None) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG", quality=90, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png_bytes(size=(400, 300), colour=(30, 120, 200, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, "PNG")
    return out.getvalue()


def place() -> tuple[District, Jamoat]:
    district = District(key="isfara", name={"ru": "Исфара", "tg": "Исфара", "en": "Isfara"})
    jamoat = Jamoat(key="chorkuh", name={"ru": "Чоркух", "tg": "Чоркӯҳ", "en": "Chorkuh"})
    district.jamoats.append(jamoat)
    db.session.add(district)
    db.session.commit()
    return district, jamoat


def exhibition_forum(slug: str = "isfara-test"):
    """A published forum with an exhibition area 30 × 20 m."""
    forum = factories.make_forum(slug=slug)
    forum.areas.append(Area(key="exhibition", name={"ru": "Выставочная площадь", "en": "Exhibition square"},
                            kind="exhibition", capacity=None, position=5))
    db.session.commit()
    service.stored_settings(forum)
    db.session.commit()
    return forum


counter = iter(range(1, 10_000))


def application_data(jamoat: Jamoat, group: str | None = None, phone: str | None = None, products=None,
                     members=None) -> service.ApplicationData:
    n = next(counter)
    return service.ApplicationData(
        group_name=group or f"ГВП «Ободӣ-{n}»", district_id=jamoat.district_id, jamoat_id=jamoat.id,
        contact_name=f"Каримова Зарина {n}", contact_phone=phone or f"+99293{n:07d}", member_count=3,
        members=members if members is not None else [(f"Назарова Мунира {n}", f"+99298{n:07d}")],
        products=products if products is not None else [
            service.ProductData(name="Курага", category="dried_fruit", price=Decimal("35.50"), photo=jpeg_bytes())])


def make_application(forum, jamoat, status: str = "pending", upload_dir: str = "", **extra):
    from flask import current_app

    applied = service.apply(forum, application_data(jamoat, **extra), upload_dir or current_app.config["UPLOAD_DIR"])
    application = applied.application
    if status == "approved":
        review.approve(application, None)
    elif status == "rejected":
        review.reject(application, None, "Не подходит")
    db.session.commit()
    return application


def make_type(forum, name: str = "Стандарт 3 × 2 м"):
    stand_type = plan.save_type(forum, plan.TypeData(name, Decimal("3"), Decimal("2"), 1, 2, False))
    db.session.commit()
    return stand_type


def make_stands(forum, rows: int = 2, columns: int = 4):
    stand_type = make_type(forum)
    stands = plan.make_grid(forum, plan.GridData(rows=rows, columns=columns, type_id=stand_type.id))
    db.session.commit()
    return stands
