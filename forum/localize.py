"""Texts kept in the three page languages, shown in the reader's language or, where nobody has
written that one yet, in another language with a mark saying so.

One rule for pages, PDFs and sheets: `localized(obj, field, language)`. A field is either a
{"ru", "tg", "en"} dict (Forum.title, Forum.goals…), or a plain string, the original as its
owner writes it, with its translations in the same name plus "s" (Organization.name and
Organization.names). The text shown is, in order: the reader's language; the original; the
other languages (Russian, English, Tajik). When it is not in the reader's language it is
marked: on pages a `lang` attribute, a "not translated" title and a small "(ru)"; in PDFs
and sheets the "(ru)" after it (`Localized.marked`).
"""
from __future__ import annotations

import re
from typing import Any

from markupsafe import Markup, escape

FALLBACKS = ("ru", "en", "tg")
_TAJIK_LETTERS = re.compile("[ғӣқӯҳҷҒӢҚӮҲҶ]")
_CYRILLIC = re.compile("[а-яёА-ЯЁ]")
_LATIN = re.compile("[a-zA-Z]")


class Localized(str):
    """A text with the language it is in, and whether that is not the one asked for."""

    language: str  # "ru", "tg" or "en"; "" when unknown (an original without letters)
    untranslated: bool  # shown in another language than the reader's

    def __new__(cls, text: str, language: str = "", untranslated: bool = False) -> Localized:
        self = super().__new__(cls, text)
        self.language, self.untranslated = language, untranslated
        return self

    def marked(self) -> str:
        """Plain text with the mark: "ООН-Женщины (ru)" where untranslated (PDFs, sheets, options)."""
        if self.untranslated and self and self.language:
            return f"{self} ({self.language})"
        return str(self)

    def __html__(self) -> Markup:
        if not self.untranslated or not self:
            return escape(str(self))
        from flask_babel import gettext as _

        lang = Markup(' lang="{}"').format(self.language) if self.language else Markup("")
        code = Markup(' <small class="untranslated">({})</small>').format(self.language) if self.language else ""
        return Markup('<span{} title="{}">{}</span>{}').format(lang, _("not translated"), str(self), code)


def original_language(text: str) -> str:
    """The language an original is most likely written in, from its letters: Tajik letters,
    else Cyrillic (Russian), else Latin (English); "" when it has no letters."""
    if _TAJIK_LETTERS.search(text):
        return "tg"
    if _CYRILLIC.search(text):
        return "ru"
    return "en" if _LATIN.search(text) else ""


def localized_texts(texts: dict[str, Any] | None, language: str, original: str | None = None) -> Localized:
    """The text of `texts` ({"ru", "tg", "en"}) for a reader of `language` (see the module)."""
    texts = texts or {}
    if texts.get(language):
        return Localized(str(texts[language]), language)
    if original:
        found = original_language(original)
        return Localized(original, found, untranslated=bool(found) and found != language)
    for code in FALLBACKS:
        if texts.get(code):
            return Localized(str(texts[code]), code, untranslated=True)
    return Localized("", language)


def localized(obj: Any, field: str | None = None, language: str | None = None) -> Localized:
    """`obj.field` (or `obj` itself, a {"ru", "tg", "en"} dict) in `language`, by default the
    page's; see the module for the order and the mark."""
    if language is None:
        from forum.i18n import current_language

        language = current_language()
    if obj is None:
        return Localized("", language)
    if field is None:
        return localized_texts(obj, language) if isinstance(obj, dict) else Localized(str(obj), language)
    value = getattr(obj, field)
    if isinstance(value, dict) or value is None:
        return localized_texts(value, language)
    per_language = getattr(obj, field + "s", None)
    return localized_texts(per_language if isinstance(per_language, dict) else None, language, str(value))
