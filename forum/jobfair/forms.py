"""Forms and the labels of the job fair's codes, in the visitor's language."""
from __future__ import annotations

from collections.abc import Mapping

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional, ValidationError

from forum.auth.forms import new_password_validators
from forum.forms import BaseForm, MultiCheckboxField, PhoneValidator, translated_field
from forum.jobfair.models import COUNTRIES, CURRENCIES

SECTOR_LABELS = {
    "agriculture": _l("Agriculture"), "construction": _l("Construction"), "textile": _l("Textiles and sewing"),
    "manufacturing": _l("Manufacturing"), "trade": _l("Trade"), "hospitality": _l("Hotels and catering"),
    "transport": _l("Transport"), "services": _l("Services"), "education": _l("Education"),
    "health": _l("Health care"), "other": _l("Other"),
}
KIND_LABELS = {"employer": _l("Employer"), "agency": _l("Licensed recruitment agency")}
EMPLOYER_STATUS_LABELS = {"pending": _l("Awaiting approval"), "approved": _l("Approved"), "rejected": _l("Rejected")}
VACANCY_STATUS_LABELS = {
    "draft": _l("Draft"), "pending": _l("Awaiting approval"), "approved": _l("On the public list"),
    "rejected": _l("Rejected"), "closed": _l("Closed"),
}
LOCATION_LABELS = {"tajikistan": _l("In Tajikistan"), "abroad": _l("Abroad")}
CONTRACT_LABELS = {
    "permanent": _l("Permanent"), "fixed_term": _l("Fixed term"), "seasonal": _l("Seasonal"),
    "part_time": _l("Part time"),
}
LANGUAGE_LABELS = {"tg": _l("Tajik"), "ru": _l("Russian"), "uz": _l("Uzbek"), "en": _l("English")}
STAGE_LABELS = {
    "interested": _l("Interested"), "contacted": _l("Contacted"), "interviewed": _l("Interviewed"),
    "offered": _l("Offered a job"), "hired": _l("Hired"), "declined": _l("Declined or withdrew"),
}
SHARE_LABELS = {
    "name_phone": _l("My name and phone number: the employer may call me"),
    "name": _l("My name only: I will go to the employer's booth"),
    "nothing": _l("Nothing: only that someone is interested; I will go to the booth"),
}
ERRORS = {
    "fair_closed": _l("This forum has no job fair open for sign-ups now."),
    "bad_tax_number": _l("A tax number (INN) in Tajikistan has 9 digits, for example 520012345."),
    "bad_choice": _l("Please choose one of the options."),
    "licence_required": _l("A recruitment agency must give its licence number."),
    "duplicate": _l("This organization already has an account."),
    "reason_required": _l("Please write the reason: the employer will read it."),
    "employer_not_approved": _l("The employer is not approved (yet)."),
    "title_required": _l("Please give the title in at least one language."),
    "description_required": _l("Please describe the work in at least one language."),
    "country_required": _l("Please choose the country of work."),
    "city_required": _l("Please give the city or place of work."),
    "bad_positions": _l("Give at least one position."),
    "bad_wage": _l("The highest wage cannot be lower than the lowest."),
    "declarations_required": _l("A vacancy is only published when candidates pay no fee and get a written "
                                "contract. Please confirm both."),
    "closing_date_past": _l("The closing date has passed. Please give a later date."),
    "vacancy_closed": _l("This vacancy is closed. Send it for approval to open it again."),
    "not_pending": _l("This vacancy is no longer waiting for a decision: it was changed or decided meanwhile."),
    "not_open": _l("This vacancy is not open any more."),
    "registration_inactive": _l("Your registration is cancelled; please ask the organizers."),
    "already_interested": _l("You have already told this employer you are interested."),
    "choose_vacancy": _l("Please choose at least one vacancy."),
    "booth_free": _l("No employer has this booth yet."),
    "bad_slot_length": _l("An interview lasts from 5 to 240 minutes."),
    "slots_end_before_start": _l("The end must be after the start."),
    "slots_outside_forum": _l("Interview times must be within the forum's hours."),
    "bad_slot": _l("Please choose one of your interview times."),
    "slot_taken": _l("This time has just been given to someone else. Please choose another."),
    "stage_closed": _l("This candidate is hired or declined; no interview can be offered."),
    "no_job_fair_area": _l("This forum has no area with the code \"job-fair\". Add it under Areas first."),
    "bad_count": _l("Add from 1 to 200 booths at a time."),
    "booth_taken": _l("This booth has just been given to another employer. Please reload the page."),
    "employer_has_booth": _l("This employer already has a booth at this forum."),
    "busy": _l("Someone else changed this at the same moment. Please reload the page and try again."),
    "staff_registered": _l("This phone number is already registered for this forum."),
    "email_unconfirmed": _l("Confirm your email first: follow the link we sent you. Until then vacancies can be "
                            "saved as drafts only."),
}


def _nine_digits(form, field) -> None:
    from forum.jobfair.service import JobFairError, clean_tax_number

    try:
        field.data = clean_tax_number(field.data)
    except JobFairError:
        raise ValidationError(ERRORS["bad_tax_number"])


class EmployerSignupForm(BaseForm):
    organization_name = StringField(_l("Name of the organization"), validators=[DataRequired(), Length(min=2, max=300)])
    kind = RadioField(_l("We are"), choices=list(KIND_LABELS.items()), default="employer")
    sector = SelectField(_l("Sector"), choices=list(SECTOR_LABELS.items()))
    tax_number = StringField(_l("Tax number (INN)"), validators=[DataRequired(), _nine_digits])
    licence_number = StringField(_l("Licence number (recruitment agencies)"), validators=[Length(max=60)])
    city = StringField(_l("City"), validators=[DataRequired(), Length(max=100)])
    contact_person = StringField(_l("Contact person"), validators=[DataRequired(), Length(min=2, max=200)])
    phone = StringField(_l("Phone"), validators=[PhoneValidator(required=True)])
    email = EmailField(_l("Email (your login)"), validators=[DataRequired(), Email(), Length(max=254)])
    language = SelectField(_l("Language for messages"), choices=[("ru", "Русский"), ("tg", "Тоҷикӣ"), ("en", "English")])
    password = PasswordField(_l("Password"), validators=new_password_validators())
    password_again = PasswordField(_l("Password again"), validators=[
        DataRequired(), EqualTo("password", message=_l("The two passwords differ."))])
    truthful = BooleanField(_l("The information is true. The organizers may check it (tax number, licence) and "
                               "keep it to run the job fair."),
                            validators=[DataRequired(message=_l("Please confirm, or we cannot register you."))])
    submit = SubmitField(_l("Sign up"))

    def validate_licence_number(self, field) -> None:
        if self.kind.data == "agency" and not (field.data or "").strip():
            raise ValidationError(ERRORS["licence_required"])


class VacancyForm(BaseForm):
    title = translated_field(_l("Title"), max_length=200)
    description = translated_field(_l("The work: tasks, hours, housing, food"), textarea=True, max_length=4000)
    requirements = translated_field(_l("Requirements"), textarea=True, max_length=2000)
    location = RadioField(_l("Where is the work?"), choices=list(LOCATION_LABELS.items()), default="tajikistan")
    country = SelectField(_l("Country (for work abroad)"))  # checked by validate_country
    city = StringField(_l("City or place"), validators=[DataRequired(), Length(max=100)])
    positions = IntegerField(_l("Positions"), validators=[DataRequired(), NumberRange(min=1, max=10000)])
    wage_min = IntegerField(_l("Wage per month, from"), validators=[DataRequired(), NumberRange(min=0, max=10**8)])
    wage_max = IntegerField(_l("Wage per month, to"), validators=[DataRequired(), NumberRange(min=0, max=10**8)])
    currency = SelectField(_l("Currency"), choices=[(c, c) for c in CURRENCIES])
    contract_type = SelectField(_l("Contract"), choices=list(CONTRACT_LABELS.items()))
    languages = MultiCheckboxField(_l("Languages needed at work"), choices=list(LANGUAGE_LABELS.items()))
    closes_on = DateField(_l("Applications until"), validators=[DataRequired()])
    no_fee = BooleanField(_l("Candidates pay no fee of any kind: not for the job, the visa, the ticket, "
                             "training or medical checks."))
    written_contract = BooleanField(_l("Every person hired gets a written contract in a language they read."))
    save = SubmitField(_l("Save draft"))
    send = SubmitField(_l("Send for approval"))

    def set_country_choices(self, territories: Mapping[str, str]) -> None:
        self.country.choices = [("", "—")] + [(c, territories.get(c, c)) for c in COUNTRIES]

    def validate_wage_max(self, field) -> None:
        if field.data is not None and self.wage_min.data is not None and field.data < self.wage_min.data:
            raise ValidationError(ERRORS["bad_wage"])

    def validate_country(self, field) -> None:
        if self.location.data == "abroad" and not field.data:
            raise ValidationError(ERRORS["country_required"])


# The vacancy's fields as its form names them: the organizer reads an employer's edit by them.
FIELD_LABELS = {
    "title": _l("Title"), "description": _l("The work: tasks, hours, housing, food"),
    "requirements": _l("Requirements"), "location": _l("Where is the work?"), "country": _l("Country (for work abroad)"),
    "city": _l("City or place"), "positions": _l("Positions"), "wage_min": _l("Wage per month, from"),
    "wage_max": _l("Wage per month, to"), "currency": _l("Currency"), "contract_type": _l("Contract"),
    "languages": _l("Languages needed at work"), "closes_on": _l("Applications until"),
    "no_fee": _l("Candidates pay no fee."), "written_contract": _l("A written contract is offered."),
}


class DecisionForm(BaseForm):
    version = HiddenField()  # the version of the vacancy the organizer read (see service.version_of)
    reason = TextAreaField(_l("Reason or note (the employer reads it)"), validators=[Optional(), Length(max=2000)])
    approve = SubmitField(_l("Approve"))
    reject = SubmitField(_l("Reject"))


class InterestForm(BaseForm):
    share = RadioField(_l("What may the employer see?"), choices=list(SHARE_LABELS.items()),
                       validators=[DataRequired(message=_l("Please choose what to share."))])
    submit = SubmitField(_l("I'm interested"))


class WalkInForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=200)])
    phone = StringField(_l("Mobile phone"), validators=[PhoneValidator(required=True)])
    vacancy_ids = MultiCheckboxField(_l("Vacancies"), coerce=int,
                                     validators=[DataRequired(message=ERRORS["choose_vacancy"])])
    consent = BooleanField(_l("I agree that this employer sees my name and phone number and may call me "
                              "about these vacancies."),
                           validators=[DataRequired(message=_l("Please agree, or the employer cannot call you."))])
    submit = SubmitField(_l("Send to the employer"))


class StageForm(BaseForm):
    stage = SelectField(_l("Hiring stage"), choices=list(STAGE_LABELS.items()))
    submit = SubmitField(_l("Save"))


class InterviewForm(BaseForm):
    slot_id = SelectField(_l("Interview time"), coerce=int)
    submit = SubmitField(_l("Offer this time"))


class SlotsForm(BaseForm):
    start = TimeField(_l("Interviews from"), validators=[DataRequired()])
    end = TimeField(_l("Interviews until"), validators=[DataRequired()])
    minutes = IntegerField(_l("Minutes per interview"), default=20,
                           validators=[DataRequired(), NumberRange(min=5, max=240)])
    submit = SubmitField(_l("Add interview times"))


class StaffForm(BaseForm):
    full_name = StringField(_l("Full name"), validators=[DataRequired(), Length(min=2, max=200)])
    phone = StringField(_l("Mobile phone"), validators=[PhoneValidator(required=True)])
    position = StringField(_l("Position"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add"))


class BoothsForm(BaseForm):
    count = IntegerField(_l("How many booths"), default=5, validators=[DataRequired(), NumberRange(min=1, max=200)])
    prefix = StringField(_l("Prefix of the numbers (optional)"), validators=[Optional(), Length(max=8)])
    submit = SubmitField(_l("Add booths"))
