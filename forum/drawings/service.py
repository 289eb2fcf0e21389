"""Drawings: submission with consent, the guardian's private link, moderation, the gallery.

Plain functions over the models. The image files and the row live and die together: a
submission writes its files only once its row is accepted and removes them when the commit
fails; a withdrawal deletes both.
"""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

import sqlalchemy as sa

from forum.db import utcnow
from forum.drawings import images, notify
from forum.drawings.models import AWARDS, DEFAULT_AGE_GROUPS, DEFAULT_CRITERIA, Drawing, DrawingSettings
from forum.events.models import Forum
from forum.events.service import accepts_public_forms
from forum.extensions import db

# Bump when the consent text changes: each drawing keeps the version its guardian agreed to.
CONSENT_VERSION = "2011-04-v1"
MIN_AGE, MAX_AGE = 3, 17


class DrawingError(Exception):
    """A submission or a change was refused; `code` is for programs, the route words it."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class Submission:
    child_first_name: str
    place: str  # school or jamoat
    title: str
    guardian_name: str
    guardian_phone: str  # E.164
    language: str  # the page's language: the consent was shown in it
    child_age: int | None = None
    birth_year: int | None = None


def settings_for(forum: Forum) -> DrawingSettings:
    """The forum's contest settings; until an organizer saves some, the defaults (an unsaved
    object: reading pages never writes)."""
    settings = db.session.scalar(sa.select(DrawingSettings).where(DrawingSettings.forum_id == forum.id))
    if settings is None:
        settings = DrawingSettings(forum_id=forum.id, submissions_open=True,
                                   age_groups=[list(g) for g in DEFAULT_AGE_GROUPS],
                                   criteria=[dict(c, name=dict(c["name"])) for c in DEFAULT_CRITERIA])
    return settings


def save_settings(settings: DrawingSettings, submissions_open: bool, age_groups: list, criteria: list) -> None:
    settings.submissions_open = submissions_open
    settings.age_groups, settings.criteria = age_groups, criteria
    db.session.add(settings)


def has_drawings(forum: Forum) -> bool:
    return "drawings" in (forum.activities or [])


def accepts_submissions(forum: Forum) -> bool:
    return has_drawings(forum) and accepts_public_forms(forum) and settings_for(forum).submissions_open


def child_key(first_name: str) -> str:
    """The first name folded for comparison: case, spacing and ё/е do not make another child."""
    text = " ".join(unicodedata.normalize("NFC", first_name).split()).casefold()
    return text.replace("ё", "е")


def age_on_forum_day(forum: Forum, age: int | None, birth_year: int | None) -> int:
    """The age given, else the age reached in the forum's year by one born in `birth_year`."""
    if age is None and birth_year is None:
        raise DrawingError("age_missing")
    value = age if age is not None else forum.starts_at.year - (birth_year or 0)  # one of them is given
    if not MIN_AGE <= value <= MAX_AGE:
        raise DrawingError("age_range")
    return value


def find_duplicate(forum: Forum, guardian_phone: str, first_name: str) -> Drawing | None:
    return db.session.scalar(sa.select(Drawing).where(
        Drawing.forum_id == forum.id, Drawing.guardian_phone == guardian_phone,
        Drawing.child_key == child_key(first_name)))


def submit_drawing(forum: Forum, data: Submission, image_data: bytes, upload_dir: str,
                   send_link: bool = True) -> Drawing:
    """Keep a new drawing, pending moderation, and text the guardian their private link. Commits.

    Promises: on any refusal (DrawingError "closed", "age_missing", "age_range";
    images.ImageRefused for a file that is not a real picture) no row and no file remain.
    The same child (first name) with the same guardian's phone sent again stores nothing and
    changes nothing: the link of the drawing already sent goes again by SMS to that phone
    (once per links.REPEAT_MINUTES) and that drawing is returned, so the caller answers
    exactly as the first time and a stranger learns nothing from the answer.
    """
    if not accepts_submissions(forum):
        raise DrawingError("closed")
    age = age_on_forum_day(forum, data.child_age, data.birth_year)
    clean = images.clean_image(image_data)  # before the duplicate: a bad file is refused alike for all
    existing = find_duplicate(forum, data.guardian_phone, data.child_first_name)
    if existing is not None:
        return _sent_again(forum, existing, send_link)
    drawing = Drawing(
        forum_id=forum.id, token=secrets.token_urlsafe(24), status="pending",
        title=data.title.strip(), child_first_name=data.child_first_name.strip(),
        child_key=child_key(data.child_first_name), child_age=age, birth_year=data.birth_year,
        place=data.place.strip(), guardian_name=data.guardian_name.strip(), guardian_phone=data.guardian_phone,
        consent_version=CONSENT_VERSION, consent_language=data.language, consent_at=utcnow(),
        image_key=images.new_image_key(), width=clean.width, height=clean.height,
    )
    db.session.add(drawing)
    try:
        db.session.flush()
    except sa.exc.IntegrityError:
        db.session.rollback()  # the same child sent twice at the same moment: the unique key decides
        existing = find_duplicate(forum, data.guardian_phone, data.child_first_name)
        if existing is None:
            raise
        return _sent_again(forum, existing, send_link)
    try:
        images.write_images(upload_dir, forum.id, drawing.image_key, clean)
        if send_link:
            notify.drawing_received(forum, drawing)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        images.delete_images(upload_dir, forum.id, drawing.image_key)
        raise
    return drawing


def _sent_again(forum: Forum, drawing: Drawing, send_link: bool) -> Drawing:
    if send_link:
        notify.link_again(forum, drawing)
    db.session.commit()
    return drawing


def drawing_by_token(forum: Forum, token: str) -> Drawing | None:
    if not token or len(token) > 64:
        return None
    return db.session.scalar(sa.select(Drawing).where(Drawing.forum_id == forum.id, Drawing.token == token))


def drawing_of(forum: Forum, drawing_id: int) -> Drawing | None:
    drawing = db.session.get(Drawing, drawing_id)
    return drawing if drawing is not None and drawing.forum_id == forum.id else None


def withdraw(drawing: Drawing, upload_dir: str) -> None:
    """Delete the drawing: its row, scores and both image files. Commits.

    Nothing identifying the child stays: the row goes, not a scrubbed copy of it."""
    forum_id, key = drawing.forum_id, drawing.image_key
    db.session.delete(drawing)
    db.session.commit()
    images.delete_images(upload_dir, forum_id, key)


def approve(drawing: Drawing, user) -> None:
    drawing.status = "approved"
    drawing.reject_reason = ""
    drawing.moderated_at, drawing.moderated_by_id = utcnow(), user.id


def reject(drawing: Drawing, user, reason: str) -> None:
    """Hide the drawing from the public and the jury; the guardian sees the reason."""
    if not reason.strip():
        raise DrawingError("reason_missing")
    drawing.status = "rejected"
    drawing.reject_reason = reason.strip()
    drawing.award = None
    drawing.moderated_at, drawing.moderated_by_id = utcnow(), user.id


def set_award(drawing: Drawing, award: str | None) -> None:
    if award and award not in AWARDS:
        raise DrawingError("award")
    if award and drawing.status != "approved":
        raise DrawingError("not_approved")
    drawing.award = award or None


def drawings_of(forum: Forum, status: str | None = None) -> sa.Select:
    stmt = sa.select(Drawing).where(Drawing.forum_id == forum.id)
    if status:
        stmt = stmt.where(Drawing.status == status)
    return stmt.order_by(Drawing.created_at, Drawing.id)


def status_counts(forum: Forum) -> dict[str, int]:
    rows = db.session.execute(sa.select(Drawing.status, sa.func.count()).where(Drawing.forum_id == forum.id)
                              .group_by(Drawing.status))
    return {status: count for status, count in rows}


def gallery(forum: Forum) -> list[Drawing]:
    """Approved drawings: awarded ones first (1st, 2nd, 3rd, special), then in the order they came."""
    award_order = sa.case({award: index for index, award in enumerate(AWARDS)}, value=Drawing.award, else_=len(AWARDS))
    return list(db.session.scalars(sa.select(Drawing).where(Drawing.forum_id == forum.id, Drawing.status == "approved")
                                   .order_by(award_order, Drawing.created_at, Drawing.id)))


def age_group_of(settings: DrawingSettings, age: int) -> tuple[int, int] | None:
    for low, high in settings.age_groups:
        if low <= age <= high:
            return (low, high)
    return None


def parse_age_groups(text: str) -> list[list[int]]:
    """'6-9, 10-13, 14–17' → [[6, 9], [10, 13], [14, 17]]; raises DrawingError("age_groups")."""
    groups = []
    for part in text.replace(";", ",").replace("\n", ",").split(","):
        part = part.strip().replace("–", "-").replace("—", "-")
        if not part:
            continue
        low, sep, high = part.partition("-")
        if not sep or not low.strip().isdigit() or not high.strip().isdigit():
            raise DrawingError("age_groups")
        low_age, high_age = int(low), int(high)
        if not MIN_AGE <= low_age <= high_age <= MAX_AGE:
            raise DrawingError("age_groups")
        groups.append([low_age, high_age])
    groups.sort()
    if not groups or any(a[1] >= b[0] for a, b in zip(groups, groups[1:], strict=False)):
        raise DrawingError("age_groups")
    return groups


def parse_criteria(text: str, existing: list[dict]) -> list[dict]:
    """Lines 'Russian | Tajik | English' → criteria; a line naming an existing criterion in any
    language keeps its key (and so its scores). Raises DrawingError("criteria")."""
    criteria, used = [], set()
    next_number = 1 + max((int(c["key"][1:]) for c in existing if c["key"][1:].isdigit() and c["key"][0] == "c"),
                          default=0)
    for line in text.splitlines():
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        if len(parts) > 3 or not parts[0] or any(len(p) > 80 for p in parts):
            raise DrawingError("criteria")
        name = dict(zip(("ru", "tg", "en"), parts + [""] * (3 - len(parts)), strict=True))
        key = next((c["key"] for c in existing if c["key"] not in used and any(
            name[code] and name[code].casefold() == c["name"].get(code, "").casefold() for code in name)), None)
        if key is None:
            key, next_number = f"c{next_number}", next_number + 1
        used.add(key)
        criteria.append({"key": key, "name": name})
    if not 1 <= len(criteria) <= 8:
        raise DrawingError("criteria")
    return criteria
