"""A guardian sends a child's drawing from a phone: the photo is cleaned, bad files are refused."""
import io
import struct
import zlib

import pytest
import sqlalchemy as sa
from PIL import Image

from config import TestConfig
from forum import create_app
from forum.drawings.models import Drawing
from forum.drawings.service import CONSENT_VERSION
from forum.extensions import db
from tests.drawings_fixtures import (
    CHILD,
    PHONE_E164,
    TITLE,
    drawing_count,
    heic,
    jpeg,
    no_metadata,
    noisy,
    open_contest,
    stored_files,
    submit,
)


@pytest.fixture
def contest(forum):
    return open_contest(forum)


def _only_drawing() -> Drawing:
    return db.session.scalar(sa.select(Drawing))


def test_guardian_submits_in_tajik_and_the_private_link_goes_to_her_phone(client, app, contest):
    client.get("/lang/tg")
    form = client.get("/f/isfara-test/drawings/submit").get_data(as_text=True)
    assert "Номи кӯдак" in form and "то 12 МБ" in form and 'enctype="multipart/form-data"' in form
    response = submit(client, "isfara-test", jpeg())
    assert response.status_code == 302
    drawing = _only_drawing()
    assert response.headers["Location"] == "/f/isfara-test/drawings/sent"  # the link only by SMS
    assert len(drawing.token) >= 32  # 192 random bits, URL-safe
    assert drawing.status == "pending" and drawing.guardian_phone == PHONE_E164
    assert drawing.consent_language == "tg" and drawing.consent_version == CONSENT_VERSION
    assert drawing.consent_at is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "+992 ** *** 12 34" in page and drawing.token not in page
    page = client.get(f"/f/isfara-test/drawings/d/{drawing.token}").get_data(as_text=True)
    assert TITLE in page and "Интизори баррасӣ" in page


def test_guardian_submits_in_russian_with_a_birth_year(client, contest):
    client.get("/lang/ru")
    assert "Имя ребёнка" in client.get("/f/isfara-test/drawings/submit").get_data(as_text=True)
    response = submit(client, "isfara-test", jpeg(), child_age="", birth_year="2002")
    assert response.status_code == 302
    drawing = _only_drawing()
    assert drawing.child_age == 9 and drawing.birth_year == 2002 and drawing.consent_language == "ru"
    assert "Ожидает проверки" in client.get(f"/f/isfara-test/drawings/d/{drawing.token}").get_data(as_text=True)


def test_gps_and_every_exif_field_are_gone_from_stored_and_served_files(client, app, auth, contest):
    original = jpeg(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # the upload really carries GPS
    submit(client, "isfara-test", original)
    token_url = f"/f/isfara-test/drawings/d/{_only_drawing().token}"
    files = stored_files(app)
    assert len(files) == 2
    for path in files:
        assert no_metadata(path.read_bytes()), path.name
    served = client.get(f"{token_url}/full.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert no_metadata(served.data)


def test_stored_files_never_carry_the_uploaded_name(client, app, contest):
    submit(client, "isfara-test", jpeg(), filename="Madina_Rahmonova_Chorkuh.jpg")
    names = " ".join(p.name for p in stored_files(app))
    assert "Madina" not in names and "Chorkuh" not in names
    assert all(p.suffix == ".jpg" for p in stored_files(app))
    assert "static" not in str(stored_files(app)[0])


def test_phone_photo_is_turned_upright_by_its_exif_orientation(client, app, contest):
    # 300×200, left red / right blue, "rotate 90° clockwise to display": upright it is 200×300, red on top
    submit(client, "isfara-test", jpeg(size=(300, 200), orientation=6))
    drawing = _only_drawing()
    assert (drawing.width, drawing.height) == (200, 300)
    full = [p for p in stored_files(app) if not p.name.endswith(".thumb.jpg")][0]
    picture = Image.open(full).convert("RGB")
    assert picture.size == (200, 300)
    top, bottom = picture.getpixel((100, 40)), picture.getpixel((100, 260))
    assert top[0] > 200 and top[2] < 60 and bottom[2] > 200 and bottom[0] < 60


def test_large_photo_is_shrunk_and_gets_a_thumbnail(client, app, contest):
    submit(client, "isfara-test", jpeg(size=(2600, 1300), gps=False))
    sizes = sorted(Image.open(p).size for p in stored_files(app))
    assert sizes == [(400, 200), (2000, 1000)]


def test_png_with_transparency_becomes_a_jpeg_on_white_paper(client, app, contest):
    picture = Image.new("RGBA", (120, 80), (0, 0, 0, 0))
    out = io.BytesIO()
    picture.save(out, "PNG")
    assert submit(client, "isfara-test", out.getvalue(), filename="d.png", content_type="image/png").status_code == 302
    full = [p for p in stored_files(app) if not p.name.endswith(".thumb.jpg")][0]
    assert Image.open(full).format == "JPEG" and Image.open(full).convert("RGB").getpixel((5, 5)) > (245, 245, 245)


def test_heic_photo_from_a_phone_is_accepted_and_stored_as_clean_jpeg(client, app, contest):
    data = heic()
    assert data[4:12] == b"ftypheic"
    response = submit(client, "isfara-test", data, filename="IMG_0042.HEIC", content_type="image/heic")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    drawing = _only_drawing()
    assert (drawing.width, drawing.height) == (320, 240)
    for path in stored_files(app):
        assert no_metadata(path.read_bytes())


def _png_with_size(width: int, height: int) -> bytes:
    """A small real PNG whose header claims width × height (as a decompression bomb does)."""
    out = io.BytesIO()
    Image.new("L", (8, 8), 255).save(out, "PNG")
    data = bytearray(out.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def _real_bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (12000, 12000)).save(out, "PNG")  # 144 million pixels in 17 kB
    return out.getvalue()


def _big_truncated_photo() -> bytes:
    """A 4400×1200 photo cut short: decoded at reduced scale (draft), which must still notice."""
    noise = Image.effect_noise((4400, 1200), 60)
    out = io.BytesIO()
    Image.merge("RGB", (noise, noise.transpose(Image.Transpose.FLIP_LEFT_RIGHT), noise)).save(out, "JPEG")
    return out.getvalue()[: len(out.getvalue()) * 8 // 10]


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(out, "GIF")
    return out.getvalue()


BAD_FILES = {
    "text renamed to .jpg": (lambda: b"This is my homework, not a picture.\n" * 50, "drawing.jpg", "image/jpeg"),
    "truncated JPEG": (lambda: noisy("JPEG")[: len(noisy("JPEG")) * 6 // 10], "drawing.jpg", "image/jpeg"),
    "truncated large JPEG": (_big_truncated_photo, "drawing.jpg", "image/jpeg"),
    "truncated PNG": (lambda: noisy("PNG")[: len(noisy("PNG")) // 2], "drawing.png", "image/png"),
    "SVG in disguise": (lambda: b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
                        b'<script>alert(document.cookie)</script></svg>', "drawing.jpg", "image/jpeg"),
    "HTML in disguise": (lambda: b"<!doctype html><html><body><script>alert(1)</script></body></html>",
                         "drawing.png", "image/png"),
    "HTML behind a JPEG signature": (lambda: b"\xff\xd8\xff\xe0" + b"<html><script>alert(1)</script></html>" * 20,
                                     "drawing.jpg", "image/jpeg"),
    "GIF renamed to .jpg": (_gif, "drawing.jpg", "image/jpeg"),
    "decompression bomb": (_real_bomb, "drawing.png", "image/png"),
    "bomb header above the warning limit": (lambda: _png_with_size(9000, 9000), "drawing.png", "image/png"),
    "bomb header far above the limit": (lambda: _png_with_size(60000, 60000), "drawing.png", "image/png"),
    "empty file": (lambda: b"", "drawing.jpg", "image/jpeg"),
    "larger than 12 MB": (lambda: b"\xff\xd8\xff\xe0" + b"\0" * (12 * 1024 * 1024 + 10), "big.jpg", "image/jpeg"),
}

# What the guardian reads (in Russian) for each case.
REFUSALS = {case: "Этот файл не фото, которое мы можем прочитать." for case in BAD_FILES}
REFUSALS.update({
    "decompression bomb": "В этой картинке слишком много точек.",
    "bomb header above the warning limit": "В этой картинке слишком много точек.",
    "bomb header far above the limit": "В этой картинке слишком много точек.",
    "empty file": "Файл пустой.",
    "larger than 12 MB": "Файл больше 12 МБ.",
})


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_file_is_refused_with_a_message_and_nothing_is_kept(client, app, contest, case):
    make, filename, content_type = BAD_FILES[case]
    client.get("/lang/ru")
    response = submit(client, "isfara-test", make(), filename=filename, content_type=content_type)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'class="field-error" id="image-error"' in page
    assert REFUSALS[case] in page
    assert drawing_count() == 0
    assert stored_files(app) == []
    # the rest of the form is kept, so the guardian only picks the photo again
    assert f'value="{CHILD}"' in page and f'value="{TITLE}"' in page and f'value="{PHONE_E164}"' in page


def test_missing_photo_and_consent_keep_the_other_answers(client, contest):
    client.get("/lang/ru")
    page = submit(client, "isfara-test", None, consent="").get_data(as_text=True)
    assert "Выберите фото рисунка." in page and "Без вашего согласия" in page
    assert f'value="{CHILD}"' in page and f'value="{TITLE}"' in page
    assert drawing_count() == 0


def test_age_must_be_a_child_s(client, app, contest):
    client.get("/lang/ru")
    for fields in ({"child_age": "", "birth_year": ""}, {"child_age": "", "birth_year": "1990"},
                   {"child_age": "25"}):
        page = submit(client, "isfara-test", jpeg(), **fields).get_data(as_text=True)
        assert "field-error" in page, fields
    assert drawing_count() == 0 and stored_files(app) == []


@pytest.mark.both_dbs
def test_the_same_child_sent_again_gets_the_first_answer_and_the_link_once_more(client, app, contest):
    """Issue 16: whoever types a guardian's phone and a child's first name learns nothing from
    the answer; the guardian who lost the link gets it again on her phone, nothing is stored."""
    from forum.messaging.models import Message

    client.get("/lang/ru")
    first = submit(client, "isfara-test", jpeg())
    first_page = client.get(first.headers["Location"]).get_data(as_text=True)
    drawing = _only_drawing()
    again = submit(client, "isfara-test", jpeg(colours=("green", "yellow")), child_first_name="  мадина ",
                   guardian_phone="+992 (92) 777-12-34", title="Другой рисунок", guardian_name="Кто-то другой")
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert page == first_page and drawing.token not in page and TITLE not in page and "уже" not in page
    db.session.expire_all()
    assert drawing_count() == 1 and len(stored_files(app)) == 2
    assert _only_drawing().title == TITLE and _only_drawing().guardian_name == drawing.guardian_name
    sms = db.session.scalars(sa.select(Message).order_by(Message.id)).all()
    assert [m.recipient for m in sms] == [PHONE_E164, PHONE_E164]
    assert all(m.body.endswith(f"/drawings/d/{drawing.token}") for m in sms)
    # a third tap within minutes queues nothing more: the form cannot flood a number
    submit(client, "isfara-test", jpeg(), child_first_name="Мадина")
    assert db.session.scalar(sa.select(sa.func.count(Message.id))) == 2


def test_a_bad_file_is_refused_alike_whether_or_not_the_child_was_sent(client, app, contest):
    submit(client, "isfara-test", jpeg())
    known = submit(client, "isfara-test", b"not a picture").get_data(as_text=True)
    unknown = submit(client, "isfara-test", b"not a picture", child_first_name="Фаррух").get_data(as_text=True)
    assert known.replace("Мадина", "Фаррух") == unknown
    assert drawing_count() == 1


def test_another_child_of_the_same_guardian_may_send_one(client, contest):
    assert submit(client, "isfara-test", jpeg()).status_code == 302
    assert submit(client, "isfara-test", jpeg(), child_first_name="Фаррух").status_code == 302
    assert drawing_count() == 2


def test_forum_without_the_contest_has_no_drawing_pages(client, forum):
    assert client.get("/f/isfara-test/drawings").status_code == 404
    assert client.get("/f/isfara-test/drawings/submit").status_code == 404


def test_closed_submissions_refuse_and_keep_nothing(client, app, contest, auth):
    auth.login("organizer")
    client.post("/manage/isfara-test/drawings/settings", data={
        "age_groups": "6-9, 10-13, 14-17", "criteria": "Тема | Мавзӯъ | Theme"})
    auth.logout()
    assert client.get("/f/isfara-test/drawings/submit").status_code == 403
    assert submit(client, "isfara-test", jpeg()).status_code == 403
    assert drawing_count() == 0 and stored_files(app) == []


def test_a_whole_class_sends_its_drawings_and_refused_forms_count_nothing(tmp_path):
    """The limit counts accepted drawings per phone (forum.ratelimits.DRAWINGS): a teacher sends a
    class's dozen, and mistakes corrected on the way are not held against anyone."""
    config = TestConfig(database_url=f"sqlite:///{tmp_path / 'rl.db'}", upload_dir=str(tmp_path / "up"))
    config.RATELIMIT_ENABLED = True
    app = create_app(config)
    with app.app_context():
        db.create_all()
        from tests.factories import make_forum

        forum = make_forum(slug="rl-forum")
        forum.activities = ["drawings"]
        db.session.commit()
        client = app.test_client()
        refused = [client.post("/f/rl-forum/drawings/submit", data={"title": ""}).status_code for _ in range(15)]
        sent = [submit(client, "rl-forum", jpeg(), child_first_name=f"Ученик {n}").status_code for n in range(12)]
        assert client.get("/f/rl-forum/drawings/submit").status_code == 200  # reading the form stays free
        db.session.remove()
    assert refused == [200] * 15 and sent == [302] * 12


def test_a_failed_file_write_leaves_no_row_and_no_file(client, app, contest, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the upload folder should be")
    app.config["UPLOAD_DIR"] = str(blocked)
    with pytest.raises(OSError):  # TESTING propagates it; in production the visitor gets the 500 page
        submit(client, "isfara-test", jpeg())
    db.session.rollback()
    assert drawing_count() == 0 and blocked.read_text().startswith("a file")
