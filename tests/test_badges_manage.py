"""Badges for organizers (download by filter, mark printed, reissue a lost badge), the
`flask forum badges` command, and the participant's own badge on /r/<token>."""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from forum.badges import codes, service
from forum.badges.models import BadgeCode
from forum.extensions import db
from forum.people.codes import BADGE_ALPHABET
from forum.people.models import Registration
from tests import factories
from tests.checkin_fixtures import decode_qr_codes, make_checkpoint, scan

FORUM_EN = ["forum", "--lang", "en"]  # these tests read the command line in English


def test_badge_secrets_are_long_random_and_without_look_alikes(app, forum):
    person = factories.make_person("Раҳимова Гулнора")
    other = factories.make_forum()
    secrets = {factories.make_registration(forum, person).badge_secret,
               factories.make_registration(other, person).badge_secret}
    secrets |= {factories.make_registration(forum).badge_secret for _ in range(20)}
    assert len(secrets) == 22  # the same person at two forums gets unrelated secrets
    for secret in secrets:
        assert len(secret) == 27 and set(secret) <= set(BADGE_ALPHABET)
        assert not set(secret) & set("0O1lIL")
    assert len(BADGE_ALPHABET) ** 27 >= 2 ** 128


def test_every_registration_gets_a_short_code_unique_in_its_forum(app, forum):
    registrations = [factories.make_registration(forum) for _ in range(30)]
    found = db.session.scalars(sa.select(BadgeCode.code).where(BadgeCode.forum_id == forum.id)).all()
    assert len(found) == len(set(found)) == 30
    assert all(codes.looks_like_short_code(code) for code in found)
    assert {service.short_code(r) for r in registrations} == set(found)


def test_codes_are_issued_for_registrations_made_before_badges_existed(app, forum):
    registration = factories.make_registration(forum)
    db.session.execute(sa.delete(BadgeCode))
    db.session.commit()
    code = service.short_code(registration)
    db.session.commit()
    assert service.registration_by_short_code(forum, code).id == registration.id


def test_filter_by_category_organization_and_not_printed(app, forum):
    group = factories.make_organization("ГВП «Умед»")
    a = factories.make_registration(forum, factories.make_person(organization=group))
    b = factories.make_registration(forum, category="press")
    factories.make_registration(forum, status="cancelled")
    assert {r.id for r in service.registrations_to_print(forum, service.BadgeFilter())} == {a.id, b.id}
    chosen = service.registrations_to_print(forum, service.BadgeFilter(categories=["press"]))
    assert [r.id for r in chosen] == [b.id]
    chosen = service.registrations_to_print(forum, service.BadgeFilter(organization_id=group.id))
    assert [r.id for r in chosen] == [a.id]
    service.mark_printed([a])
    db.session.commit()
    assert [r.id for r in service.registrations_to_print(forum, service.BadgeFilter(not_printed=True))] == [b.id]


def test_organizer_downloads_the_filtered_badges_as_one_pdf(client, auth, forum):
    auth.login("organizer")
    press = [factories.make_registration(forum, category="press") for _ in range(3)]
    factories.make_registration(forum)
    response = client.get(f"/manage/{forum.slug}/badges.pdf?category=press&sheet=labels")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert sorted(decode_qr_codes(response.data)) == sorted(r.badge_secret for r in press)


def test_badges_tab_lists_and_marks_printed_in_one_click(client, auth, forum):
    auth.login("organizer")
    registrations = [factories.make_registration(forum) for _ in range(3)]
    page = client.get(f"/manage/{forum.slug}/badges").get_data(as_text=True)
    assert registrations[0].person.full_name in page
    assert codes.display(service.short_code(registrations[0])) in page
    response = client.post(f"/manage/{forum.slug}/badges/printed", data={"not_printed": "1", "confirmed": "1"})
    assert response.status_code == 302
    db.session.expire_all()
    assert all(r.badge_printed_at is not None for r in db.session.scalars(sa.select(Registration)))
    assert "not_printed=1" in response.headers["Location"]


def test_lost_badge_is_reissued_and_printed_in_one_click(client, auth, forum):
    organizer = auth.login("organizer")
    make_checkpoint(forum, "entrance")
    registration = factories.make_registration(forum)
    old = registration.badge_secret
    response = client.post(f"/manage/{forum.slug}/badges/{registration.id}/reissue")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    db.session.expire_all()
    new = db.session.get(Registration, registration.id)
    assert decode_qr_codes(response.data) == [new.badge_secret] != [old]
    assert new.badge_printed_at is not None
    lost = scan(forum, old)  # the old badge: refused, naming whose it was and who reissued it
    assert (lost.status, lost.reason, lost.registration.id) == ("not_allowed", "reissued", registration.id)
    assert lost.checkin.retired_badge.retired_by_id == organizer.id
    assert scan(forum, new.badge_secret).status == "ok"


def test_codes_issued_by_a_download_are_kept_and_printed(client, auth, forum):
    """Badges are drawn as they are read, after the codes are committed: the code printed is
    the one the door will find."""
    from tests.checkin_fixtures import pdf_text

    auth.login("organizer")
    old = [factories.make_registration(forum, category="press").id for _ in range(2)]
    db.session.execute(sa.delete(BadgeCode))
    db.session.commit()

    def kept() -> dict[int, str]:  # what the request committed, read on a connection of its own
        with db.engine.connect() as connection:
            return dict(connection.execute(sa.select(BadgeCode.registration_id, BadgeCode.code)).tuples().all())

    one = client.get(f"/manage/{forum.slug}/badges/{old[0]}.pdf")
    assert list(kept()) == [old[0]] and codes.display(kept()[old[0]]) in pdf_text(one.data)
    many = client.get(f"/manage/{forum.slug}/badges.pdf?sheet=a6")
    assert sorted(kept()) == sorted(old)
    for registration_id in old:
        assert codes.display(kept()[registration_id]) in pdf_text(many.data)


def test_reprint_of_a_torn_badge_keeps_its_secret(client, auth, forum):
    auth.login("organizer")
    registration = factories.make_registration(forum)
    response = client.get(f"/manage/{forum.slug}/badges/{registration.id}.pdf")
    assert decode_qr_codes(response.data) == [registration.badge_secret]


def test_another_forums_registration_is_not_found_here(client, auth, forum):
    auth.login("organizer")
    stranger = factories.make_registration(factories.make_forum())
    assert client.post(f"/manage/{forum.slug}/badges/{stranger.id}/reissue").status_code == 404
    assert client.get(f"/manage/{forum.slug}/badges/{stranger.id}.pdf").status_code == 404


def test_badges_command_writes_one_pdf_with_a_progress_bar(app, runner, forum, tmp_path):
    members = [factories.make_registration(forum) for _ in range(5)]
    factories.make_registration(forum, category="press")
    out = tmp_path / "badges.pdf"
    result = runner.invoke(args=[*FORUM_EN, "badges", forum.slug, "-o", str(out), "--category", "shg_member",
                                 "--mark-printed"])
    assert result.exit_code == 0, result.output
    assert "5 badges written" in result.output
    assert sorted(decode_qr_codes(out.read_bytes())) == sorted(r.badge_secret for r in members)
    db.session.expire_all()
    assert service.registrations_to_print(forum, service.BadgeFilter(not_printed=True))[0].category == "press"
    result = runner.invoke(args=[*FORUM_EN, "badges", "no-such-forum", "-o", str(out)])
    assert result.exit_code != 0 and "no forum" in result.output


def test_participant_sees_the_qr_and_downloads_their_badge(client, forum):
    registration = factories.make_registration(forum, factories.make_person("Ҳасанова Малика"))
    page = client.get(f"/r/{registration.token}").get_data(as_text=True)
    assert "<svg" in page and codes.display(service.short_code(registration)) in page
    screen = client.get(f"/r/{registration.token}/badge")
    assert screen.status_code == 200 and "Ҳасанова Малика" in screen.get_data(as_text=True)
    pdf = client.get(f"/r/{registration.token}/badge.pdf")
    assert pdf.status_code == 200 and decode_qr_codes(pdf.data) == [registration.badge_secret]


def test_qr_on_the_personal_page_decodes_to_the_secret(client, forum):
    import zxingcpp
    from PIL import Image

    from forum.badges import qr

    registration = factories.make_registration(forum)
    modules = qr.matrix(registration.badge_secret)
    scale = 6
    size = (len(modules) + 8) * scale
    image = Image.new("L", (size, size), 255)
    for y, row in enumerate(modules):
        for x, dark in enumerate(row):
            if dark:
                image.paste(0, ((x + 4) * scale, (y + 4) * scale, (x + 5) * scale, (y + 5) * scale))
    assert [r.text for r in zxingcpp.read_barcodes(image)] == [registration.badge_secret]
    svg = str(qr.svg(modules))
    assert svg.count("M") == sum(1 for _ in qr.runs(modules))


@pytest.mark.parametrize("status", ["cancelled", "declined"])
def test_inactive_registrations_have_no_badge(client, forum, status):
    registration = factories.make_registration(forum, status=status)
    assert client.get(f"/r/{registration.token}/badge.pdf").status_code == 404
    assert client.get(f"/r/{registration.token}/badge").status_code == 404
    assert "<svg" not in client.get(f"/r/{registration.token}").get_data(as_text=True)


def test_unknown_token_is_a_plain_404(client, forum):
    assert client.get("/r/not-a-token/badge.pdf").status_code == 404
    assert client.get("/r/not-a-token/badge").status_code == 404
