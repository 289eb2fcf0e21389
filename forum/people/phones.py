"""Phone numbers as people write them in Tajikistan, normalised to E.164 (+992…)."""
from __future__ import annotations

import phonenumbers

DEFAULT_REGION = "TJ"


class PhoneError(ValueError):
    pass


def normalize_phone(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """'92 770 18 06', '0927701806', '+992 (92) 770-18-06' → '+992927701806'; '' → None.

    Raises PhoneError for what cannot be a real number (too short, wrong digits).
    """
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    if text.endswith(".0"):  # spreadsheets turn 927701806 into 927701806.0
        text = text[:-2]
    if text.startswith("00"):
        text = "+" + text[2:]
    digits = "".join(c for c in text if c.isdigit())
    if not text.startswith("+") and len(digits) == 10 and digits[0] in "08":
        text = digits[1:]  # the old domestic trunk prefix: 0 92 770 18 06 / 8 92 770 18 06
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneError(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"not a valid phone number: {raw}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    if not e164:
        return ""
    return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)
