"""The Isfara demo has its exhibition: 30 groups' applications with photos, a plan with
assigned stands, signs to print, a public catalogue and one exhibition on the agenda."""
from __future__ import annotations

import io
import re

import sqlalchemy as sa
from pypdf import PdfReader

from forum import images
from forum.agenda.models import AgendaItem
from forum.exhibition import plan, service
from forum.exhibition.models import ExhibitorApplication, Product
from forum.extensions import db
from forum.messaging.models import Message


def test_isfara_demo_has_applications_a_plan_signs_and_a_catalogue(app, client):
    from forum.agenda import demo as agenda_demo
    from forum.demo.core import load_core
    from forum.exhibition import demo

    forums = load_core()
    db.session.commit()
    agenda_demo.load(forums)  # the agenda plans an exhibition item first (DEMO order 10 before 40)
    db.session.commit()
    demo.load(forums)
    db.session.commit()
    isfara = forums["isfara-2011"]
    assert service.status_counts(isfara) == {"approved": 24, "pending": 3, "rejected": 3}
    stands = plan.stands_of(isfara)
    assert sum(1 for s in stands if s.status == "assigned") == 22
    assert {s.status for s in stands} == {"free", "reserved", "assigned", "blocked"}
    products = db.session.scalars(sa.select(Product)).all()
    assert len(products) >= 30
    folder = service.photo_dir(app.config["UPLOAD_DIR"], isfara.id)
    assert all(images.image_path(folder, p.image_key).is_file() for p in products)
    exhibitions = db.session.scalars(sa.select(AgendaItem).where(AgendaItem.forum_id == isfara.id,
                                                                  AgendaItem.kind == "exhibition")).all()
    assert len(exhibitions) == 1  # the agenda's own item, reused
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 0  # the demo sends nobody anything

    page = client.get("/f/isfara-2011/exhibitors").get_data(as_text=True)
    assert len(re.findall(r'<article class="group-card"', page)) == 24
    assert page.count('class="stand stand-group"') == 22
    from forum.demo.core import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD

    client.post("/auth/login", data={"email": DEMO_ORGANIZER_EMAIL, "password": DEMO_ORGANIZER_PASSWORD})
    reader = PdfReader(io.BytesIO(client.get("/manage/isfara-2011/exhibition/signs.pdf").data))
    assert len(reader.pages) == 22
    applications = db.session.scalar(sa.select(sa.func.count(ExhibitorApplication.id)))
    demo.load(forums)  # idempotent
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count(ExhibitorApplication.id))) == applications
