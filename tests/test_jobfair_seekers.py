"""Job seekers express interest with the consent they choose; employers see only that and move
them through their pipeline; walk-ins at the booth; interview times by SMS."""
from datetime import time

import pytest
import sqlalchemy as sa

from forum.extensions import db
from forum.jobfair import booths, pipeline
from forum.jobfair.models import Interest
from forum.messaging.models import Message
from tests.factories import make_person, make_registration
from tests.jobfair_fixtures import job_fair, login_as, make_employer, make_vacancy, quick_hashes  # noqa: F401


@pytest.fixture
def setting(forum):
    employer = make_employer(forum, organization_name="ООО «Исфара Текстиль»")
    vacancy = make_vacancy(employer, forum, title={"ru": "Швея-мотористка"})
    seeker = make_registration(forum, make_person("Сафарова Малика", phone="+992927705555"))
    booth = booths.add_booths(forum, 3)[1]
    booths.assign_booth(booth, employer)
    db.session.commit()
    return {"employer": employer, "vacancy": vacancy, "seeker": seeker, "booth": booth}


def _employer_view(client, s) -> str:
    login_as(client, s["employer"].user)
    page = client.get(f"/employer/vacancies/{s['vacancy'].id}").get_data(as_text=True)
    client.post("/auth/logout")
    return page


def test_personal_page_lists_approved_vacancies_with_an_interest_button(client, setting):
    page = client.get(f"/r/{setting['seeker'].token}").get_data(as_text=True)
    assert "Швея-мотористка" in page and "ООО «Исфара Текстиль»" in page
    assert "Мне интересно" in page and "Стенд 2" in page


@pytest.mark.parametrize("share, name_shown, phone_shown", [
    ("name_phone", True, True), ("name", True, False), ("nothing", False, False)])
def test_employer_sees_only_what_the_seeker_agreed_to_share(client, setting, share, name_shown, phone_shown):
    s = setting
    response = client.post(f"/r/{s['seeker'].token}/jobs/{s['vacancy'].id}/interest",
                           data={f"v{s['vacancy'].id}-share": share})
    assert response.status_code == 302 and response.headers["Location"].endswith("#jobs")
    page = _employer_view(client, s)
    assert ("Сафарова Малика" in page) is name_shown
    assert ("+992 92 770 5555" in page) is phone_shown
    assert "Кандидат № " in page or name_shown


def test_interest_needs_a_consent_choice_and_is_recorded_once(client, setting):
    s = setting
    url = f"/r/{s['seeker'].token}/jobs/{s['vacancy'].id}/interest"
    page = client.post(url, data={}, follow_redirects=True).get_data(as_text=True)
    assert "Выберите, что может видеть работодатель" in page
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 0
    client.post(url, data={f"v{s['vacancy'].id}-share": "name"})
    page = client.post(url, data={f"v{s['vacancy'].id}-share": "name"}, follow_redirects=True).get_data(as_text=True)
    assert "Вы уже сообщили этому работодателю" in page
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 1


def test_unknown_token_or_another_forums_vacancy_is_404(client, setting):
    from tests.factories import make_forum

    s = setting
    assert client.post(f"/r/nope/jobs/{s['vacancy'].id}/interest", data={}).status_code == 404
    other = make_forum(slug="other")
    other.activities = ["job_fair"]
    db.session.commit()
    stranger = make_registration(other)
    assert client.post(f"/r/{stranger.token}/jobs/{s['vacancy'].id}/interest",
                       data={f"v{s['vacancy'].id}-share": "name"}).status_code == 404


def test_unapproved_vacancy_cannot_be_chosen(client, setting):
    s = setting
    pending = make_vacancy(s["employer"], s["vacancy"].forum, status="pending", title={"ru": "Технолог"})
    assert "Технолог" not in client.get(f"/r/{s['seeker'].token}").get_data(as_text=True)
    page = client.post(f"/r/{s['seeker'].token}/jobs/{pending.id}/interest",
                       data={f"v{pending.id}-share": "name"}, follow_redirects=True).get_data(as_text=True)
    assert "Эта вакансия больше не открыта." in page
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 0


def test_seeker_withdraws_and_the_employer_no_longer_sees_them(client, setting):
    s = setting
    pipeline.express_interest(s["seeker"], s["vacancy"], "name_phone")
    db.session.commit()
    assert "Сафарова Малика" in _employer_view(client, s)
    client.post(f"/r/{s['seeker'].token}/jobs/{s['vacancy'].id}/withdraw")
    assert "Сафарова Малика" not in _employer_view(client, s)
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 0


def test_consent_limits_are_kept_by_the_database(app, setting):
    s = setting
    db.session.add(Interest(vacancy=s["vacancy"], registration=s["seeker"], share="name", shared_name="X",
                            shared_phone="+992927705555"))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()


def test_walk_in_leaves_name_and_phone_at_the_booth_tablet(client, auth, setting):
    s = setting
    auth.login("staff")
    url = f"/jobfair/isfara-test/booths/{s['booth'].id}"
    page = client.get(url).get_data(as_text=True)
    assert "Швея-мотористка" in page and "Стенд 2" in page
    data = {"full_name": "Юсупова Зебо", "phone": "93 555 01 01", "vacancy_ids": [str(s["vacancy"].id)]}
    page = client.post(url, data=data).get_data(as_text=True)
    assert "Пожалуйста, дайте согласие" in page
    response = client.post(url, data=dict(data, consent="y"))
    assert response.status_code == 302
    after = client.get(url).get_data(as_text=True)
    assert "Юсупова" not in after and "935550101" not in after  # the next visitor reads nothing
    interest = db.session.scalar(sa.select(Interest))
    assert (interest.source, interest.shared_name, interest.shared_phone) == ("booth", "Юсупова Зебо", "+992935550101")
    client.post(url, data=dict(data, consent="y"))
    assert db.session.scalar(sa.select(sa.func.count(Interest.id))) == 1


def test_walk_in_with_a_registered_phone_is_linked_to_their_registration(client, auth, setting):
    s = setting
    auth.login("organizer")
    client.post(f"/jobfair/isfara-test/booths/{s['booth'].id}",
                data={"full_name": "Сафарова М.", "phone": "+992927705555", "vacancy_ids": [str(s["vacancy"].id)],
                      "consent": "y"})
    assert db.session.scalar(sa.select(Interest)).registration_id == s["seeker"].id
    assert "Вы заинтересованы" in client.get(f"/r/{s['seeker'].token}").get_data(as_text=True)


def test_employer_opens_only_their_own_booth_page(client, setting, forum):
    s = setting
    other = make_employer(forum, organization_name="ООО «Другой»")
    login_as(client, other.user)
    assert client.get(f"/jobfair/isfara-test/booths/{s['booth'].id}").status_code == 404
    client.post("/auth/logout")
    login_as(client, s["employer"].user)
    assert client.get(f"/jobfair/isfara-test/booths/{s['booth'].id}").status_code == 200


def test_employer_moves_a_seeker_through_the_pipeline_and_figures_count_it(client, auth, setting):
    s = setting
    interest = pipeline.express_interest(s["seeker"], s["vacancy"], "name_phone")
    db.session.commit()
    login_as(client, s["employer"].user)
    for stage in ("contacted", "interviewed", "offered", "hired"):
        assert client.post(f"/employer/interests/{interest.id}/stage", data={"stage": stage}).status_code == 302
    db.session.refresh(interest)
    assert interest.stage == "hired" and interest.interviewed_at and interest.offered_at and interest.hired_at
    offer = db.session.scalar(sa.select(Message).where(Message.channel == "sms"))
    assert offer.recipient == "+992927705555" and "ООО «Исфара Текстиль»" in offer.body
    client.post("/auth/logout")
    auth.login("organizer")
    page = client.get("/manage/isfara-test/jobfair/figures").get_data(as_text=True)
    assert "Текстиль и швейное производство" in page
    from forum.jobfair.figures import forum_figures

    total = forum_figures(s["vacancy"].forum)["total"]
    assert total == {"employers": 1, "vacancies": 1, "positions": 5, "seekers": 1, "interviews": 1, "offers": 1,
                     "hires": 1}


def test_declined_after_an_interview_still_counts_the_interview(app, setting):
    s = setting
    interest = pipeline.express_interest(s["seeker"], s["vacancy"], "name")
    pipeline.set_stage(interest, "interviewed")
    pipeline.set_stage(interest, "declined")
    assert interest.interviewed_at is not None and interest.declined_at is not None
    pipeline.set_stage(interest, "contacted")  # a slip corrected: later stages are cleared
    assert interest.interviewed_at is None and interest.declined_at is None


def test_employer_offers_an_interview_time_and_the_seeker_gets_an_sms_and_sees_it(client, setting):
    s = setting
    interest = pipeline.express_interest(s["seeker"], s["vacancy"], "name")
    db.session.commit()
    login_as(client, s["employer"].user)
    page = client.post("/employer/fairs/isfara-test/interviews",
                       data={"start": "07:00", "end": "08:00", "minutes": "20"}).get_data(as_text=True)
    assert "в часы работы форума" in page
    client.post("/employer/fairs/isfara-test/interviews", data={"start": "10:00", "end": "11:00", "minutes": "20"})
    slots = pipeline.slots_of(s["employer"], s["vacancy"].forum)
    assert [slot.starts_at.hour for slot in slots] == [5, 5, 5]  # 10:00, 10:20, 10:40 in Dushanbe
    client.post(f"/employer/interests/{interest.id}/interview", data={"slot_id": str(slots[1].id)})
    sms = db.session.scalar(sa.select(Message).where(Message.channel == "sms"))
    assert sms.recipient == "+992927705555" and "10:20" in sms.body and "2" in sms.body
    assert "10:20" in client.get(f"/r/{s['seeker'].token}").get_data(as_text=True)


def test_two_seekers_cannot_get_the_same_interview_time(app, setting):
    from forum.jobfair.service import JobFairError

    s = setting
    first = pipeline.express_interest(s["seeker"], s["vacancy"], "name")
    second = pipeline.express_interest(make_registration(s["vacancy"].forum), s["vacancy"], "name")
    pipeline.add_slots(s["employer"], s["vacancy"].forum, time(10), time(10, 30), 30)
    slot = pipeline.slots_of(s["employer"], s["vacancy"].forum)[0]
    pipeline.offer_interview(first, slot, "2")
    with pytest.raises(JobFairError) as error:
        pipeline.offer_interview(second, slot, "2")
    assert error.value.code == "slot_taken"


def test_staff_of_employers_do_not_get_the_job_panel(client, setting):
    s = setting
    staff = make_registration(s["vacancy"].forum, category="employer")
    assert "Мне интересно" not in client.get(f"/r/{staff.token}").get_data(as_text=True)


def test_an_employer_rejected_later_no_longer_sees_the_seekers(client, setting):
    from forum.jobfair.service import decide_employer

    s = setting
    interest = pipeline.express_interest(s["seeker"], s["vacancy"], "name_phone")
    decide_employer(s["employer"], False, "Жалобы работников на невыплату зарплаты", None)
    db.session.commit()
    login_as(client, s["employer"].user)
    response = client.get(f"/employer/vacancies/{s['vacancy'].id}")
    assert response.status_code == 302
    assert "Сафарова" not in client.get("/employer/").get_data(as_text=True)
    assert client.post(f"/employer/interests/{interest.id}/stage", data={"stage": "hired"}).status_code == 302
    db.session.refresh(interest)
    assert interest.stage == "interested"
