"""Random secrets for badges and private pages. Never derived from personal data."""
from __future__ import annotations

import secrets

# Upper-case letters and digits without look-alikes (no 0/O, 1/I/L): easy to read aloud and
# to type from a badge, and QR "alphanumeric" mode encodes them compactly.
BADGE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
BADGE_SECRET_LENGTH = 27  # 27 × log2(31) ≈ 133 bits


def new_badge_secret() -> str:
    return "".join(secrets.choice(BADGE_ALPHABET) for _ in range(BADGE_SECRET_LENGTH))


def new_private_token() -> str:
    """The token of /r/<token>: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)
