"""Forms of the organizer's invitation and outbox pages."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from forum.forms import BaseForm, MultiCheckboxField, PhoneValidator

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


class UrgentSmsForm(BaseForm):
    """One urgent SMS: to a registration (chosen from a message or a link) or to a phone number
    of the forum's people; previewed first, then sent after the organizer confirms."""

    registration_id = HiddenField(validators=[Optional()])
    nonce = HiddenField()  # one confirmation form, one SMS: a double tap queues it once
    phone = StringField(_l("Phone number of a participant"), validators=[PhoneValidator()])
    text = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=1000)])
    confirm = BooleanField(_l("Yes, send this SMS now, also outside the sending hours"))
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send now"))


GROUP_CHANNEL_CHOICES = [("sms_first", _l("SMS; email to those without a phone")), ("both", _l("SMS and email")),
                         ("sms", _l("SMS only")), ("email", _l("Email only"))]


class GroupMessageForm(BaseForm):
    """A free text to a group of the forum's people: the groups' filters are added per forum
    (group_message_form), the text per language; previewed, then sent after confirming."""

    text_ru = TextAreaField(_l("Text in Russian"), validators=[Optional(), Length(max=1000)])
    text_tg = TextAreaField(_l("Text in Tajik"), validators=[Optional(), Length(max=1000)])
    text_en = TextAreaField(_l("Text in English"), validators=[Optional(), Length(max=1000)])
    channels = SelectField(_l("Send by"), choices=GROUP_CHANNEL_CHOICES, default="sms_first")
    nonce = HiddenField(validators=[DataRequired()])  # one confirmed form, one batch: a double submit queues once
    confirm = BooleanField(_l("Yes, send this message to everyone shown"))
    preview = SubmitField(_l("Preview"))
    send = SubmitField(_l("Send"))
    filter_names: list[tuple[str, str]] = []  # (field name, group key) of the filters added per forum

    @property
    def texts(self) -> dict[str, str]:
        return {"ru": self.text_ru.data or "", "tg": self.text_tg.data or "", "en": self.text_en.data or ""}


def group_message_form(groups, forum) -> GroupMessageForm:
    """The form with one select per group (empty: no filter), listed in `filter_names`."""

    class Form(GroupMessageForm):
        pass

    names = []
    for group in groups:
        name = f"group_{group.key}"
        setattr(Form, name, SelectField(group.label, choices=[("", _l("anyone"))] + group.choices(forum),
                                        validate_choice=False, default=""))
        names.append((name, group.key))
    form = Form()
    form.filter_names = names
    return form
