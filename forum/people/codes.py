"""Random secrets for badges and private pages. Never derived from personal data."""
from __future__ import annotations

import secrets

# Upper-case letters and digits without look-alikes (no 0/O, 1/I/L): easy to read aloud and
# to type from a badge, and QR "alphanumeric" mode encodes them compactly.
BADGE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BADGE_SECRET_LENGTH = 27  # 27 × log2(31) ≈ 133 bits


def new_badge_secret() -> str:
    return random_codes(1, BADGE_SECRET_LENGTH)[0]


def random_codes(count: int, length: int) -> list[str]:
    """`count` random strings of `length` letters of the badge alphabet, each letter uniform
    and independent (as secrets.choice gives it), from few reads of the system's randomness:
    an import of 100,000 registrations asks for millions of letters."""
    wanted = count * length
    letters = b""
    while len(letters) < wanted:
        # 256/248 random bytes per letter on average; a little more saves a second read
        chunk = secrets.token_bytes((wanted - len(letters)) * 9 // 8 + 16)
        letters += chunk.translate(_BYTE_TO_LETTER, _UNFAIR_BYTES)
    text = letters[:wanted].decode("ascii")
    return [text[start:start + length] for start in range(0, wanted, length)]


# Byte b is letter b % 31 of the alphabet; the bytes from 248 up would favour the first
# letters, so they are dropped.
_FAIR = 256 - 256 % len(BADGE_ALPHABET)
_BYTE_TO_LETTER = bytes(ord(BADGE_ALPHABET[b % len(BADGE_ALPHABET)]) for b in range(256))
_UNFAIR_BYTES = bytes(range(_FAIR, 256))


def new_private_token() -> str:
    """The token of /r/<token>: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


SHORT_CODE_LENGTH = 10  # 31^10 ≈ 8·10^14 (49 bits): out of reach of guessing at 30 tries a minute


def new_short_code() -> str:
    """The code of a personal short link /l/<code>: short enough for an SMS, typed from a badge alphabet."""
    return random_codes(1, SHORT_CODE_LENGTH)[0]
