"""Form pieces shared by every package: texts in three languages, multi-checkboxes, phones."""
from __future__ import annotations

from typing import TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    Form,
    FormField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

LANGUAGE_LABELS = {"ru": _l("in Russian"), "tg": _l("in Tajik"), "en": _l("in English")}

T = TypeVar("T")


def required(data: T | None) -> T:
    """A required field's data after the form validated: its validator saw that it is there
    (WTForms types every field's data as optional)."""
    if data is None:
        raise ValueError("a required field is empty after validation")
    return data


def translated_field(label, textarea: bool = False, required: bool = False, max_length: int = 300):
    """Three inputs (ru, tg, en) under one label; the Russian one may be required."""
    field_class = TextAreaField if textarea else StringField

    class Texts(Form):
        ru = field_class(LANGUAGE_LABELS["ru"], validators=[DataRequired() if required else Optional(),
                                                             Length(max=max_length)])
        tg = field_class(LANGUAGE_LABELS["tg"], validators=[Optional(), Length(max=max_length)])
        en = field_class(LANGUAGE_LABELS["en"], validators=[Optional(), Length(max=max_length)])

    return FormField(Texts, label=label)


class MultiCheckboxField(SelectMultipleField):
    """Checkboxes in a list styled as one box per line, the label beside its box (app.css
    `ul.checkboxes`), not a bulleted list with labels wrapping under the boxes on a phone."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, *args, **kwargs):
        render_kw = dict(kwargs.pop("render_kw", None) or {})
        render_kw["class"] = (render_kw.get("class", "") + " checkboxes").strip()
        super().__init__(*args, render_kw=render_kw, **kwargs)


class PhoneValidator:
    """Accepts what people write ('92 770 18 06', '+992…', '8 916…') and stores E.164 in field.data;
    the error names the accepted formats (forum.people.phones is the one rule)."""

    def __init__(self, required: bool = False):
        self.required = required

    def __call__(self, form, field) -> None:
        from flask_babel import gettext as _

        from forum.people.phones import ACCEPTED_FORMATS, PhoneError, normalize_phone

        try:
            field.data = normalize_phone(field.data)
        except PhoneError:
            raise ValidationError(_("This is not a phone number we can call. %(formats)s", formats=ACCEPTED_FORMATS))
        if self.required and not field.data:
            raise ValidationError(_l("Please give a phone number."))


class _AppTranslations:
    """WTForms' own messages ("This field is required.") through our catalogs, so form
    errors come in Tajik too (WTForms ships no Tajik translation)."""

    def gettext(self, string: str) -> str:
        from flask_babel import gettext

        return gettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        from flask_babel import ngettext

        return ngettext(singular, plural, n)


class BaseForm(FlaskForm):
    """Every form of the app: CSRF on (but in tests), errors in the page's language."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return _AppTranslations()


def _wtforms_messages() -> None:  # pragma: no cover - never called; lists strings for extraction
    from flask_babel import gettext as _
    from flask_babel import ngettext

    _("This field is required.")
    _("Invalid email address.")
    _("Invalid input.")
    _("Not a valid choice.")
    _("Not a valid date value.")
    _("Not a valid time value.")
    _("Not a valid datetime value.")
    _("Not a valid integer value.")
    _("Not a valid decimal value.")
    _("Not a valid float value.")
    _("Number must be at least %(min)s.")
    _("Number must be at most %(max)s.")
    _("Number must be between %(min)s and %(max)s.")
    _("Field must be between %(min)d and %(max)d characters long.")
    _("File does not have an approved extension.")
    _("Invalid Choice: could not coerce.")
    _("The CSRF token is missing.")
    _("The CSRF token is invalid.")
    _("The CSRF token has expired.")
    _("The CSRF tokens do not match.")
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be exactly %(max)d character long.", "Field must be exactly %(max)d characters long.", 1)
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.", 1)
