"""Forms of the round table (organizer pages and the invitee's panel)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from forum.forms import BaseForm, MultiCheckboxField, PhoneValidator, translated_field
from forum.people.forms import CATEGORY_LABELS
from forum.people.models import CATEGORIES
from forum.roundtable.models import GROUPS, REC_STATUSES
from forum.roundtable.texts import GROUP_LABELS, STATUS_LABELS

CHANNEL_CHOICES = [("email", _l("Email")), ("sms", _l("SMS"))]
LANGUAGE_CHOICES = [("ru", "Русский"), ("tg", "Тоҷикӣ"), ("en", "English")]


def group_choices():
    return [(g, GROUP_LABELS[g]) for g in GROUPS]


class SetupForm(BaseForm):
    capacity = IntegerField(_l("Seats in all"), validators=[DataRequired(), NumberRange(min=1, max=1000)])
    tables = IntegerField(_l("Tables"), validators=[DataRequired(), NumberRange(min=1, max=100)])
    seats_per_table = IntegerField(_l("Seats per table"), validators=[DataRequired(), NumberRange(min=1, max=30)])


for _group in GROUPS:  # one quota field per stakeholder group: quota_shg_leader, …
    setattr(SetupForm, f"quota_{_group}", IntegerField(GROUP_LABELS[_group], default=0,
                                                       validators=[Optional(), NumberRange(min=0, max=1000)]))


class InviteForm(BaseForm):
    group = SelectField(_l("Invite for the group"), choices=[("", _l("By their category"))] + [
        (g, GROUP_LABELS[g]) for g in GROUPS], validate_choice=True, default="")
    channels = MultiCheckboxField(_l("Send by"), choices=CHANNEL_CHOICES, default=["email", "sms"],
                                  validators=[DataRequired(_l("Choose email, SMS or both."))])


class NewPersonForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[PhoneValidator()])
    email = EmailField(_l("Email"), validators=[Optional(), Email(), Length(max=254)])
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="ru")
    organization_id = SelectField(_l("Organization"), coerce=int, default=0)
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    category = SelectField(_l("Category"), choices=[(c, CATEGORY_LABELS[c]) for c in CATEGORIES], default="guest")
    group = SelectField(_l("Stakeholder group"), choices=group_choices(), default="other")
    channels = MultiCheckboxField(_l("Send by"), choices=CHANNEL_CHOICES, default=["email", "sms"],
                                  validators=[DataRequired(_l("Choose email, SMS or both."))])


class TopicForm(BaseForm):
    title = translated_field(_l("Topic"), max_length=300)


class ProblemForm(BaseForm):
    text = TextAreaField(_l("A problem your group faces"), validators=[DataRequired(), Length(max=1000)])


class RecommendationForm(BaseForm):
    text = translated_field(_l("Recommendation"), textarea=True, max_length=2000)
    topic_id = SelectField(_l("Topic"), coerce=int, default=0)
    addressed_to_id = SelectField(_l("Addressed to"), coerce=int, default=0)
    owner = SelectField(_l("Owner"), default="")
    deadline = DateField(_l("Deadline"), validators=[Optional()])
    status = SelectField(_l("Status"), choices=[(s, STATUS_LABELS[s]) for s in REC_STATUSES], default="proposed")


class NoteForm(BaseForm):
    noted_on = DateField(_l("Date"), validators=[DataRequired()])
    text = TextAreaField(_l("Progress"), validators=[DataRequired(), Length(max=2000)])
