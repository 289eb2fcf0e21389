"""Forms of the organizer's invitation pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from forum.forms import BaseForm, MultiCheckboxField

CHANNEL_CHOICES = [("email", _l("Email (with a calendar invitation)")), ("sms", _l("SMS"))]
ANSWER_CHOICES = [("accepted", _l("Will come")), ("declined", _l("Will not come"))]


class InvitationForm(BaseForm):
    item_id = SelectField(_l("Invite to"), coerce=int)
    categories = MultiCheckboxField(_l("Categories (none ticked: all)"))
    organization_id = SelectField(_l("Organization"), coerce=int)
    district_id = SelectField(_l("District"), coerce=int)
    status = SelectField(_l("Registration status"))
    listed_only = BooleanField(_l("Only people already on the item's list"))
    channels = MultiCheckboxField(_l("Send by"), choices=CHANNEL_CHOICES,
                                  validators=[DataRequired(message=_l("Choose email, SMS or both."))])
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Queue the invitations"))


class PhoneAnswerForm(BaseForm):
    code = StringField(_l("Invitation code"), validators=[DataRequired(), Length(max=12)])
    answer = SelectField(_l("Answer"), choices=ANSWER_CHOICES)
    submit = SubmitField(_l("Record the answer"))
