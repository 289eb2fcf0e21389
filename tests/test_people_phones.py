"""Phone numbers as participants write them: Tajik numbers in their usual forms and Russian
numbers as labour migrants write them; a wrong one is told with the accepted forms, in the
page's language."""
from __future__ import annotations

import pytest

from forum.people.phones import PhoneError, normalize_phone

TAJIK = "+992927701806"
RUSSIAN = "+79161234567"


@pytest.mark.parametrize("raw, e164", [
    ("+992 92 770 18 06", TAJIK),
    ("927701806", TAJIK),
    ("92-770-18-06", TAJIK),
    ("92 770 18 06", TAJIK),
    ("992927701806", TAJIK),
    ("8 92 770 18 06", TAJIK),  # the old domestic trunk prefix
    ("+7 916 123 45 67", RUSSIAN),
    ("8 916 123 45 67", RUSSIAN),  # as written in Russia: trunk prefix 8
    ("8 (916) 123-45-67", RUSSIAN),
    ("89161234567", RUSSIAN),
    ("7 916 123 45 67", RUSSIAN),
    ("+7 (916) 123-45-67", RUSSIAN),
])
def test_tajik_and_russian_numbers_in_the_forms_people_write_them(raw, e164):
    assert normalize_phone(raw) == e164


@pytest.mark.parametrize("raw", ["+7 916 123 45", "8 916 123", "92 770 18", "+7 916", "телефон"])
def test_numbers_that_cannot_be_called_are_refused(raw):
    with pytest.raises(PhoneError):
        normalize_phone(raw)


FORM = {"full_name": "Каримова Зарина", "language": "tg", "category": "shg_member", "gender": "f",
        "organization_name": "", "jamoat_id": "0", "consent": "y"}


@pytest.mark.parametrize("language, sentence", [
    ("ru", "Таджикский номер пишите так: +992 92 770 18 06, 92 770 18 06 или 92-770-18-06, "
           "российский — +7 916 123 45 67 или 8 916 123 45 67."),
    ("tg", "Рақами Тоҷикистонро чунин нависед: +992 92 770 18 06, 92 770 18 06 ё 92-770-18-06, "
           "рақами Русияро — +7 916 123 45 67 ё 8 916 123 45 67."),
    ("en", "Write a Tajik number as +992 92 770 18 06, 92 770 18 06 or 92-770-18-06, "
           "a Russian one as +7 916 123 45 67 or 8 916 123 45 67."),
])
def test_a_wrong_number_is_told_with_the_accepted_forms_in_the_pages_language(client, forum, language, sentence):
    response = client.post(f"/f/{forum.slug}/register", data=dict(FORM, phone="8 916 123"),
                           headers={"Accept-Language": language})
    assert response.status_code == 200
    assert sentence in response.get_data(as_text=True)


def test_the_registration_form_takes_a_russian_number(client, forum):
    response = client.post(f"/f/{forum.slug}/register", data=dict(FORM, phone="8 916 123 45 67"))
    assert response.status_code == 302


def test_numbers_written_with_their_country_are_judged_as_phonenumbers_judges_them():
    """The shortcut for +992 and +7 numbers (and 9 digits at home) gives what phonenumbers' own
    parser gives, valid or not, for every leading pair of digits."""
    import random

    import phonenumbers

    from forum.people.phones import _international

    rng = random.Random(19)
    for country, length in (("992", 9), ("7", 10)):
        for lead in range(100):
            national = f"{lead:02d}" + "".join(rng.choice("0123456789") for _ in range(length - 2))
            home = [national, f"{national[:2]} {national[2:5]} {national[5:7]} {national[7:]}"] if country == "992" else []
            for written in (f"+{country}{national}", f"+{country} ({national[:2]}) {national[2:5]}-{national[5:]}",
                            *home):
                try:  # the rule before the shortcut: phonenumbers' parser on what `_international` made
                    number = phonenumbers.parse(_international(written), "TJ")
                except phonenumbers.NumberParseException:
                    number = None
                if number is None:
                    expected = None
                else:
                    expected = (phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                                if phonenumbers.is_valid_number(number) else None)
                try:
                    got = normalize_phone(written)
                except PhoneError:
                    got = None
                assert got == expected, written
