"""Forms of the exhibition: the group's application, its products, and the organizers' tools."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from forum.exhibition.models import MAX_MEMBERS
from forum.forms import BaseForm, PhoneValidator, _AppTranslations
from forum.images import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB

CATEGORY_LABELS = {
    "sewing": _l("Sewing"), "embroidery": _l("Embroidery"), "dried_fruit": _l("Dried fruit"),
    "food": _l("Food and baking"), "crafts": _l("Crafts"), "carpets": _l("Carpets and felt"), "other": _l("Other"),
}
STATUS_LABELS = {"pending": _l("Application under review"), "approved": _l("Application approved"),
                 "rejected": _l("Application not approved")}
STAND_STATUS_LABELS = {"free": _l("Free"), "reserved": _l("Reserved"), "assigned": _l("Assigned"),
                       "blocked": _l("Blocked")}
STATE_LABELS = {"open": _l("Open (free or assigned)"), "reserved": _l("Reserved (held back, can be assigned)"),
                "blocked": _l("Blocked (cannot be used)")}
PHOTO_ERRORS = {
    "empty": _l("The photo file is empty. Please choose the photo again."),
    "too_large": _l("The photo is larger than %(mb)s MB. Please send a smaller photo.", mb=MAX_UPLOAD_MB),
    "not_image": _l("This file is not a JPEG or PNG photo. Please send a photo taken with a phone or camera."),
    "too_big": _l("This picture has too many pixels. Please send an ordinary phone photo."),
}
# static/js/page.js refuses a photo over the limit before the form is sent
PHOTO_CHECK = {"data-max-bytes": MAX_UPLOAD_BYTES, "data-too-large": PHOTO_ERRORS["too_large"]}
PRODUCT_ROWS = 5  # product rows on the application form; more on the group's page later
MEMBER_ROWS = 6


class DecimalText(StringField):
    """A number as people type it ("12,50", "1 200"), kept as Decimal with `places` decimals at most."""

    def __init__(self, label=None, validators=None, places: int = 2, minimum: Decimal = Decimal("0"),
                 maximum: Decimal = Decimal("1000000"), message=None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places, self.minimum, self.maximum = places, minimum, maximum
        self.message = message
        self.raw = ""

    data: Decimal | None  # type: ignore[assignment]  # the number read from the text, not the text

    def process_formdata(self, valuelist):
        self.raw = valuelist[0] if valuelist else ""
        self.data = None
        text = "".join(self.raw.split()).replace(",", ".")
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        step = Decimal(1).scaleb(-self.places)
        if value is None or not value.is_finite() or value < self.minimum or value > self.maximum \
                or value != value.quantize(step):
            raise ValueError(self.message or _l("Write a number from %(min)s to %(max)s, with at most two "
                                                "decimals, e.g. 12.50.", min=self.minimum, max=self.maximum))
        self.data = Decimal("0").quantize(step) if value == 0 else value.quantize(step)

    def _value(self):
        if self.raw:
            return self.raw
        return "" if self.data is None else str(self.data)


PRICE_MESSAGE = _l("Write the price in somoni as a number from 0, e.g. 25 or 12.50 (at most two decimals).")


class SubForm(Form):
    """Rows inside a form: errors in the page's language too."""

    class Meta:
        def get_translations(self, form):
            return _AppTranslations()


class ProductRow(SubForm):
    name = StringField(_l("Product"), validators=[Optional(), Length(max=120)])
    category = SelectField(_l("Kind of product"), choices=list(CATEGORY_LABELS.items()), default="other")
    description = StringField(_l("Short description"), validators=[Optional(), Length(max=300)])
    price = DecimalText(_l("Price, somoni"), message=PRICE_MESSAGE)
    photo = FileField(_l("Photo"), render_kw=PHOTO_CHECK)

    def is_empty(self) -> bool:
        return not (self.name.data or "").strip() and self.price.data is None and not self.price.errors \
            and not has_file(self.photo.data)


class MemberRow(SubForm):
    full_name = StringField(_l("Member's name"), validators=[Optional(), Length(max=200)])
    phone = StringField(_l("Phone"), validators=[PhoneValidator(required=False)])


def has_file(data) -> bool:
    return bool(data is not None and getattr(data, "filename", None))


class ApplyForm(BaseForm):
    group_name = StringField(_l("Name of the self-help group"), validators=[DataRequired(), Length(min=2, max=300)])
    district_id = SelectField(_l("District"), coerce=int, validators=[DataRequired(_l("Choose the district."))])
    jamoat_id = SelectField(_l("Jamoat"), coerce=int, validators=[Optional()])
    jamoat_other = StringField(_l("or type the jamoat's name if it is not in the list"),
                               validators=[Optional(), Length(max=100)])
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(min=2, max=200)])
    contact_phone = StringField(_l("Contact person's mobile phone"), validators=[PhoneValidator(required=True)])
    contact_email = EmailField(_l("Email (if you have one)"), validators=[Optional(), Email(), Length(max=254)])
    member_count = IntegerField(_l("How many members will stand at the stand"),
                                validators=[InputRequired(), NumberRange(min=1, max=MAX_MEMBERS)], default=2)
    members = FieldList(FormField(MemberRow), min_entries=MEMBER_ROWS, max_entries=MEMBER_ROWS)
    products = FieldList(FormField(ProductRow), min_entries=PRODUCT_ROWS, max_entries=PRODUCT_ROWS)
    needs_table = BooleanField(_l("We need a table"), default=True)
    needs_power = BooleanField(_l("We need electricity (a socket)"))
    needs_note = TextAreaField(_l("Other needs"), validators=[Optional(), Length(max=500)])
    consent = BooleanField(
        _l("I agree that the organizers keep these names and phone numbers to organize the exhibition. The public "
           "catalogue shows only the group's name, jamoat, products, photos, prices and stand."),
        validators=[DataRequired(message=_l("Without your consent we cannot take the application."))])
    submit = SubmitField(_l("Send the application"))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if not self.jamoat_id.data and not (self.jamoat_other.data or "").strip():
            self.jamoat_id.errors = list(self.jamoat_id.errors) + [_l("Choose the jamoat or type its name.")]
            ok = False
        rows = [row for row in self.products if not row.form.is_empty()]
        if not rows:
            self.products[0].form.name.errors = list(self.products[0].form.name.errors) + [
                _l("Add at least one product: its name and price.")]
            ok = False
        for row in rows:
            form = row.form
            if not (form.name.data or "").strip():
                form.name.errors = list(form.name.errors) + [_l("Write the product's name.")]
                ok = False
            if form.price.data is None and not form.price.errors:
                form.price.errors = list(form.price.errors) + [PRICE_MESSAGE]
                ok = False
        members = [row.form for row in self.members if (row.form.full_name.data or "").strip()]
        for member in self.members:
            if member.form.phone.data and not (member.form.full_name.data or "").strip():
                member.form.full_name.errors = list(member.form.full_name.errors) + [_l("Write the member's name.")]
                ok = False
        if self.member_count.data and len(members) > self.member_count.data:
            self.member_count.errors = list(self.member_count.errors) + [
                _l("You listed more members than will stand at the stand.")]
            ok = False
        return ok


class ProductForm(BaseForm):
    """One product on the group's page: add, or change (a new photo replaces the old one)."""

    name = StringField(_l("Product"), validators=[DataRequired(), Length(max=120)])
    category = SelectField(_l("Kind of product"), choices=list(CATEGORY_LABELS.items()), default="other")
    description = StringField(_l("Short description"), validators=[Optional(), Length(max=300)])
    price = DecimalText(_l("Price, somoni"), validators=[InputRequired(PRICE_MESSAGE)], message=PRICE_MESSAGE)
    photo = FileField(_l("Photo"), render_kw=PHOTO_CHECK)
    remove_photo = BooleanField(_l("Remove the photo"))
    submit = SubmitField(_l("Save"))


class DeleteForm(BaseForm):
    submit = SubmitField(_l("Remove"))


# --- organizers ---------------------------------------------------------------------------------

class ApproveForm(BaseForm):
    note = TextAreaField(_l("Note to the group (optional)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Approve"))


class RejectForm(BaseForm):
    reason = TextAreaField(_l("Reason (the group is told)"), validators=[DataRequired(), Length(max=2000)])
    submit = SubmitField(_l("Reject"))


def metres(label, places=2):
    return DecimalText(label, validators=[InputRequired()], places=places, maximum=Decimal("500"),
                       message=_l("Write metres as a number, e.g. 2.5."))


class SettingsForm(BaseForm):
    area_id = SelectField(_l("Exhibition area"), coerce=int)
    plan_width = metres(_l("Width of the area, m"))
    plan_depth = metres(_l("Depth of the area, m"))
    applications_open = BooleanField(_l("Groups can apply"))
    submit = SubmitField(_l("Save"))


class TypeForm(BaseForm):
    name = StringField(_l("Name of the type"), validators=[DataRequired(), Length(max=100)])
    width = metres(_l("Width, m"))
    depth = metres(_l("Depth, m"))
    tables = IntegerField(_l("Tables"), validators=[InputRequired(), NumberRange(min=0, max=20)], default=1)
    chairs = IntegerField(_l("Chairs"), validators=[InputRequired(), NumberRange(min=0, max=50)], default=2)
    power = BooleanField(_l("Electricity"))
    submit = SubmitField(_l("Save"))


class StandForm(BaseForm):
    number = StringField(_l("Number"), validators=[DataRequired(), Length(max=12)])
    type_id = SelectField(_l("Type"), coerce=int)
    x = metres(_l("From the left, m"))
    y = metres(_l("From the top, m"))
    w = metres(_l("Width, m"))
    h = metres(_l("Depth, m"))
    state = SelectField(_l("State"), choices=list(STATE_LABELS.items()))
    note = StringField(_l("Note (organizers only)"), validators=[Optional(), Length(max=200)])
    confirm = HiddenField()
    submit = SubmitField(_l("Save the stand"))


class AssignForm(BaseForm):
    application_id = SelectField(_l("Group"), coerce=int, validators=[DataRequired(_l("Choose a group."))])
    submit = SubmitField(_l("Give this stand"))


class GridForm(BaseForm):
    rows = IntegerField(_l("Rows"), validators=[InputRequired(), NumberRange(min=1, max=50)], default=2)
    columns = IntegerField(_l("Stands in a row"), validators=[InputRequired(), NumberRange(min=1, max=50)], default=5)
    type_id = SelectField(_l("Type"), coerce=int, validators=[DataRequired(_l("Choose a stand type."))])
    x = metres(_l("First stand from the left, m"))
    y = metres(_l("First stand from the top, m"))
    gap_x = metres(_l("Gap between stands, m"))
    gap_y = metres(_l("Aisle between rows, m"))
    prefix = StringField(_l("Number prefix (optional)"), validators=[Optional(), Length(max=6)])
    start = IntegerField(_l("First number"), validators=[InputRequired(), NumberRange(min=1, max=9999)], default=1)
    submit = SubmitField(_l("Make the stands"))


class AgendaForm(BaseForm):
    starts = TimeField(_l("From"), validators=[InputRequired()])
    ends = TimeField(_l("Until"), validators=[InputRequired()])
    submit = SubmitField(_l("Put on the agenda"))
