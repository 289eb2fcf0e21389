"""Short badge codes: six characters from the badge alphabet, unique per forum, typed by
staff when a QR will not scan. Every new registration gets one as it is saved."""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from sqlalchemy.orm import Session

from forum.people.codes import BADGE_ALPHABET, BADGE_SECRET_LENGTH

SHORT_CODE_LENGTH = 6  # 31^6 ≈ 887 million codes per forum: typed, not guessed

# A USB scanner on a laptop set to the Russian (or Tajik) keyboard layout types the Cyrillic
# letters that share keys with the Latin ones: map them back, position by position.
_CYRILLIC_KEYS = "ЙЦУКЕНГШЩЗФЫВАПРОЛДЯЧСМИТЬ"
_LATIN_KEYS = "QWERTYUIOPASDFGHJKLZXCVBNM"
_LAYOUT = str.maketrans(_CYRILLIC_KEYS + _CYRILLIC_KEYS.lower(), _LATIN_KEYS + _LATIN_KEYS.lower())
_ALPHABET = frozenset(BADGE_ALPHABET)


def normalize(text: str | None) -> str:
    """What a person or scanner typed, as a bare code: 'k7m-q4x ' → 'K7MQ4X'; Cyrillic
    keyboard-layout letters become the Latin letters on the same keys."""
    if not text:
        return ""
    text = text.strip().translate(_LAYOUT).upper()
    return "".join(filter(str.isalnum, text))  # checked in C: every scan at the door comes through here


def looks_like_secret(code: str) -> bool:
    return len(code) == BADGE_SECRET_LENGTH and _ALPHABET.issuperset(code)


def looks_like_short_code(code: str) -> bool:
    return len(code) == SHORT_CODE_LENGTH and _ALPHABET.issuperset(code)


def display(code: str | None) -> str:
    """'K7MQ4X' → 'K7M-Q4X': two halves are easier to read aloud and to type."""
    if not code:
        return ""
    half = len(code) // 2
    return f"{code[:half]}-{code[half:]}"


def new_short_code(taken: set[str]) -> str:
    while True:
        code = "".join(secrets.choice(BADGE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


def new_short_codes(taken: set[str], count: int) -> list[str]:
    """`count` new codes at once, none in `taken` nor twice (each is added to `taken`)."""
    from forum.people.codes import random_codes

    made: list[str] = []
    while len(made) < count:
        for code in random_codes(count - len(made), SHORT_CODE_LENGTH):
            if code not in taken:
                taken.add(code)
                made.append(code)
    return made


def codes_of_forum(session: Session, forum_id: int) -> set[str]:
    """The short codes a forum's badges already use."""
    from forum.badges.models import BadgeCode

    return set(session.scalars(sa.select(BadgeCode.code).where(BadgeCode.forum_id == forum_id)))


def _give_new_registrations_codes(session: Session, _context, _instances) -> None:
    """before_flush: a short code for every registration being inserted."""
    from forum.badges.models import BadgeCode
    from forum.people.models import Registration

    new = [obj for obj in session.new if isinstance(obj, Registration)]
    if not new:
        return
    taken_by_forum: dict[int, set[str]] = {}
    with session.no_autoflush:
        for registration in new:
            forum = registration.forum
            forum_id = forum.id if forum is not None else registration.forum_id
            key = forum_id if forum_id is not None else id(forum)
            if key not in taken_by_forum:
                taken_by_forum[key] = codes_of_forum(session, forum_id) if forum_id is not None else set()
            owner = {"forum": forum} if forum is not None else {"forum_id": forum_id}
            session.add(BadgeCode(registration=registration, code=new_short_code(taken_by_forum[key]), **owner))


sa.event.listen(Session, "before_flush", _give_new_registrations_codes)


def reading_rules() -> dict:
    """What the scanner page needs to read a code as `normalize` and `looks_like_*` do (its
    offline decisions, static/checkin/door.js)."""
    return {"alphabet": BADGE_ALPHABET, "secretLength": BADGE_SECRET_LENGTH, "codeLength": SHORT_CODE_LENGTH,
            "cyrillic": _CYRILLIC_KEYS, "latin": _LATIN_KEYS}
