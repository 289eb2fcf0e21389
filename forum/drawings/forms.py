"""Forms of the drawings contest: the guardian's submission, moderation, settings, awards, scores."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.db import translated
from forum.drawings.images import MAX_UPLOAD_MB
from forum.forms import BaseForm, PhoneValidator
from forum.images import MAX_UPLOAD_BYTES

# The consent a guardian gives; its version is stored with each drawing (service.CONSENT_VERSION).
CONSENT_TEXT = _l(
    "I am the child's parent or guardian. I agree that the organizers exhibit this drawing at the forum "
    "and in the gallery on this website, with the child's first name, age and school or jamoat. My name "
    "and phone number are seen only by the organizers. I can withdraw the drawing at any time with my "
    "private link; then the picture and the child's data are deleted.")

STATUS_LABELS = {"pending": _l("Waiting for review"), "approved": _l("Approved"), "rejected": _l("Not accepted")}
AWARD_LABELS = {"first": _l("1st place"), "second": _l("2nd place"), "third": _l("3rd place"),
                "special": _l("Special prize")}
IMAGE_ERRORS = {
    "empty": _l("The file is empty. Please choose the photo of the drawing."),
    "too_large": _l("The file is larger than %(mb)s MB. Please send a smaller photo.", mb=MAX_UPLOAD_MB),
    "not_image": _l("This file is not a photo we can read. Please send a JPEG, PNG or HEIC photo of the drawing."),
    "too_big": _l("This picture has too many pixels. Please send an ordinary phone photo."),
}


class SubmissionForm(BaseForm):
    child_first_name = StringField(_l("Child's first name"), validators=[DataRequired(), Length(max=100)])
    child_age = IntegerField(_l("Age"), validators=[Optional(), NumberRange(min=3, max=17)])
    birth_year = IntegerField(_l("or year of birth"), validators=[Optional(), NumberRange(min=1990, max=2100)])
    place = StringField(_l("School or jamoat"), validators=[DataRequired(), Length(max=200)])
    title = StringField(_l("Title of the drawing"), validators=[DataRequired(), Length(max=200)])
    guardian_name = StringField(_l("Your name (parent or guardian)"), validators=[DataRequired(), Length(max=200)])
    guardian_phone = TelField(_l("Your mobile phone"), validators=[PhoneValidator(required=True)])
    image = FileField(_l("Photo of the drawing"), validators=[
        FileRequired(message=_l("Please choose the photo of the drawing."))],
        # static/js/page.js refuses a file over the limit before the form is sent
        render_kw={"data-max-bytes": MAX_UPLOAD_BYTES, "data-too-large": IMAGE_ERRORS["too_large"]})
    consent = BooleanField(CONSENT_TEXT, validators=[
        DataRequired(message=_l("Without your consent we cannot exhibit the drawing."))])
    submit = SubmitField(_l("Send the drawing"))


class WithdrawForm(BaseForm):
    confirm = BooleanField(_l("Yes, delete the drawing and my child's data"), validators=[
        DataRequired(message=_l("Tick the box to confirm."))])
    submit = SubmitField(_l("Withdraw the drawing"))


class RejectForm(BaseForm):
    reason = TextAreaField(_l("Reason (the guardian sees it)"), validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Reject"))


class SettingsForm(BaseForm):
    submissions_open = BooleanField(_l("Guardians can submit drawings"))
    age_groups = StringField(_l("Age groups"), validators=[DataRequired(), Length(max=200)])
    criteria = TextAreaField(_l("Criteria, one a line: Russian | Tajik | English"),
                             validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Save"))


class AwardForm(BaseForm):
    award = SelectField(_l("Award"), choices=[("", "—")] + list(AWARD_LABELS.items()), validators=[Optional()])
    submit = SubmitField(_l("Set"))


def score_form(criteria: list[dict], language: str, formdata=None) -> BaseForm:
    """A form with one 1–10 choice per criterion of the forum, fields named `c_<key>`."""

    class ScoreForm(BaseForm):
        submit = SubmitField(_l("Save my scores"))

    for criterion in criteria:
        setattr(ScoreForm, f"c_{criterion['key']}", RadioField(
            translated(criterion["name"], language), coerce=int, validate_choice=False,
            choices=[(n, str(n)) for n in range(1, 11)],
            validators=[InputRequired(message=_l("Give a score from 1 to 10.")), NumberRange(min=1, max=10)]))
    return ScoreForm() if formdata is None else ScoreForm(formdata=formdata)


def age_text(age: int) -> str:
    """'9 лет', '9 сола', '9 years'."""
    from flask_babel import ngettext

    return ngettext("%(num)d year", "%(num)d years", age)


def age_group_text(group: tuple[int, int] | list[int] | None) -> str:
    """'6–9 лет'; for ages outside every configured group, a word saying so."""
    from flask_babel import gettext, ngettext

    if not group:
        return gettext("Other ages")
    low, high = group
    return ngettext("%(low)d–%(num)d year", "%(low)d–%(num)d years", high, low=low)
