"""The Isfara demo's job fair: self-registered employers, vetted vacancies, a pipeline in motion."""
import sqlalchemy as sa

from forum.demo.core import load_core
from forum.extensions import db
from forum.jobfair import demo
from forum.jobfair.models import Booth, Employer, Interest, Vacancy


def _count(stmt) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(stmt.subquery()))


def test_demo_job_fair_is_complete_vetted_and_loads_once(app, client):
    forums = load_core()
    db.session.commit()
    demo.load(forums)
    db.session.commit()
    demo.load(forums)  # idempotent
    db.session.commit()
    assert _count(sa.select(Employer)) == len(demo.EMPLOYERS)
    assert _count(sa.select(Employer).where(Employer.status == "pending")) == 1
    statuses = list(db.session.scalars(sa.select(Vacancy.status)))
    assert statuses.count("rejected") == 1 and statuses.count("pending") == 2 and statuses.count("approved") == 6
    assert _count(sa.select(Interest)) >= 30
    stages = set(db.session.scalars(sa.select(Interest.stage)))
    assert {"contacted", "interviewed", "offered", "hired", "declined"} <= stages
    assert _count(sa.select(Booth).where(Booth.employer_id.is_not(None))) >= 5
    page = client.get("/f/isfara-2011/jobs").get_data(as_text=True)
    assert "Швея-мотористка" in page and "Южной Корее" not in page and "Технолог" not in page
    assert "Нур-Трейд" not in page
    response = client.post("/auth/login", data={"email": "employer@forum.example", "password": demo.PASSWORD})
    assert response.status_code == 302
    assert "Исфара Текстиль" in client.get("/employer/").get_data(as_text=True)
