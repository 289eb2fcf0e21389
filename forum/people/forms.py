from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from forum.forms import BaseForm, PhoneValidator, translated_field

CATEGORY_LABELS = {
    "shg_member": _l("Self-help group member"),
    "shg_leader": _l("Self-help group leader"),
    "coordinator": _l("Coordinator"),
    "mobilizer": _l("Community mobilizer"),
    "government": _l("Government"),
    "international": _l("International organisation"),
    "mfi": _l("Microfinance institution"),
    "employer": _l("Employer"),
    "exhibitor": _l("Exhibitor"),
    "performer": _l("Performer"),
    "guest": _l("Guest"),
    "press": _l("Press"),
    "staff": _l("Staff"),
}
STATUS_LABELS = {
    "invited": _l("Invited"), "confirmed": _l("Confirmed"), "declined": _l("Declined"), "cancelled": _l("Cancelled"),
}
KIND_LABELS = {
    "shg": _l("Self-help group"), "ngo": _l("NGO"), "government": _l("Government body"),
    "international": _l("International organisation"), "mfi": _l("Microfinance institution"),
    "employer": _l("Employer"), "school": _l("School"), "theatre": _l("Theatre"), "media": _l("Media"),
}
LANGUAGE_CHOICES = [("ru", "Русский"), ("tg", "Тоҷикӣ"), ("en", "English")]
GENDER_CHOICES = [("", _l("Not stated")), ("f", _l("Woman")), ("m", _l("Man"))]


class SelfRegistrationForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=200)])
    phone = StringField(_l("Mobile phone"), validators=[PhoneValidator(required=True)])
    email = EmailField(_l("Email (if you have one)"), validators=[Optional(), Email(), Length(max=254)])
    language = SelectField(_l("Language for messages and badge"), choices=LANGUAGE_CHOICES)
    category = SelectField(_l("I take part as"))
    gender = SelectField(_l("Gender"), choices=GENDER_CHOICES, validators=[Optional()])
    organization_name = StringField(_l("Self-help group or organization"), validators=[Optional(), Length(max=300)])
    jamoat_id = SelectField(_l("Jamoat"), coerce=int, validators=[Optional()])
    consent = BooleanField(_l("I agree that the organizers keep my name and phone number to run this forum "
                              "and contact me about it. They are not shown publicly."),
                           validators=[DataRequired(message=_l("Please agree, or we cannot register you."))])
    submit = SubmitField(_l("Register"))


# --- organizer forms --------------------------------------------------------------------------

ERRORS = {
    "organization_exists": _l("An organization of this kind with this name already exists."),
    "jamoat_not_in_district": _l("This jamoat is not in the chosen district."),
    "unknown_jamoat": _l("Please choose a jamoat from the list."),
    "unknown_district": _l("Please choose a district from the list."),
    "unknown_organization": _l("Please choose an organization from the list."),
    "unknown_kind": _l("Please choose a kind from the list."),
    "unknown_language": _l("Please choose a language from the list."),
    "phone_taken": _l("This phone number already belongs to another person in the list."),
    "contact_change": _l("Check the new phone number and email below, then press «Save» again."),
}
PHONE_TAKEN_BY = _l("This phone number belongs to %(name)s, who is already in the list of people.")
NAME_TAKEN_BY = _l("This name already means the organization «%(name)s». If they are one organization, "
                   "merge the two instead.")


def error_message(error) -> str:
    """The message for a service.PeopleError, naming the person it clashes with when known."""
    if error.code == "phone_taken" and getattr(error.other, "full_name", None):
        return str(PHONE_TAKEN_BY) % {"name": error.other.full_name}
    if error.code == "organization_exists" and getattr(error.other, "name", None):
        return str(NAME_TAKEN_BY) % {"name": error.other.name}
    return str(ERRORS.get(error.code, ERRORS["unknown_organization"]))


def place_choices(form, districts, lang: str) -> None:
    """District and jamoat lists of a form, jamoats labelled with their district."""
    def name(item) -> str:
        return item.name.get(lang) or item.name.get("ru") or item.key

    form.district_id.choices = [(0, "—")] + [(d.id, name(d)) for d in districts]
    form.jamoat_id.choices = [(0, "—")] + [(j.id, f"{name(j)} ({name(d)})") for d in districts for j in d.jamoats]


class OrganizationForm(BaseForm):
    name = StringField(_l("Name of the organization"), validators=[DataRequired(), Length(min=2, max=300)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=60)])
    names = translated_field(_l("The name in each language of the pages"))
    aliases = TextAreaField(_l("Other names it goes by, one a line"), validators=[Optional(), Length(max=4000)])
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    district_id = SelectField(_l("District"), coerce=int, validators=[Optional()])
    jamoat_id = SelectField(_l("Jamoat"), coerce=int, validators=[Optional()])
    contact_person = StringField(_l("Contact person"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[PhoneValidator()])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save"))


class PersonFields(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=200)])
    phone = StringField(_l("Mobile phone"), validators=[PhoneValidator()])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    language = SelectField(_l("Language for messages and badge"), choices=LANGUAGE_CHOICES)
    gender = SelectField(_l("Gender"), choices=GENDER_CHOICES, validators=[Optional()])
    position = StringField(_l("Position or role"), validators=[Optional(), Length(max=200)])
    organization_id = SelectField(_l("Organization"), coerce=int, validators=[Optional()])
    district_id = SelectField(_l("District"), coerce=int, validators=[Optional()])
    jamoat_id = SelectField(_l("Jamoat"), coerce=int, validators=[Optional()])


class PersonForm(PersonFields):
    # The new phone and email the organizer was shown (service.ContactChange.key).
    contact_seen = HiddenField()
    submit = SubmitField(_l("Save"))


class RegistrationFields(BaseForm):
    category = SelectField(_l("Category"), choices=list(CATEGORY_LABELS.items()))
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()), default="confirmed")


class RegistrationForm(RegistrationFields):
    notes = TextAreaField(_l("Notes for organizers"), validators=[Optional(), Length(max=4000)])
    submit = SubmitField(_l("Save"))


class ExistingPersonRegistrationForm(RegistrationFields):
    person_id = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Register at this forum"))


class NewPersonRegistrationForm(PersonFields, RegistrationFields):
    submit = SubmitField(_l("Add the person and register them"))


class ImportForm(BaseForm):
    """A file to check or import; or, after a check, the token of the file kept on the server
    (`import_uploads`), so «Import» needs no second choice of the file."""

    file = FileField(_l("CSV or XLSX file"))
    kept = HiddenField()
    skip_existing = BooleanField(_l("Skip people already registered at this forum (they are listed in the report)"))
    send_links = BooleanField(_l("Send each person imported their personal link by SMS (and email, if known)"))
    check = SubmitField(_l("Check only"))
    submit = SubmitField(_l("Import"))

    def validate_file(self, field) -> None:
        from wtforms.validators import StopValidation

        if not field.data and not self.kept.data:
            raise StopValidation(_l("Please choose a file."))


class LostLinkForm(BaseForm):
    """"Lost your link?": one field, a phone number or an email address."""

    contact = StringField(_l("Your phone number or email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Send me my link"))

    def validate_contact(self, field) -> None:
        from wtforms.validators import ValidationError

        from forum.people.phones import ACCEPTED_FORMATS, PhoneError, normalize_phone

        text = (field.data or "").strip()
        if "@" in text:
            local, _at, domain = text.rpartition("@")
            if not local or "." not in domain or " " in text:
                raise ValidationError(_l("This is not an email address."))
            field.data = text
            return
        try:
            field.data = normalize_phone(text)
        except PhoneError:
            from flask_babel import gettext

            raise ValidationError(gettext("This is not a phone number we can call. %(formats)s",
                                          formats=ACCEPTED_FORMATS)) from None
