"""Booths in the job-fair area, one employer each, on SQLite and PostgreSQL; employers' staff."""
import threading

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.jobfair import booths
from forum.jobfair.models import Booth, Employer
from forum.jobfair.service import JobFairError
from forum.people.models import Registration
from tests.jobfair_fixtures import job_fair, login_as, make_employer, quick_hashes  # noqa: F401

pytestmark = pytest.mark.both_dbs


def _race(app, jobs) -> list[str]:
    """Run each (booth_id, employer_id) assignment in its own thread and session, at the same moment."""
    results = []
    barrier = threading.Barrier(len(jobs))

    def assign(booth_id: int, employer_id: int):
        with app.app_context():
            try:
                booth, employer = db.session.get(Booth, booth_id), db.session.get(Employer, employer_id)
                barrier.wait()
                booths.assign_booth(booth, employer)
                db.session.commit()
                results.append("ok")
            except JobFairError as error:  # the service explains; no raw database error escapes
                db.session.rollback()
                results.append(error.code)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=assign, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_organizers_giving_one_booth_to_two_employers_at_once_book_it_once(app, forum):
    a, b = make_employer(forum), make_employer(forum)
    booth = booths.add_booths(forum, 1)[0]
    db.session.commit()
    results = _race(app, [(booth.id, a.id), (booth.id, b.id)])
    assert sorted(results) in (["booth_taken", "ok"], ["busy", "ok"])
    db.session.expire_all()
    assert db.session.get(Booth, booth.id).employer_id in (a.id, b.id)


def test_two_organizers_giving_one_employer_two_booths_at_once_give_one(app, forum):
    employer = make_employer(forum)
    first, second = booths.add_booths(forum, 2)
    db.session.commit()
    results = _race(app, [(first.id, employer.id), (second.id, employer.id)])
    assert sorted(results) in (["employer_has_booth", "ok"], ["busy", "ok"])
    held = db.session.scalar(sa.select(sa.func.count(Booth.id)).where(Booth.employer_id == employer.id))
    assert held == 1


def test_the_database_refuses_a_second_booth_for_one_employer(app, forum):
    employer = make_employer(forum)
    first, second = booths.add_booths(forum, 2)
    first.employer_id = second.employer_id = employer.id
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()


def test_booths_need_the_job_fair_area(app, forum):
    from tests.factories import make_forum

    tentless = make_forum(slug="no-tent")
    with pytest.raises(JobFairError) as error:
        booths.add_booths(tentless, 3)
    assert error.value.code == "no_job_fair_area"


def test_organizer_adds_assigns_and_frees_booths(client, auth, forum):
    employer = make_employer(forum, organization_name="ООО «Бинокор»")
    make_employer(forum, status="pending", organization_name="ООО «Непроверенный»")
    auth.login("organizer")
    client.post("/manage/isfara-test/jobfair/booths", data={"count": "3", "prefix": "A-"})
    client.post("/manage/isfara-test/jobfair/booths", data={"count": "1", "prefix": "A-"})
    labels = [b.label for b in booths.booths_of(forum)]
    assert labels == ["A-1", "A-2", "A-3", "A-4"]
    page = client.get("/manage/isfara-test/jobfair/booths").get_data(as_text=True)
    assert "ООО «Бинокор»" in page and "ООО «Непроверенный»" not in page  # only approved employers get booths
    booth = booths.booths_of(forum)[1]
    client.post(f"/manage/isfara-test/jobfair/booths/{booth.id}/assign", data={"employer_id": str(employer.id)})
    assert booths.booth_of(forum, employer).label == "A-2"
    other = booths.booths_of(forum)[2]
    page = client.post(f"/manage/isfara-test/jobfair/booths/{other.id}/assign",
                       data={"employer_id": str(employer.id)}, follow_redirects=True).get_data(as_text=True)
    assert "У этого работодателя уже есть стенд" in page
    client.post(f"/manage/isfara-test/jobfair/booths/{booth.id}/release")
    assert booths.booth_of(forum, employer) is None


def test_employer_sees_their_booth_and_registers_staff_for_badges(client, forum):
    employer = make_employer(forum)
    booth = booths.add_booths(forum, 4)[2]
    booths.assign_booth(booth, employer)
    db.session.commit()
    login_as(client, employer.user)
    assert "Ваш стенд: 3" in client.get("/employer/").get_data(as_text=True)
    client.post("/employer/fairs/isfara-test/staff", data={"full_name": "Назаров Илҳом", "phone": "92 111 22 33"})
    registration = db.session.scalar(sa.select(Registration).where(Registration.category == "employer"))
    assert registration.person.full_name == "Назаров Илҳом" and registration.forum_id == forum.id
    assert registration.status == "confirmed" and registration.person.organization_id == employer.organization_id
    page = client.post("/employer/fairs/isfara-test/staff",
                       data={"full_name": "Двойник", "phone": "+992921112233"}).get_data(as_text=True)
    assert "Этот номер уже зарегистрирован на этот форум." in page
    client.post(f"/employer/fairs/isfara-test/staff/{registration.id}/remove")
    db.session.refresh(registration)
    assert registration.status == "cancelled"


def test_an_employer_cannot_remove_another_employers_staff(client, forum):
    from forum.jobfair import staff

    a, b = make_employer(forum), make_employer(forum)
    theirs = staff.add_staff(b, forum, "Сотрудник Б", "+992921112244")
    db.session.commit()
    login_as(client, a.user)
    assert client.post(f"/employer/fairs/isfara-test/staff/{theirs.id}/remove").status_code == 404
    db.session.refresh(theirs)
    assert theirs.status == "confirmed"
