"""Public pages of the exhibition: a group's application, the catalogue with the plan, photos."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from flask_login import current_user

from forum import images, ratelimits
from forum.auth.access import public
from forum.db import translated
from forum.events.lookup import public_forum_or_404
from forum.exhibition import catalogue, floorplan, notify, plan, service
from forum.exhibition.forms import CATEGORY_LABELS, PHOTO_ERRORS, STATUS_LABELS, ApplyForm, has_file
from forum.exhibition.models import PRODUCT_CATEGORIES
from forum.extensions import db
from forum.forms import required
from forum.i18n import current_language
from forum.nav import register_public_link
from forum.people.service import districts

bp = Blueprint("exhibition", __name__)

register_public_link("exhibition.catalogue", _l("Exhibition of the groups"), activity="exhibition", order=30)


@bp.app_template_filter("somoni")
def somoni(value) -> str:
    """A price as people read it: "1 500", "12,50" (in the page's language), without the word."""
    from babel.numbers import format_decimal

    pattern = "#,##0" if value == value.to_integral_value() else "#,##0.00"
    return format_decimal(value, format=pattern, locale=current_language())


@bp.app_template_filter("metres")
def metres(value) -> str:
    """2.50 → "2.5", 36.00 → "36"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text

# Five phone photos in one form: more than the app's general request limit.
APPLY_MAX_BYTES = 5 * images.MAX_UPLOAD_BYTES + 1024 * 1024

ERRORS = {
    "group_name": _l("Write the group's name."),
    "district": _l("Choose the district."),
    "jamoat": _l("Choose the jamoat from the list or type its name."),
    "jamoat_not_in_district": _l("This jamoat is in another district. Choose the district again."),
    "contact": _l("Give the contact person's name and phone."),
    "member_count": _l("Give how many members will stand (1 to %(n)s), at least as many as you listed.",
                       n=service.MAX_MEMBERS),
    "member_phone_twice": _l("The same phone is written for two members."),
    "too_many_products": lazy_ngettext("A group can show up to %(num)s product.", "A group can show up to %(num)s products.",
                                        service.MAX_PRODUCTS),
    "product_name": _l("Write the product's name."),
    "product_category": _l("Choose the kind of product."),
    "price": _l("Write the price in somoni as a number from 0, e.g. 25 or 12.50 (at most two decimals)."),
}


def exhibition_forum_or_404(slug: str):
    forum = public_forum_or_404(slug)
    if not service.has_exhibition(forum):
        abort(404)
    return forum


def read_photo(field) -> bytes | None:
    """The uploaded bytes of a file field, or None when no file was chosen. Raises ImageRefused."""
    if not has_file(field.data):
        return None
    return images.read_limited(field.data.stream)


def plan_labels() -> dict[str, str]:
    from forum.exhibition.forms import STAND_STATUS_LABELS

    labels = {key: str(label) for key, label in STAND_STATUS_LABELS.items()}
    labels.update({"group": _("Stand with a group"), "empty": _("Stand"), "metres": _("%s m")})
    return labels


def public_plan(forum, highlight_id: int | None = None):
    settings = service.settings_for(forum)
    stands = plan.stands_of(forum)
    if not stands:
        return None
    return floorplan.public_view(
        stands, settings.plan_width, settings.plan_depth, plan_labels(),
        href=lambda application: url_for("exhibition.catalogue", slug=forum.slug) + f"#group-{application.id}",
        highlight_id=highlight_id, title=_("Plan of the exhibition"))


def _form_choices(form: ApplyForm) -> None:
    lang = current_language()
    places = districts()
    form.district_id.choices = [(0, "—")] + [(d.id, translated(d.name, lang)) for d in places]
    form.jamoat_id.choices = [(0, _("— not in the list —"))] + [
        (j.id, f"{translated(j.name, lang)} ({translated(d.name, lang)})") for d in places for j in d.jamoats]


def _field(form: ApplyForm, name: str):
    """The form field a service error names (e.g. "products-2-price")."""
    parts = name.split("-")
    if len(parts) == 3 and parts[0] in ("products", "members"):
        return getattr(getattr(form, parts[0])[int(parts[1])].form, parts[2])
    return getattr(form, name, None) or form.group_name


@bp.route("/f/<slug>/exhibit/apply", methods=["GET", "POST"])
@public  # accepted applications are limited per contact phone and per address (forum.ratelimits)
def apply(slug: str):
    forum = exhibition_forum_or_404(slug)
    if not service.accepts_applications(forum):
        return render_template("exhibition/closed.html", forum=forum), 403
    request.max_content_length = APPLY_MAX_BYTES
    form = ApplyForm()
    _form_choices(form)
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.EXHIBITION, form.contact_phone.data):
        rows = [row.form for row in form.products if not row.form.is_empty()]
        try:
            products: list[service.ProductData] = []
            for row in rows:
                try:
                    photo = read_photo(row.photo)
                except images.ImageRefused as refusal:
                    raise service.PhotoRefused(len(products), refusal.code) from None
                products.append(service.ProductData(name=row.name.data or "", category=row.category.data,
                                                    price=required(row.price.data), description=row.description.data or "",
                                                    photo=photo))
            data = service.ApplicationData(
                group_name=form.group_name.data or "", district_id=form.district_id.data or None,
                jamoat_id=form.jamoat_id.data or None, jamoat_other=form.jamoat_other.data or "",
                contact_name=form.contact_name.data or "", contact_phone=form.contact_phone.data or "",
                contact_email=form.contact_email.data or None, language=current_language(),
                member_count=required(form.member_count.data), needs_table=form.needs_table.data,
                needs_power=form.needs_power.data, needs_note=form.needs_note.data or "",
                members=[(row.form.full_name.data or "", row.form.phone.data) for row in form.members
                         if (row.form.full_name.data or "").strip()],
                products=products)
            service.apply(forum, data, current_app.config["UPLOAD_DIR"])
        except service.PhotoRefused as refusal:
            rows[refusal.index].photo.errors.append(str(PHOTO_ERRORS[refusal.reason]))
        except service.ExhibitionError as error:
            if error.code == "duplicate" and not service.same_group(error.other, form.group_name.data or ""):
                # Known only by the contact phone: naming that group would tell a stranger who
                # applied with the number. Its link goes to that phone; the answer is the usual one.
                db.session.rollback()
                notify.resend_link(error.other)
                db.session.commit()
                ratelimits.count(ratelimits.EXHIBITION, form.contact_phone.data)
                return redirect(url_for("exhibition.received", slug=forum.slug))
            if error.code == "duplicate":
                return render_template("exhibition/already.html", forum=forum, existing=error.other,
                                       status_labels=STATUS_LABELS), 409
            if error.code == "closed":
                abort(403)
            target = _field(form, error.field) if error.field else form.group_name
            target.errors = list(target.errors) + [str(ERRORS.get(error.code, ERRORS["group_name"]))]
        else:
            ratelimits.count(ratelimits.EXHIBITION, form.contact_phone.data)
            # Always this page, the link only by SMS and email: going to the group's page when the
            # contact is new would tell a stranger, by the difference, that a number is registered.
            return redirect(url_for("exhibition.received", slug=forum.slug))
    return ratelimits.answer(render_template("exhibition/apply.html", forum=forum, form=form,
                                             category_labels=CATEGORY_LABELS, max_mb=images.MAX_UPLOAD_MB))


@bp.route("/f/<slug>/exhibit/received")
@public
def received(slug: str):
    """After an application: the link to the group's page went by SMS (and email) to the contact."""
    forum = exhibition_forum_or_404(slug)
    return render_template("exhibition/received.html", forum=forum)


@bp.route("/f/<slug>/exhibitors", endpoint="catalogue")
@public
def catalogue_page(slug: str):
    forum = exhibition_forum_or_404(slug)
    category = request.args.get("category", "")
    category = category if category in PRODUCT_CATEGORIES else ""
    jamoat = request.args.get("jamoat", "")[:120]
    sections, jamoats = catalogue.sections(forum, current_language(), jamoat=jamoat, category=category)
    return render_template("exhibition/catalogue.html", forum=forum, sections=sections, jamoats=jamoats,
                           jamoat=jamoat, category=category, category_labels=CATEGORY_LABELS,
                           plan_svg=public_plan(forum), open=service.accepts_applications(forum),
                           place_of=lambda a: catalogue.place_of(a, current_language()))


def send_photo(product, size: str, private: bool):
    """A product's photo as JPEG: never under the uploaded name, never sniffed as anything else."""
    if not product.image_key:
        abort(404)
    folder = service.photo_dir(current_app.config["UPLOAD_DIR"], product.application.forum_id)
    name = f"product-{product.id}{'' if size == 'full' else '-small'}.jpg"
    return images.send_image(images.image_path(folder, product.image_key, size), name, private, max_age=3600)


@bp.route("/f/<slug>/exhibitors/photos/<int:product_id>/<any(full, thumb):size>.jpg")
@public  # products of approved groups only; organizers also see those under review
def photo(slug: str, product_id: int, size: str):
    forum = exhibition_forum_or_404(slug)
    product = catalogue.public_product(forum, product_id)
    if product is not None:
        return send_photo(product, size, private=False)
    if current_user.is_authenticated and current_user.role_at(forum) == "organizer":
        product = catalogue.any_product(forum, product_id)
        if product is not None:
            return send_photo(product, size, private=True)
    abort(404)
