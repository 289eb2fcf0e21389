"""Deterministic, plausible Tajik names and phone numbers for the demo (nobody real)."""
from __future__ import annotations

import random

WOMEN = [
    "Мавлуда", "Гулнора", "Зарина", "Нигина", "Манижа", "Дилноза", "Шаҳноза", "Малика", "Фотима", "Саодат",
    "Ҳафиза", "Мунира", "Зебо", "Гулчеҳра", "Хуршеда", "Мадина", "Сурайё", "Нодира", "Меҳринисо", "Парвина",
    "Раъно", "Қумри", "Ғунча", "Ҷамила", "Шоира", "Озода", "Мастура", "Тоҳира", "Бибисора", "Гулбаҳор",
]
MEN = [
    "Фаррух", "Илҳом", "Ҷамшед", "Умед", "Баҳром", "Далер", "Исмоил", "Қодир", "Рустам", "Ғайрат",
    "Фирдавс", "Шукрулло", "Зафар", "Некрӯз", "Абдулло", "Сӯҳроб", "Маҳмадалӣ", "Икром", "Ҳусейн", "Ҷӯрабек",
]
SURNAMES = [
    "Раҳимов", "Каримов", "Назаров", "Сафаров", "Юсуфов", "Ҳакимов", "Қодиров", "Ғафуров", "Шарипов", "Мирзоев",
    "Холов", "Ҷӯраев", "Абдуллоев", "Тошматов", "Усмонов", "Азизов", "Шералиев", "Бобоев", "Ҳасанов", "Раҷабов",
    "Саидов", "Зокиров", "Наимов", "Қурбонов", "Исмоилов", "Олимов", "Муродов", "Давлатов", "Ҳамидов", "Файзуллоев",
]
OPERATOR_PREFIXES = ["92", "93", "98", "90", "55", "50", "88", "91", "77"]


def person_name(rng: random.Random, woman: bool) -> str:
    surname = rng.choice(SURNAMES)
    if woman:
        surname += "а"
    return f"{surname} {rng.choice(WOMEN if woman else MEN)}"


def phone(rng: random.Random, taken: set[str]) -> str:
    while True:
        number = f"+992{rng.choice(OPERATOR_PREFIXES)}{rng.randrange(1000000, 9999999)}"
        if number not in taken:
            taken.add(number)
            return number
