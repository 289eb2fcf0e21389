"""Forms of the theatre and the messages of its refusals, in the page's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from forum.forms import BaseForm, PhoneValidator, translated_field

STATUS_LABELS = {"pending": _l("Waiting for the organizers"), "approved": _l("Approved"),
                 "declined": _l("Not approved")}

ERRORS = {
    "closed": _l("Requests for theatre slots are closed."),
    "troupe_name": _l("Write the troupe's name."),
    "title": _l("Write the play's title in Russian."),
    "contact": _l("Give the contact person's name and phone."),
    "duration": _l("The play lasts 5 to 180 minutes."),
    "cast_size": _l("Give how many actors play (1 to 60), at least as many as you listed."),
    "cast_phone_twice": _l("The same phone is written for two actors."),
    "bad_stage": _l("Choose a stage of this forum."),
    "bad_length": _l("A slot lasts 5 to 180 minutes; the buffer between slots 0 to 120 minutes."),
    "bad_times": _l("The end must come after the start, for the day and for each break."),
    "bad_slot": _l("Choose a slot of this forum."),
    "not_approved": _l("This request is not approved: approve it before giving it a slot."),
    "slot_taken": _l("This slot already holds another performance. Choose a free slot."),
    "too_long": _l("The play is longer than this slot. Choose a longer slot."),
    "stage_busy": _l("The stage is taken at this time, with its setup and teardown time, by another "
                     "performance. Choose another slot."),
    "troupe_busy": _l("This troupe already performs at this time on another stage."),
    "agenda_area_busy": _l("Something else is planned on this stage at this time in the agenda."),
    "agenda_outside_hours": _l("This time is outside the forum's hours."),
    "swap_same": _l("Choose another performance to swap with."),
    "swap_unbooked": _l("Both performances must have a slot to swap them."),
    "not_yours_to_pick": _l("Only an approved play without a slot can pick one. Call the organizers to change it."),
}


def error_message(error) -> str:
    """A refusal in the page's language, naming what is in the way when there is something."""
    from flask_babel import gettext as _

    from forum.i18n import tr

    text = str(ERRORS.get(error.code, ERRORS["slot_taken"]))
    other = getattr(error, "other", None)
    if other is not None and error.code in ("stage_busy", "troupe_busy", "slot_taken"):
        text += " " + _("In the way: «%(title)s» (%(troupe)s).", title=tr(other.title), troupe=other.troupe)
    elif other is not None and error.code == "agenda_area_busy":
        text += " " + _("In the way: «%(title)s».", title=tr(other.title))
    return text


class CastRow(Form):
    full_name = StringField(_l("Actor's name"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[PhoneValidator()])


class RequestForm(BaseForm):
    troupe_name = StringField(_l("Troupe"), validators=[DataRequired(), Length(max=300)])
    title = translated_field(_l("Title of the play"), required=True, max_length=300)
    theme = translated_field(_l("What the play is about"), textarea=True, max_length=1000)
    duration_minutes = IntegerField(_l("Length of the play, minutes"), validators=[InputRequired(), NumberRange(5, 180)])
    cast_size = IntegerField(_l("Actors on stage"), validators=[InputRequired(), NumberRange(1, 60)])
    technical_needs = TextAreaField(_l("Technical needs (sound, power, chairs…)"), validators=[Length(max=2000)])
    preferred_times = StringField(_l("Preferred times"), validators=[Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)])
    contact_phone = StringField(_l("Contact phone"), validators=[PhoneValidator(required=True)])
    cast = FieldList(FormField(CastRow), min_entries=8, max_entries=8)
    consent = BooleanField(_l("The organizers may keep these names and phones to register the troupe and send "
                              "us messages."), validators=[DataRequired()])
    submit = SubmitField(_l("Send the request"))


class SlotsForm(BaseForm):
    area_id = SelectField(_l("Stage"), coerce=int)
    start = TimeField(_l("From"), validators=[InputRequired()])
    end = TimeField(_l("To"), validators=[InputRequired()])
    slot_minutes = IntegerField(_l("Slot length, minutes"), validators=[InputRequired(), NumberRange(5, 180)])
    buffer_minutes = IntegerField(_l("Buffer between slots, minutes"), validators=[InputRequired(),
                                                                                   NumberRange(0, 120)])
    breaks = StringField(_l("Breaks kept free"), validators=[Length(max=300)])
    submit = SubmitField(_l("Make the slots"))


class SlotChoiceForm(BaseForm):
    slot_id = SelectField(_l("Slot"), coerce=int)
    submit = SubmitField(_l("Book this slot"))


class SwapForm(BaseForm):
    other_id = SelectField(_l("Swap with"), coerce=int)
    submit = SubmitField(_l("Swap the two"))


class ActionForm(BaseForm):
    """A button that only needs the CSRF token."""


def parse_breaks(text: str):
    """"12:30-13:30, 15:00–15:15" → [(time(12, 30), time(13, 30)), …]; None when unreadable."""
    from datetime import time

    found = []
    for part in (text or "").replace("–", "-").replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        try:
            a, b = (time.fromisoformat(x.strip().zfill(5)) for x in part.split("-"))
        except ValueError:
            return None
        found.append((a, b))
    return found
