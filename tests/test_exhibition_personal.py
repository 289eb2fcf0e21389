"""The group's private page (/r/<token>/exhibit): its status and stand, its products to add,
change (a new photo replaces the old) and remove; the stand itself is the organizers' to give."""
from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from forum import images
from forum.exhibition import plan, review, service
from forum.exhibition.models import Product
from forum.extensions import db
from tests.exhibition_fixtures import exhibition_forum, jpeg_bytes, make_application, make_stands, place


@pytest.fixture
def exhibition(app):
    return exhibition_forum()


@pytest.fixture
def jamoat(app):
    return place()[1]


@pytest.fixture
def group(exhibition, jamoat):
    return make_application(exhibition, jamoat, group="ГВП «Гулрез»")


def _url(group, tail: str = "") -> str:
    return f"/r/{group.registration.token}/exhibit{tail}"


def _folder(app, group) -> Path:
    return service.photo_dir(app.config["UPLOAD_DIR"], group.forum_id)


def test_contact_sees_status_products_and_a_link_from_their_personal_page(client, group):
    personal = client.get(f"/r/{group.registration.token}").get_data(as_text=True)
    assert "Ваша группа на выставке" in personal and _url(group) in personal
    page = client.get(_url(group)).get_data(as_text=True)
    assert "ГВП «Гулрез»" in page and "Заявка на рассмотрении" in page and "Курага" in page
    assert 'name="robots" content="noindex"' in page


def test_contact_adds_a_product_with_a_photo(app, client, group):
    response = client.post(_url(group, "/products"), data={
        "new-name": "Тоқӣ", "new-category": "embroidery", "new-price": "45,5", "new-description": "Тюбетейка",
        "new-photo": (io.BytesIO(jpeg_bytes((1200, 900))), "tok.jpg")}, content_type="multipart/form-data")
    assert response.status_code == 302
    product = db.session.scalar(sa.select(Product).where(Product.name == "Тоқӣ"))
    assert (product.price, product.category) == (Decimal("45.50"), "embroidery")
    assert images.image_path(_folder(app, group), product.image_key).is_file()
    photo = client.get(_url(group, f"/photos/{product.id}/thumb.jpg"))
    assert photo.status_code == 200 and photo.mimetype == "image/jpeg"
    assert "no-store" in photo.headers["Cache-Control"]


def test_a_new_photo_replaces_the_old_one_and_its_files(app, client, group):
    product = group.products[0]
    old = product.image_key
    response = client.post(_url(group, f"/products/{product.id}"), data={
        f"p{product.id}-name": "Курага", f"p{product.id}-category": "dried_fruit", f"p{product.id}-price": "40",
        f"p{product.id}-photo": (io.BytesIO(jpeg_bytes(colour=(0, 200, 0))), "new.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert product.price == Decimal("40.00") and product.image_key not in (None, old)
    assert not images.image_path(_folder(app, group), old).exists()
    assert not images.image_path(_folder(app, group), old, "thumb").exists()
    assert images.image_path(_folder(app, group), product.image_key).is_file()


def test_a_bad_photo_on_the_private_page_changes_nothing(app, client, group):
    product = group.products[0]
    before = sorted(p.name for p in _folder(app, group).iterdir())
    response = client.post(_url(group, f"/products/{product.id}"), data={
        f"p{product.id}-name": "Другое имя", f"p{product.id}-category": "dried_fruit", f"p{product.id}-price": "1",
        f"p{product.id}-photo": (io.BytesIO(b"<svg xmlns='http://www.w3.org/2000/svg'/>"), "x.jpg")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Этот файл не фото в формате JPEG или PNG" in response.get_data(as_text=True)
    db.session.expire_all()
    product = db.session.get(Product, product.id)
    assert (product.name, product.price) == ("Курага", Decimal("35.50"))
    assert sorted(p.name for p in _folder(app, group).iterdir()) == before
    response = client.post(_url(group, "/products"), data={"new-name": "Х", "new-category": "other",
                                                           "new-price": "-1"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 1


def test_removing_a_product_deletes_its_photo(app, client, group):
    product = group.products[0]
    key = product.image_key
    assert client.post(_url(group, f"/products/{product.id}/delete")).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Product.id))) == 0
    assert not images.image_path(_folder(app, group), key).exists()


def test_contact_sees_the_stand_on_the_plan_but_cannot_change_it(client, exhibition, group):
    review.approve(group, None)
    stand = make_stands(exhibition, 1, 2)[1]
    plan.assign(stand, group, notify_group=False)
    db.session.commit()
    page = client.get(_url(group)).get_data(as_text=True)
    assert "№ 2" in page and "Стандарт 3 × 2 м" in page and "stand-highlight" in page
    assert "/manage/" not in page and "assign" not in page
    assert client.post(f"/manage/isfara-test/exhibition/stands/{stand.id}/unassign").status_code == 302  # to login


def test_other_groups_products_and_unknown_tokens_are_not_found(client, exhibition, jamoat, group):
    other = make_application(exhibition, jamoat, group="ГВП «Нур»")
    foreign = other.products[0]
    assert client.post(_url(group, f"/products/{foreign.id}/delete")).status_code == 404
    assert client.get(_url(group, f"/photos/{foreign.id}/full.jpg")).status_code == 404
    assert client.get("/r/not-a-token/exhibit").status_code == 404
    assert db.session.get(Product, foreign.id) is not None


def test_a_participant_without_a_group_has_no_group_page(client, exhibition):
    from tests.factories import make_registration

    registration = make_registration(exhibition)
    assert client.get(f"/r/{registration.token}/exhibit").status_code == 404
    assert "Ваша группа на выставке" not in client.get(f"/r/{registration.token}").get_data(as_text=True)
