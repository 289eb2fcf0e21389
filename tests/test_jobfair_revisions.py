"""An edit of an approved vacancy waits as a revision: the approved text stays public everywhere
(list, page, a seeker's private page, the booth tablet, the API) until an organizer approves
the changes, which then replace it at once; rejecting them keeps the approved text."""
import re

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.jobfair import booths, service
from forum.jobfair.models import Vacancy, VacancyRevision
from forum.messaging.models import Message
from tests.factories import make_person, make_registration
from tests.jobfair_fixtures import (  # noqa: F401
    FAR,
    job_fair,
    login_as,
    make_employer,
    make_vacancy,
    quick_hashes,
    vacancy_data,
)
from tests.test_jobfair_vacancies import FORM

EDITED = dict(FORM, **{"title-ru": "Швея (вечерняя смена)", "wage_max": "2500"}, send="1")


@pytest.fixture
def fair(forum):
    employer = make_employer(forum, organization_name="ООО «Исфара Текстиль»")
    vacancy = make_vacancy(employer, forum, title={"ru": "Швея-мотористка"}, wage_max=1800)
    seeker = make_registration(forum, make_person("Сафарова Малика", phone="+992927705555"))
    booth = booths.add_booths(forum, 2)[0]
    booths.assign_booth(booth, employer)
    db.session.commit()
    return {"employer": employer, "vacancy": vacancy, "seeker": seeker, "booth": booth}


def _everywhere(client, auth, s) -> list[str]:
    """What the public, the seeker, the booth tablet and the API show of the vacancy."""
    vacancy = s["vacancy"]
    client.post("/auth/logout")
    seen = [client.get("/f/isfara-test/jobs").get_data(as_text=True),
            client.get(f"/f/isfara-test/jobs/{vacancy.id}").get_data(as_text=True),
            client.get(f"/r/{s['seeker'].token}").get_data(as_text=True)]
    api = client.get("/api/v1/forums/isfara-test/vacancies").json
    seen.append(" ".join(f"{v['title']} {v['wage']['max']}" for v in api["vacancies"]))
    auth.login("staff")
    seen.append(client.get(f"/jobfair/isfara-test/booths/{s['booth'].id}").get_data(as_text=True))
    client.post("/auth/logout")
    return seen


def _edit(client, s, data=EDITED):
    login_as(client, s["employer"].user)
    response = client.post(f"/employer/vacancies/{s['vacancy'].id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def _version(page: str) -> str:
    return re.search(r'name="version" type="hidden" value="([^"]+)"', page).group(1)


def test_an_edit_of_an_approved_vacancy_stays_aside_until_approved(client, auth, fair):
    s = fair
    _edit(client, s)
    page = client.get(f"/employer/vacancies/{s['vacancy'].id}").get_data(as_text=True)
    assert "Изменения ждут одобрения" in page and "Опубликована" in page
    form = client.get(f"/employer/vacancies/{s['vacancy'].id}/edit").get_data(as_text=True)
    assert "Швея (вечерняя смена)" in form  # they go on from their own edit
    db.session.expire_all()
    assert s["vacancy"].status == "approved" and s["vacancy"].title == {"ru": "Швея-мотористка"}
    for seen in _everywhere(client, auth, s):
        assert "Швея-мотористка" in seen and "вечерняя смена" not in seen
    assert "1800" in _everywhere(client, auth, s)[3]

    auth.login("organizer")
    overview = client.get("/manage/isfara-test/jobfair").get_data(as_text=True)
    assert "Швея-мотористка" in overview and "Изменения ждут одобрения" in overview
    waiting = client.get("/manage/isfara-test/jobfair/vacancies?status=pending").get_data(as_text=True)
    assert "Швея-мотористка" in waiting
    review = client.get(f"/manage/isfara-test/jobfair/vacancies/{s['vacancy'].id}").get_data(as_text=True)
    differences = review[review.index('id="revision"'):]
    assert "<del>1800</del>" in differences and "<ins>2500</ins>" in differences
    assert "Швея (вечерняя смена)" in differences and ">Город или место<" not in differences  # only what changed
    response = client.post(f"/manage/isfara-test/jobfair/vacancies/{s['vacancy'].id}",
                           data={"approve": "1", "version": _version(review)})
    assert response.status_code == 302
    db.session.expire_all()
    assert s["vacancy"].status == "approved" and s["vacancy"].wage_max == 2500
    assert db.session.scalar(sa.select(sa.func.count(VacancyRevision.id))) == 0
    for seen in _everywhere(client, auth, s):
        assert "Швея (вечерняя смена)" in seen
    assert "2500" in _everywhere(client, auth, s)[3]
    told = db.session.scalar(sa.select(Message).where(Message.recipient == s["employer"].user.email)
                             .order_by(Message.id.desc()))
    assert told.subject == "Ярмарка вакансий: изменения одобрены: Швея (вечерняя смена)"


def test_rejected_changes_leave_the_approved_text_and_tell_the_employer_why(client, auth, fair):
    s = fair
    _edit(client, s)
    client.post("/auth/logout")
    auth.login("organizer")
    url = f"/manage/isfara-test/jobfair/vacancies/{s['vacancy'].id}"
    version = _version(client.get(url).get_data(as_text=True))
    page = client.post(url, data={"reject": "1", "reason": " ", "version": version}).get_data(as_text=True)
    assert "Пожалуйста, напишите причину" in page
    client.post(url, data={"reject": "1", "reason": "Зарплата выше рыночной втрое: уточните.", "version": version})
    db.session.expire_all()
    assert s["vacancy"].status == "approved" and s["vacancy"].wage_max == 1800
    assert s["vacancy"].revision.status == "rejected"
    assert "Швея-мотористка" in client.get("/f/isfara-test/jobs").get_data(as_text=True)
    told = db.session.scalar(sa.select(Message).where(Message.recipient == s["employer"].user.email)
                             .order_by(Message.id.desc()))
    assert "изменения не одобрены" in told.subject and "втрое" in told.body
    client.post("/auth/logout")
    login_as(client, s["employer"].user)
    page = client.get(f"/employer/vacancies/{s['vacancy'].id}").get_data(as_text=True)
    assert "Организаторы не одобрили ваши изменения" in page and "втрое" in page
    # Corrected and sent again: waiting once more, the approved text still public.
    _edit(client, s, dict(EDITED, wage_max="2000"))
    db.session.expire_all()
    assert s["vacancy"].pending_revision is not None and s["vacancy"].wage_max == 1800


def test_the_organizer_approves_only_the_changes_they_read(client, auth, fair):
    s = fair
    _edit(client, s)
    client.post("/auth/logout")
    auth.login("organizer")
    url = f"/manage/isfara-test/jobfair/vacancies/{s['vacancy'].id}"
    version = _version(client.get(url).get_data(as_text=True))
    client.post("/auth/logout")
    _edit(client, s, dict(EDITED, wage_max="9000"))  # changed again while the organizer reads
    client.post("/auth/logout")
    auth.login("organizer")
    page = client.post(url, data={"approve": "1", "version": version}).get_data(as_text=True)
    assert "больше не ждёт решения" in page
    db.session.expire_all()
    assert s["vacancy"].wage_max == 1800 and s["vacancy"].pending_revision is not None


def test_an_edit_back_to_the_approved_text_withdraws_the_changes(app, fair):
    s = fair
    service.save_vacancy(s["employer"], s["vacancy"].forum, vacancy_data(title={"ru": "Другое"}), s["vacancy"],
                         submit=True)
    assert s["vacancy"].pending_revision is not None
    service.save_vacancy(s["employer"], s["vacancy"].forum, vacancy_data(title={"ru": "Швея-мотористка"},
                                                                         wage_max=1800), s["vacancy"], submit=True)
    db.session.commit()
    assert s["vacancy"].revision is None and s["vacancy"].status == "approved"


def test_closing_the_vacancy_drops_the_changes_waiting(client, fair):
    s = fair
    _edit(client, s)
    client.post(f"/employer/vacancies/{s['vacancy'].id}/close")
    db.session.expire_all()
    assert s["vacancy"].status == "closed" and s["vacancy"].revision is None


def test_changes_need_both_promises_like_a_new_vacancy(client, fair):
    s = fair
    login_as(client, s["employer"].user)
    data = dict(EDITED)
    data.pop("no_fee")
    page = client.post(f"/employer/vacancies/{s['vacancy'].id}/edit", data=data).get_data(as_text=True)
    assert "только если кандидаты ничего не платят" in page
    assert db.session.scalar(sa.select(sa.func.count(VacancyRevision.id))) == 0
    assert db.session.get(Vacancy, s["vacancy"].id).no_fee is True


def test_partners_hear_of_approved_changes_as_an_approved_vacancy(app, fair):
    """Webhooks: the new text reaches partners once approved, never while it waits."""
    import json

    from forum.api import webhooks
    from forum.messaging import outbox
    from tests.factories import make_user
    from tests.test_api_webhooks import Receiver

    s = fair
    receiver = Receiver()
    try:
        webhooks.add_webhook(s["vacancy"].forum, receiver.url, ["vacancy.approved"])
        db.session.commit()
        service.save_vacancy(s["employer"], s["vacancy"].forum, vacancy_data(title={"ru": "Швея (вечерняя смена)"}),
                             s["vacancy"], submit=True)
        db.session.commit()
        outbox.send_pending(now=None)
        assert receiver.received == []
        service.decide_vacancy(s["vacancy"], True, "", make_user("organizer"))
        db.session.commit()
        outbox.send_pending(now=None)
        bodies = [json.loads(r["body"]) for r in receiver.received]
        assert [(b["event"], b["data"]["title"]) for b in bodies] == [("vacancy.approved", "Швея (вечерняя смена)")]
    finally:
        receiver.close()
