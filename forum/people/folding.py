"""Folding names for search: the letters people type for one another compare equal.

At the door a name written "Раҳимова" is typed on a Russian keyboard as "Рахимова", or in
Latin letters from a passport or a phone without Cyrillic as "Rahimova" or "Rakhimova".
`fold()` maps all of them to one Latin skeleton ("rahimova"), so a search compares folded
query against folded name. The same rules run in the browser (`static/js/fold.js`) for the
scanner's offline search; tests keep the two in step.

The rules, in order:
1. lower case; every character that is not a letter or digit becomes a space;
2. Tajik letters fold onto their Russian neighbours: ҳ→х, ҷ→ч, қ→к, ғ→г, ӯ→у, ӣ→и, and ё→е;
3. Cyrillic becomes Latin by one table (дж→j before it, as in Джамшед / Jamshed);
4. accents are dropped (é → e); Latin spellings of the same sound fold together: kh, x → h; gh → g; q → k; dzh, dj → j;
   y → i; w → v.
Spaces are collapsed; the result has no leading or trailing space.
"""
from __future__ import annotations

import re
import unicodedata

TAJIK = str.maketrans({"ҳ": "х", "ҷ": "ч", "қ": "к", "ғ": "г", "ӯ": "у", "ӣ": "и", "ё": "е"})

CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "",
    "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}

_CYRILLIC_TABLE = str.maketrans(CYRILLIC)  # one pass in C: an import folds 100,000 names

# Applied in this order on the Latin text; longer spellings first.
LATIN = (("dzh", "j"), ("dj", "j"), ("kh", "h"), ("gh", "g"), ("x", "h"), ("q", "k"), ("y", "i"), ("w", "v"))

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str | None) -> str:
    """The search skeleton of a name or a query (see the module's rules)."""
    if not text:
        return ""
    text = text.lower().translate(TAJIK).replace("дж", "j").translate(_CYRILLIC_TABLE)
    if not text.isascii():  # accents of Latin spellings (é, ö) go; Cyrillic is already Latin here
        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    for spelling, sound in LATIN:
        text = text.replace(spelling, sound)
    return _NOT_WORD.sub(" ", text).strip()
