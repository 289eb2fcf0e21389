from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from forum.forms import BaseForm, MultiCheckboxField, translated_field


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
