"""A self-help group applies for a stand from the public form: one application per group,
real photos only, prices as numbers, and nothing saved when anything is refused."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from config import TestConfig
from forum import create_app
from forum.exhibition import review, service
from forum.exhibition.models import ExhibitorApplication, Product
from forum.extensions import db
from forum.messaging.models import Message
from forum.people.models import Jamoat, Organization, Person, Registration
from tests import factories
from tests.exhibition_fixtures import exhibition_forum, place, png_bytes
from tests.test_images import _png_header_only, _two_colour_jpeg

URL = "/f/isfara-test/exhibit/apply"


@pytest.fixture
def exhibition(app):
    return exhibition_forum()


@pytest.fixture
def jamoat(app):
    return place()[1]


def form(jamoat, photo=None, **overrides) -> dict:
    data = {
        "group_name": "ГВП «Гулрез», Чоркӯҳ", "district_id": str(jamoat.district_id), "jamoat_id": str(jamoat.id),
        "jamoat_other": "", "contact_name": "Раҳимова Гулнора", "contact_phone": "92 770 18 06",
        "contact_email": "gulnora@example.org", "member_count": "3",
        "members-0-full_name": "Сафарова Малика", "members-0-phone": "93 555 12 34",
        "members-1-full_name": "Юсуфова Саодат", "members-1-phone": "",
        "products-0-name": "Сузани", "products-0-category": "embroidery", "products-0-price": "450",
        "products-0-description": "Ручная вышивка шёлком",
        "products-0-photo": (io.BytesIO(photo if photo is not None else _two_colour_jpeg(6)), "IMG_2041.jpg"),
        "products-1-name": "Курага", "products-1-category": "dried_fruit", "products-1-price": "35,50",
        "needs_table": "y", "needs_power": "y", "consent": "y",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _files(app) -> list[Path]:
    root = Path(app.config["UPLOAD_DIR"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_group_applies_with_photos_and_gets_its_private_page_by_sms(app, client, exhibition, jamoat):
    response = client.post(URL, data=form(jamoat), content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    application = db.session.scalar(sa.select(ExhibitorApplication))
    registration = application.registration
    # The same answer as for a contact registered before: the link goes by SMS and email only.
    assert response.headers["Location"] == "/f/isfara-test/exhibit/received"
    assert registration.token not in client.get(response.headers["Location"]).get_data(as_text=True)
    assert (application.status, application.group_name, application.contact_phone) == (
        "pending", "ГВП «Гулрез», Чоркӯҳ", "+992927701806")
    assert (registration.category, registration.status, registration.source) == ("exhibitor", "invited", "feature")
    assert application.organization.kind == "shg"
    assert [(p.name, p.price, p.category) for p in application.products] == [
        ("Сузани", Decimal("450.00"), "embroidery"), ("Курага", Decimal("35.50"), "dried_fruit")]
    assert [m.full_name for m in application.members] == ["Сафарова Малика", "Юсуфова Саодат"]
    key = application.products[0].image_key
    names = sorted(p.name for p in _files(app))
    assert names == sorted([f"{key}.jpg", f"{key}.thumb.jpg"])  # stored under a random key, not IMG_2041
    assert application.products[1].image_key is None
    page = client.get(f"/r/{registration.token}/exhibit").get_data(as_text=True)
    assert "Сузани" in page and "ГВП «Гулрез», Чоркӯҳ" in page
    # the contact gets the private link by SMS and email, through the outbox
    messages = db.session.scalars(sa.select(Message).order_by(Message.channel)).all()
    assert [(m.channel, m.recipient) for m in messages] == [("email", "gulnora@example.org"),
                                                            ("sms", "+992927701806")]
    assert all(f"/r/{registration.token}" in m.body for m in messages)


def test_second_application_of_a_group_shows_the_first_but_never_its_link(app, client, exhibition, jamoat):
    client.post(URL, data=form(jamoat), content_type="multipart/form-data")
    first = db.session.scalar(sa.select(ExhibitorApplication))
    token = first.registration.token
    response = client.post(URL, data=form(jamoat, contact_phone="93 000 11 22", group_name="гвп «гулрез», чоркӯҳ"),
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ГВП «Гулрез», Чоркӯҳ" in page and "Заявка на рассмотрении" in page
    assert token not in page and "/r/" not in page
    assert "927701806" not in page and "Раҳимова" not in page
    assert _count(ExhibitorApplication) == 1
    assert len(_files(app)) == 2


def test_a_known_contact_phone_under_another_group_name_names_no_group(app, client, exhibition, jamoat):
    client.post(URL, data=form(jamoat), content_type="multipart/form-data")
    first = db.session.scalar(sa.select(ExhibitorApplication))
    before = db.session.scalar(sa.select(sa.func.count(Message.id)))
    response = client.post(URL, data=form(jamoat, group_name="ГВП «Нур»"), content_type="multipart/form-data")
    # The usual answer, as for a new application; the group's link goes to the contact's phone.
    assert response.headers["Location"] == "/f/isfara-test/exhibit/received"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Гулрез" not in page and first.registration.token not in page
    resent = db.session.scalars(sa.select(Message).where(Message.id > 0).order_by(Message.id)).all()[before:]
    assert [(m.channel, m.recipient) for m in resent] == [("sms", "+992927701806"), ("email", "gulnora@example.org")]
    assert all(f"/r/{first.registration.token}" in m.body for m in resent)
    assert _count(ExhibitorApplication) == 1 and len(_files(app)) == 2


@pytest.mark.both_dbs
def test_a_stranger_applying_with_a_registered_womans_number_gets_nothing_of_hers(app, client, exhibition, jamoat):
    """Issue 16: the typed email used to receive her page's link. Now nothing is attached to her
    or changed, the answer is the usual one, and only her own link goes to her own phone and email."""
    person = factories.make_person("Раҳимова Гулнора", phone="+992927701806", email="gulnora.r@example.tj")
    earlier = factories.make_registration(exhibition, person, category="shg_leader")
    response = client.post(URL, data=form(jamoat, contact_name="Кто-то", contact_email="thief@example.com"),
                           content_type="multipart/form-data")
    assert response.headers["Location"] == "/f/isfara-test/exhibit/received"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert earlier.token not in page and "Раҳимова" not in page
    db.session.expire_all()
    application = db.session.scalar(sa.select(ExhibitorApplication))
    assert application.registration_id is None and application.contact_name == "Кто-то"
    assert db.session.get(Registration, earlier.id).category == "shg_leader"
    assert db.session.get(Person, person.id).email == "gulnora.r@example.tj"
    assert db.session.scalar(sa.select(sa.func.count(Registration.id))) == 1
    assert application.group_name not in client.get(f"/r/{earlier.token}").get_data(as_text=True)
    sent = db.session.scalars(sa.select(Message).order_by(Message.id)).all()
    assert sorted((m.channel, m.recipient) for m in sent) == [("email", "gulnora.r@example.tj"),
                                                               ("sms", "+992927701806")]
    assert all(m.registration_id == earlier.id and application.group_name not in m.body for m in sent)


BAD_UPLOADS = [
    (b"This is a letter, not a photo.\n" * 40, "photo.jpg"),
    (_two_colour_jpeg(1)[:700], "cut.jpg"),
    (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image.svg"),
    (b"<html><body><script>alert(1)</script></body></html>", "image.png"),
    (_png_header_only(30000, 30000), "huge.png"),
]


def test_bad_upload_is_refused_with_a_message_and_nothing_saved(app, client, exhibition, jamoat):
    for upload, name in BAD_UPLOADS:
        data = form(jamoat)
        data["products-0-photo"] = (io.BytesIO(upload), name)
        response = client.post(URL, data=data, content_type="multipart/form-data")
        page = response.get_data(as_text=True)
        assert response.status_code == 200, name
        assert "Этот файл не фото в формате JPEG или PNG" in page or "слишком много точек" in page, name
        assert _count(ExhibitorApplication) == 0 and _count(Product) == 0 and _count(Registration) == 0
        assert _count(Person) == 0 and _count(Organization) == 0 and _count(Message) == 0
        assert _files(app) == [], name


def test_bad_photo_in_a_later_row_keeps_the_good_photo_of_an_earlier_row_off_disk(app, client, exhibition, jamoat):
    data = form(jamoat, **{"products-1-photo": (io.BytesIO(b"GIF89a not really"), "x.jpg")})
    assert client.post(URL, data=data, content_type="multipart/form-data").status_code == 200
    assert _count(ExhibitorApplication) == 0 and _files(app) == []


def test_price_must_be_a_number_from_zero_with_two_decimals(app, client, exhibition, jamoat):
    for price in ("-5", "abc", "NaN", "Infinity", "12.345", "1e400", "5000000"):
        response = client.post(URL, data=form(jamoat, **{"products-0-price": price}),
                               content_type="multipart/form-data")
        assert response.status_code == 200, price
        assert "Укажите цену в сомони числом от 0" in response.get_data(as_text=True), price
        assert _count(ExhibitorApplication) == 0 and _files(app) == [], price


def test_prices_as_people_type_them_are_kept_exactly(app, client, exhibition, jamoat):
    for n, (typed, stored) in enumerate((("0", Decimal("0.00")), ("12,5", Decimal("12.50")),
                                         ("1 200", Decimal("1200.00")), ("7.05", Decimal("7.05")))):
        data = form(jamoat, group_name=f"ГВП «Нарх-{n}»", contact_phone=f"+99292000000{n}",
                    **{"products-0-price": typed, "products-0-name": f"Изделие {n}"})
        assert client.post(URL, data=data, content_type="multipart/form-data").status_code == 302, typed
        assert db.session.scalar(sa.select(Product.price).where(Product.name == f"Изделие {n}")) == stored


def test_a_product_needs_a_name_and_a_price_and_an_application_at_least_one(app, client, exhibition, jamoat):
    data = form(jamoat, **{"products-1-name": "", "products-1-price": "20"})
    page = client.post(URL, data=data, content_type="multipart/form-data").get_data(as_text=True)
    assert "Напишите название изделия." in page
    empty = {k: v for k, v in form(jamoat).items() if not k.startswith("products-")}
    page = client.post(URL, data=empty, content_type="multipart/form-data").get_data(as_text=True)
    assert "Добавьте хотя бы одно изделие" in page
    assert _count(ExhibitorApplication) == 0


def test_more_members_listed_than_will_stand_is_refused(app, client, exhibition, jamoat):
    page = client.post(URL, data=form(jamoat, member_count="1"), content_type="multipart/form-data")
    assert "больше членов" in page.get_data(as_text=True)
    assert _count(ExhibitorApplication) == 0


def test_a_group_may_bring_ten_members_to_its_stand_and_no_more(app, client, exhibition, jamoat):
    page = client.post(URL, data=form(jamoat, member_count="11"), content_type="multipart/form-data")
    assert "10" in page.get_data(as_text=True) and _count(ExhibitorApplication) == 0
    # The service and the database hold the same limit as the form.
    from forum.exhibition import service
    from tests.exhibition_fixtures import application_data

    data = application_data(jamoat)
    data.member_count = 11
    with pytest.raises(service.ExhibitionError) as refused:
        service.apply(exhibition, data, app.config["UPLOAD_DIR"])
    assert refused.value.code == "member_count"
    with app.test_request_context():
        from forum.exhibition.routes import ERRORS

        assert "от 1 до 10" in str(ERRORS["member_count"])
    db.session.rollback()
    response = client.post(URL, data=form(jamoat, member_count="10"), content_type="multipart/form-data")
    assert response.status_code == 302
    (application,) = db.session.scalars(sa.select(ExhibitorApplication)).all()
    application.member_count = 11
    with pytest.raises(sa.exc.IntegrityError, match="member_count_range"):
        db.session.commit()


def test_a_jamoat_typed_in_joins_the_list_when_the_group_is_approved(app, client, exhibition, jamoat):
    response = client.post(URL, data=form(jamoat, jamoat_id="0", jamoat_other="Ворух"),
                           content_type="multipart/form-data")
    assert response.status_code == 302
    application = db.session.scalar(sa.select(ExhibitorApplication))
    assert (application.jamoat_id, application.jamoat_other) == (None, "Ворух")
    assert _count(Jamoat) == 1
    review.approve(application, None)
    db.session.commit()
    added = db.session.scalar(sa.select(Jamoat).where(Jamoat.id == application.jamoat_id))
    assert added.name["ru"] == "Ворух" and added.district_id == jamoat.district_id


def test_no_jamoat_at_all_is_refused(app, client, exhibition, jamoat):
    page = client.post(URL, data=form(jamoat, jamoat_id="0"), content_type="multipart/form-data")
    assert "Выберите джамоат или напишите его название." in page.get_data(as_text=True)


def test_closed_form_says_so(app, client, exhibition, jamoat):
    service.stored_settings(exhibition).applications_open = False
    db.session.commit()
    assert client.get(URL).status_code == 403
    assert client.post(URL, data=form(jamoat), content_type="multipart/form-data").status_code == 403
    assert _count(ExhibitorApplication) == 0


def test_forum_without_an_exhibition_has_no_form(app, client, jamoat):
    factories.make_forum(slug="no-exhibition").activities = ["round_table"]
    db.session.commit()
    assert client.get("/f/no-exhibition/exhibit/apply").status_code == 404
    assert client.get("/f/no-exhibition/exhibitors").status_code == 404


def test_form_errors_come_in_tajik(app, client, exhibition, jamoat):
    client.get("/lang/tg")
    page = client.post(URL, data={"contact_phone": "12"}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Ин майдон ҳатмӣ аст." in page
    assert "Ба ин рақам занг задан мумкин нест." in page


def test_png_photo_is_accepted_and_stored_as_jpeg(app, client, exhibition, jamoat):
    response = client.post(URL, data=form(jamoat, photo=png_bytes()), content_type="multipart/form-data")
    assert response.status_code == 302
    stored = [p for p in _files(app) if not p.name.endswith(".thumb.jpg")]
    assert len(stored) == 1 and stored[0].read_bytes()[:3] == b"\xff\xd8\xff"


def test_refused_applications_are_not_counted_by_the_limit(tmp_path):
    """Only accepted applications count (forum.ratelimits.EXHIBITION): a group correcting its form
    is never told to wait."""
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}", upload_dir=str(tmp_path / "up"))
    config.RATELIMIT_ENABLED = True
    limited = create_app(config)
    with limited.app_context():
        db.create_all()
        from tests.exhibition_fixtures import exhibition_forum, place

        exhibition_forum()
        place_jamoat = place()[1]
        client = limited.test_client()
        codes = [client.post(URL, data={"group_name": "x", "district_id": str(place_jamoat.district_id)}).status_code
                 for _ in range(11)]
        db.session.remove()
    assert codes == [200] * 11
