from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from forum.forms import BaseForm, MultiCheckboxField, PhoneValidator, translated_field


class CheckpointForm(BaseForm):
    key = StringField(_l("Short key (for scanners and the API)"), validators=[
        DataRequired(), Length(max=40),
        Regexp(r"^[a-z0-9][a-z0-9-]*$", message=_l("Lower-case Latin letters, digits and hyphens, e.g. entrance."))])
    name = translated_field(_l("Name of the checkpoint"), required=True, max_length=120)
    area_id = SelectField(_l("Area"), coerce=int, validators=[Optional()])
    rule = SelectField(_l("Who may pass"))
    categories = MultiCheckboxField(_l("Categories (for \"only the chosen categories\")"))
    reentry = BooleanField(_l("Re-entry allowed: a second scan lets the person in again"))
    active = BooleanField(_l("Open (scans are accepted)"), default=True)
    position = IntegerField(_l("Order"), validators=[Optional(), NumberRange(min=0, max=999)], default=0)
    submit = SubmitField(_l("Save"))


class WalkInForm(BaseForm):
    """A walk-in at the door: who they are, and the door's consent question."""

    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=200)])
    phone = StringField(_l("Mobile phone (if they have one)"), validators=[PhoneValidator()])
    category = SelectField(_l("Takes part as"))
    organization_name = StringField(_l("Self-help group or organization"), validators=[Optional(), Length(max=300)])
    language = SelectField(_l("Language for messages and badge"))
    checkpoint = SelectField(_l("Checkpoint"))
    consent = BooleanField(_l("The person agrees that the organizers keep their name and phone number to run "
                              "this forum and contact them about it."),
                           validators=[DataRequired(message=_l("Ask the person and tick the box, or do not register them."))])
    nonce = HiddenField()  # one form, one walk-in: a double tap registers once
    device = HiddenField()  # the phone's name, as on the scanner page
    submit = SubmitField(_l("Register and check in"))

