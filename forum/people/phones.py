"""Phone numbers as people write them in Tajikistan, and as labour migrants write their Russian
ones, normalised to E.164 (+992…, +7…). The one rule every form and the importer use, and the
one sentence that tells people which forms are accepted."""
from __future__ import annotations

import re

import phonenumbers
from flask_babel import lazy_gettext as _l

DEFAULT_REGION = "TJ"

# Named in every form error about a phone number, in the page's language.
ACCEPTED_FORMATS = _l("Write a Tajik number as +992 92 770 18 06, 92 770 18 06 or 92-770-18-06, "
                      "a Russian one as +7 916 123 45 67 or 8 916 123 45 67.")


# A number written with +992 (9 digits) or +7 (10 digits), or 9 digits at home in Tajikistan, spaces, dashes and brackets
# aside, and not starting with a trunk prefix (0 or 8) phonenumbers might strip: the country is
# plain, so phonenumbers' general parser (most of the time an import of 100,000 rows spends on
# phones) is skipped; validity is still phonenumbers' own.
_PLAIN = re.compile(r"\+(?:(992)([1-79]\d{8})|(7)([1-79]\d{9}))")
_SEPARATORS = re.compile(r"[\s\-()]+")


class PhoneError(ValueError):
    pass


def _international(text: str) -> str:
    """`text` with the country made explicit where the digits alone say it.

    Tajik numbers have 9 digits (92 770 18 06), 10 with the old trunk prefix 0 or 8;
    Russian (and Kazakh) numbers have 10 digits after the country code 7, and at home
    people write them with the trunk prefix 8: 8 916 123 45 67."""
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+"):
        return text
    digits = "".join(c for c in text if c.isdigit())
    if len(digits) == 10 and digits[0] in "08":
        return digits[1:]  # 0 92 770 18 06 / 8 92 770 18 06
    if len(digits) == 11 and digits[0] in "78":
        return "+7" + digits[1:]  # 8 916 123 45 67 / 7 916 123 45 67
    if len(digits) == 12 and digits.startswith("992"):
        return "+" + digits
    return text


def normalize_phone(raw: str | None, region: str = DEFAULT_REGION) -> str | None:
    """'92 770 18 06', '0927701806', '+992 (92) 770-18-06' → '+992927701806';
    '8 916 123 45 67', '+7 916 123 45 67' → '+79161234567'; '' → None.

    Raises PhoneError for what cannot be a real number (too short, wrong digits).
    """
    if raw is None or not str(raw).strip():
        return None
    text = str(raw).strip()
    if text.endswith(".0"):  # spreadsheets turn 927701806 into 927701806.0
        text = text[:-2]
    international = _international(text)
    bare = _SEPARATORS.sub("", international)
    if region == DEFAULT_REGION and len(bare) == 9 and bare.isdigit():
        bare = "+992" + bare  # 92 770 18 06: how most Tajik numbers are written
    plain = _PLAIN.fullmatch(bare)
    if plain:
        country, national = (plain[1], plain[2]) if plain[1] else (plain[3], plain[4])
        number = phonenumbers.PhoneNumber(country_code=int(country), national_number=int(national))
    else:
        try:
            number = phonenumbers.parse(international, region)
        except phonenumbers.NumberParseException as error:
            raise PhoneError(str(error)) from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"not a valid phone number: {raw}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None) -> str:
    if not e164:
        return ""
    return phonenumbers.format_number(phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def masked_phone(e164: str | None) -> str:
    """A number shown to whoever typed it, without telling a stranger more than its end:
    '+992927701806' → '+992 ** *** 18 06', '+79161234567' → '+7 *** *** 45 67'."""
    if not e164:
        return ""
    number = phonenumbers.parse(e164)
    national = str(number.national_number)
    hidden = len(national) - 4
    groups = {5: "** ***", 6: "*** ***"}.get(hidden, "*" * max(hidden, 0))
    return f"+{number.country_code} {groups} {national[-4:-2]} {national[-2:]}"
