"""Fixtures for the people tests: districts and jamoats of the press release, and files."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.people.models import District, Jamoat, Organization, Person, Registration

HEADER = "full_name;phone;email;language;gender;organization;organization_kind;district;jamoat;category;status"


@pytest.fixture(name="places")
def places_fixture(app):
    """Isfara (Chorkuh, Surkh) and Ghonchi (Ghonchi, Mujun), named in three languages."""
    isfara = District(key="isfara", name={"ru": "Исфара", "tg": "Исфара", "en": "Isfara"})
    isfara.jamoats = [Jamoat(key="chorkuh", name={"ru": "Чоркух", "tg": "Чоркӯҳ", "en": "Chorkuh"}),
                      Jamoat(key="surkh", name={"ru": "Сурх", "tg": "Сурх", "en": "Surkh"})]
    ghonchi = District(key="ghonchi", name={"ru": "Гончи", "tg": "Ғончӣ", "en": "Ghonchi"})
    ghonchi.jamoats = [Jamoat(key="ghonchi", name={"ru": "Гончи", "tg": "Ғончӣ", "en": "Ghonchi"}),
                       Jamoat(key="mujun", name={"ru": "Муджун", "tg": "Муҷун", "en": "Mujun"})]
    db.session.add_all([isfara, ghonchi])
    db.session.commit()
    return {"isfara": isfara, "ghonchi": ghonchi, "chorkuh": isfara.jamoats[0], "surkh": isfara.jamoats[1],
            "mujun": ghonchi.jamoats[1]}


def csv_bytes(*lines: str, header: str = HEADER, bom: bool = True, delimiter: str = ";") -> bytes:
    text = "\r\n".join([header, *lines]).replace(";", delimiter) + "\r\n"
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def xlsx_bytes(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def counts() -> tuple[int, int, int]:
    """(persons, organizations, registrations) in the database."""
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model))
                 for model in (Person, Organization, Registration))
