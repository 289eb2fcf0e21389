"""The words a table of participants may use: column names and values, in English, Russian
and Tajik.

Columns: full_name and category are required; the others are optional. Values of category,
status, organization_kind, language and gender may be codes (shg_member) or labels in any of
the three languages (Член ГВП, Аъзои гурӯҳи худёрӣ); districts and jamoats by key or name.
"""
from __future__ import annotations

from flask_babel import force_locale

from forum.people import service
from forum.people.forms import CATEGORY_LABELS, GENDER_CHOICES, KIND_LABELS, STATUS_LABELS
from forum.people.models import District
from forum.people.organizations import OrganizationIndex

HEADERS = {
    "full_name": ("full_name", "full name", "name", "фио", "ф.и.о.", "ф. и. о.", "фамилия и имя", "фамилия, имя",
                  "фамилия имя отчество", "имя", "участник", "ном", "насаб ва ном", "ному насаб"),
    "phone": ("phone", "phone number", "mobile", "телефон", "тел", "тел.", "номер телефона", "мобильный",
              "мобильный телефон", "рақами телефон", "телефони мобилӣ"),
    "email": ("email", "e-mail", "эл. почта", "эл.почта", "электронная почта", "почта", "почтаи электронӣ"),
    "language": ("language", "язык", "забон"),
    "gender": ("gender", "sex", "пол", "ҷинс"),
    "organization": ("organization", "organisation", "организация", "группа", "гвп", "ташкилот", "гурӯҳ"),
    "organization_kind": ("organization_kind", "organization kind", "kind", "тип организации", "вид организации",
                          "навъи ташкилот"),
    "district": ("district", "район", "ноҳия"),
    "jamoat": ("jamoat", "джамоат", "ҷамоат"),
    "category": ("category", "категория", "категория участника", "тоифа"),
    "status": ("status", "статус", "ҳолат"),
}
REQUIRED = ("full_name", "category")
IGNORED = ("registered_at", "arrived_at", "№", "#", "no")  # our export's extra columns, row numbers

LANGUAGE_WORDS = {
    "ru": ("ru", "рус", "русский", "russian", "русӣ", "русский язык"),
    "tg": ("tg", "tj", "тадж", "таджикский", "тоҷикӣ", "тоджики", "tajik", "таджикский язык"),
    "en": ("en", "англ", "английский", "english", "англисӣ"),
}
GENDER_WORDS = {
    "f": ("f", "ж", "жен", "женский", "женщина", "w", "woman", "female", "зан"),
    "m": ("m", "м", "муж", "мужской", "мужчина", "man", "male", "мард"),
}
# Every gender and number of the Russian words, and the Tajik ones, whatever the catalogs say.
STATUS_WORDS = {
    "invited": ("приглашен", "приглашена", "приглашено", "приглашены", "даъват шуд", "даъватшуда"),
    "confirmed": ("подтвержден", "подтверждена", "подтверждено", "подтверждены", "тасдиқ шуд", "тасдиқшуда"),
    "declined": ("отклонен", "отклонена", "отклонено", "отклонены", "отказ", "рад шуд", "радшуда"),
    "cancelled": ("canceled", "отменен", "отменена", "отменено", "отменены", "бекор шуд", "бекоршуда"),
}


def norm(text: str) -> str:
    """A word as compared: lower case, single spaces, ё as е, no trailing colon or star."""
    return " ".join(str(text).lower().replace("ё", "е").split()).strip(" :*")


class Vocabulary:
    """Codes, labels in the three languages and places, to read the cells of a table."""

    def __init__(self):
        self.categories = self._labelled(CATEGORY_LABELS)
        self.statuses = self._labelled(STATUS_LABELS, STATUS_WORDS)
        self.kinds = self._labelled(KIND_LABELS)
        self.languages = {norm(w): code for code, words in LANGUAGE_WORDS.items() for w in words}
        self.genders = self._labelled({code: label for code, label in GENDER_CHOICES if code}, GENDER_WORDS)
        self.districts: dict[str, District] = {}
        self.jamoats: dict[str, list] = {}
        self.all_districts = service.districts()
        for district in self.all_districts:
            for word in (district.key, *district.name.values()):
                self.districts[norm(word)] = district
            for jamoat in district.jamoats:
                for word in {norm(w) for w in (jamoat.key, *jamoat.name.values())}:
                    self.jamoats.setdefault(word, []).append(jamoat)
        self.organizations = OrganizationIndex()  # read once for every row

    def district_names(self) -> list[dict[str, str]]:
        """Each district's names by language, as a report lists the valid ones."""
        return [dict(district.name) for district in self.all_districts]

    @staticmethod
    def _labelled(labels: dict, extra: dict | None = None) -> dict[str, str]:
        words = {norm(code): code for code in labels}
        for lang in ("en", "tg", "ru"):
            with force_locale(lang):
                words.update({norm(str(label)): code for code, label in labels.items()})
        for code, aliases in (extra or {}).items():
            words.update({norm(w): code for w in aliases})
        return words
