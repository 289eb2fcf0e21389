from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional

from forum.forms import BaseForm, PhoneValidator

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
