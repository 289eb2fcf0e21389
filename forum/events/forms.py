from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from forum.events.models import SLUG_PATTERN
from forum.forms import BaseForm, MultiCheckboxField, translated_field

SLUG = Regexp(f"^{SLUG_PATTERN}$",
              message=_l("Use 3 to 80 small Latin letters, digits and dashes, e.g. isfara-2011."))

ACTIVITY_LABELS = {
    "exhibition": _l("Exhibition of the groups' products and stands"),
    "theatre": _l("Mobile theatre performances"),
    "drawings": _l("Children's drawings on labour migration"),
    "round_table": _l("Round table"),
    "job_fair": _l("Job fair"),
}

AREA_KIND_LABELS = {
    "stage": _l("Stage"), "exhibition": _l("Exhibition area"), "hall": _l("Hall"),
    "tent": _l("Tent"), "entrance": _l("Entrance"), "other": _l("Other"),
}

STATUS_LABELS = {"draft": _l("Draft"), "published": _l("Published"), "archived": _l("Archived")}
# A change of status is asked again first: it shows or hides the forum for everyone at once.
STATUS_ACTIONS = {"published": _l("Publish"), "draft": _l("Back to draft"), "archived": _l("Archive")}
STATUS_QUESTIONS = {
    "published": _l("Publish the forum? Its pages, agenda and registration form become public at once."),
    "draft": _l("Take the forum back to draft? Its public pages disappear for everyone at once."),
    "archived": _l("Archive the forum? Registration closes and the forum can no longer change."),
}

ERRORS = {
    "slug_taken": _l("Another forum already uses this address."),
    "bad_slug": _l("Use 3 to 80 small Latin letters, digits and dashes, e.g. isfara-2011."),
    "ends_before_start": _l("The forum must end after it starts."),
    "bad_transition": _l("The forum cannot change to this status from its current one."),
    "area_key_taken": _l("This forum already has an area with this code."),
}


def _valid_zone(form, field):
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_l("Unknown time zone; use a name like Asia/Dushanbe."))


class ForumForm(BaseForm):
    slug = StringField(_l("Address (slug)"), validators=[DataRequired(), SLUG])
    title = translated_field(_l("Title"), required=True)
    city = translated_field(_l("City or district"), required=True)
    venue = translated_field(_l("Venue"), required=True)
    address = translated_field(_l("Address"))
    day = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[DataRequired()])
    end_time = TimeField(_l("Ends at"), validators=[DataRequired()])
    timezone = StringField(_l("Time zone"), default="Asia/Dushanbe", validators=[DataRequired(), _valid_zone])
    goals = translated_field(_l("Goals"), textarea=True, max_length=4000)
    description = translated_field(_l("What happens that day"), textarea=True, max_length=4000)
    contacts = translated_field(_l("Contacts"), textarea=True, max_length=2000)
    activities = MultiCheckboxField(_l("Activities"), choices=list(ACTIVITY_LABELS.items()))
    organizer_id = SelectField(_l("Organizer"), coerce=int, validators=[Optional()])
    partner_ids = SelectMultipleField(_l("Partners"), coerce=int, validators=[Optional()])
    registration_open = BooleanField(_l("Participants may register themselves"))
    submit = SubmitField(_l("Save"))

    def validate_end_time(self, field):
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError(ERRORS["ends_before_start"])


class CopyForumForm(BaseForm):
    slug = StringField(_l("Address of the new forum"), validators=[DataRequired(), SLUG])
    day = DateField(_l("Date of the new forum"), validators=[DataRequired()])
    submit = SubmitField(_l("Copy"))


class AreaForm(BaseForm):
    key = StringField(_l("Code"), validators=[DataRequired(), Length(max=40),
                                             Regexp(r"^[a-z0-9-]+$", message=_l("Small Latin letters, digits and dashes."))])
    name = translated_field(_l("Name"), required=True, max_length=120)
    kind = SelectField(_l("Kind"), choices=list(AREA_KIND_LABELS.items()))
    capacity = IntegerField(_l("Capacity (people)"), validators=[Optional(), NumberRange(min=0, max=100000)])
    position = IntegerField(_l("Order"), default=0, validators=[Optional(), NumberRange(min=0, max=1000)])
    submit = SubmitField(_l("Save"))
