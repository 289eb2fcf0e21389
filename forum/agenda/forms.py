"""Forms of the timetable editor, and the words for kinds, errors and conflicts."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, SelectField, SelectMultipleField, SubmitField, TimeField
from wtforms.validators import DataRequired, NumberRange, Optional, ValidationError

from forum.forms import BaseForm, translated_field
from forum.i18n import local_time

KIND_LABELS = {
    "opening": _l("Opening"),
    "exhibition": _l("Exhibition"),
    "theatre": _l("Theatre"),
    "drawings": _l("Children's drawings"),
    "round_table": _l("Round table"),
    "job_fair": _l("Job fair"),
    "training": _l("Training"),
    "break": _l("Break"),
    "other": _l("Other"),
}

ROLE_LABELS = {
    "invited": _l("You are invited"),
    "performer": _l("You perform"),
    "speaker": _l("You speak"),
    "host": _l("You host"),
}

ERRORS = {
    "bad_kind": _l("Choose a kind from the list."),
    "title_missing": _l("Give the item a title."),
    "ends_before_start": _l("The item must end after it starts."),
    "bad_audience": _l("The expected audience cannot be negative."),
    "bad_area": _l("Choose an area of this forum."),
    "naive_time": _l("The time could not be understood."),
    "outside_hours": _l("This time is outside the forum's hours."),
    "same_forum": _l("Choose another forum to copy from."),
    "bad_role": _l("Unknown role."),
    "other_forum": _l("This person is registered for another forum."),
}

COPY_REASONS = {
    "cancelled": _l("it is cancelled there"),
    "owned": _l("planned by another section (theatre, round table…): plan it there"),
    "no_area": _l("this forum has no area with code %(key)s"),
    "outside_hours": _l("outside this forum's hours"),
    "area_busy": _l("the area is taken by “%(title)s”"),
}


def _span(item, tz: str) -> str:
    return f"{local_time(item.starts_at, tz, 'HH:mm')}–{local_time(item.ends_at, tz, 'HH:mm')}"


def error_message(error, tz: str = "Asia/Dushanbe") -> str:
    """What went wrong, in the page's language; an area conflict names the item in the way."""
    from forum.i18n import tr

    if error.code == "area_busy" and getattr(error, "other", None) is not None:
        other = error.other
        return _("%(area)s is taken at that time by “%(title)s” (%(span)s).",
                 area=tr(other.area.name), title=tr(other.title), span=_span(other, tz))
    return str(ERRORS.get(error.code, error.code))


def warning_message(conflict, item, tz: str = "Asia/Dushanbe") -> str:
    """One conflict or warning of `item`, in the page's language."""
    from forum.i18n import tr

    if conflict.code == "over_capacity":
        return _("%(audience)s people expected, but the area holds %(capacity)s.",
                 audience=conflict.audience, capacity=conflict.capacity)
    if conflict.code == "host_busy":
        name = next((h.name for h in item.hosts if h.key == conflict.host), "")
        return _("%(host)s also hosts “%(title)s” at that time (%(span)s).",
                 host=name, title=tr(conflict.other.title), span=_span(conflict.other, tz))
    return error_message(conflict, tz)


def _positive_span(form, field):
    if form.start_time.data and field.data and field.data <= form.start_time.data:
        raise ValidationError(ERRORS["ends_before_start"])


class ItemForm(BaseForm):
    title = translated_field(_l("Title"), required=True, max_length=200)
    description = translated_field(_l("Description"), textarea=True, max_length=2000)
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    day = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("Starts at"), validators=[DataRequired()])
    end_time = TimeField(_l("Ends at"), validators=[DataRequired(), _positive_span])
    is_public = BooleanField(_l("Public (on the agenda, the printed programme and calendars)"), default=True)
    expected_audience = IntegerField(_l("Expected audience (people)"),
                                     validators=[Optional(), NumberRange(min=0, max=100000)])
    host_organization_ids = SelectMultipleField(_l("Host organizations"), coerce=int, validators=[Optional()],
                                                render_kw={"size": 8})
    host_person_ids = SelectMultipleField(_l("Host people"), coerce=int, validators=[Optional()],
                                          render_kw={"size": 8})
    submit = SubmitField(_l("Save"))


class MoveForm(BaseForm):
    """Where to move an item: the form behind drag and drop, and its keyboard fallback."""

    area_id = SelectField(_l("Area"), coerce=int, validators=[DataRequired()])
    day = DateField(_l("Date"), validators=[DataRequired()])
    start_time = TimeField(_l("New start"), validators=[DataRequired()])
    submit = SubmitField(_l("Move"))


class CopyForm(BaseForm):
    source_id = SelectField(_l("Copy the agenda of"), coerce=int, validators=[DataRequired()])
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Copy"))
