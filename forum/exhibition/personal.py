"""The group's own page, reached by its contact person's private link (/r/<token>/exhibit):
its status, its stand on the plan, its members' badges, and its products to add, change or
remove. The stand itself is the organizers' to give. A panel on /r/<token> leads there."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from forum import images
from forum.auth.access import public
from forum.exhibition import service
from forum.exhibition.forms import (
    CATEGORY_LABELS,
    PHOTO_ERRORS,
    STATUS_LABELS,
    DeleteForm,
    ProductForm,
)
from forum.exhibition.routes import ERRORS, public_plan, read_photo, send_photo
from forum.extensions import db, limiter
from forum.forms import required
from forum.people.forms import STATUS_LABELS as REGISTRATION_STATUS_LABELS
from forum.people.personal import register_panel
from forum.people.service import registration_by_token

bp = Blueprint("exhibition_personal", __name__)


def exhibition_panel(registration) -> Markup | None:
    """On /r/<token>: the group's application (for its contact), or the stand (for a member)."""
    application = service.application_for_registration(registration)
    if application is not None:
        return Markup(render_template("exhibition/panel.html", application=application, registration=registration,
                                      status_labels=STATUS_LABELS))
    member = service.membership_of(registration)
    if member is not None and member.application.status == "approved":
        return Markup(render_template("exhibition/panel_member.html", application=member.application))
    return None


register_panel("exhibition", exhibition_panel, order=40)


def _group_or_404(token: str):
    registration = registration_by_token(token)
    application = service.application_for_registration(registration) if registration is not None else None
    if application is None:
        abort(404)
    return registration, application


def _page(registration, application, form=None, edit_forms=None, status: int = 200):
    edit_forms = edit_forms or {}
    for product in application.products:
        if product.id not in edit_forms:
            edit_forms[product.id] = ProductForm(obj=product, formdata=None, prefix=f"p{product.id}")
    stand = application.stand
    forum = registration.forum
    return render_template(
        "exhibition/group.html", registration=registration, application=application, forum=forum,
        form=form or ProductForm(prefix="new"), edit_forms=edit_forms, delete_form=DeleteForm(),
        status_labels=STATUS_LABELS, category_labels=CATEGORY_LABELS, stand=stand,
        registration_status_labels=REGISTRATION_STATUS_LABELS, max_products=service.MAX_PRODUCTS,
        plan_svg=public_plan(forum, highlight_id=stand.id) if stand is not None else None,
        max_mb=images.MAX_UPLOAD_MB,
    ), status


@bp.route("/r/<token>/exhibit")
@limiter.limit("120 per minute")
@public  # the contact person's private link; unknown tokens get a plain 404
def group(token: str):
    registration, application = _group_or_404(token)
    return _page(registration, application)


def _data(form: ProductForm) -> service.ProductData:
    return service.ProductData(name=form.name.data or "", category=form.category.data, price=required(form.price.data),
                               description=form.description.data or "", photo=read_photo(form.photo))


def _save(form: ProductForm, action) -> bool:
    """Run `action(data)` for a valid form; words a refusal on the form. True when saved."""
    if not form.validate_on_submit():
        return False
    try:
        action(_data(form))
    except images.ImageRefused as refusal:
        form.photo.errors.append(str(PHOTO_ERRORS[refusal.code]))
    except service.PhotoRefused as refusal:
        form.photo.errors.append(str(PHOTO_ERRORS[refusal.reason]))
    except service.ExhibitionError as error:
        db.session.rollback()
        form.name.errors = list(form.name.errors) + [str(ERRORS.get(error.code, ERRORS["product_name"]))]
    else:
        return True
    return False


@bp.route("/r/<token>/exhibit/products", methods=["POST"])
@limiter.limit("60 per hour")
@public  # the contact person's private link
def add_product(token: str):
    registration, application = _group_or_404(token)
    form = ProductForm(prefix="new")
    upload_dir = current_app.config["UPLOAD_DIR"]
    if _save(form, lambda data: service.add_product(application, data, upload_dir)):
        flash(_("The product is added."), "success")
        return redirect(url_for("exhibition_personal.group", token=token) + "#products")
    return _page(registration, application, form=form, status=400)


@bp.route("/r/<token>/exhibit/products/<int:product_id>", methods=["POST"])
@limiter.limit("60 per hour")
@public  # the contact person's private link
def change_product(token: str, product_id: int):
    registration, application = _group_or_404(token)
    product = service.product_of(application, product_id) or abort(404)
    form = ProductForm(prefix=f"p{product.id}")
    upload_dir = current_app.config["UPLOAD_DIR"]
    remove = bool(form.remove_photo.data)
    if _save(form, lambda data: service.change_product(product, data, upload_dir, remove_photo=remove)):
        flash(_("Saved: «%(name)s».", name=product.name), "success")
        return redirect(url_for("exhibition_personal.group", token=token) + f"#product-{product.id}")
    db.session.refresh(product)
    return _page(registration, application, edit_forms={product.id: form}, status=400)


@bp.route("/r/<token>/exhibit/products/<int:product_id>/delete", methods=["POST"])
@limiter.limit("60 per hour")
@public  # the contact person's private link
def remove_product(token: str, product_id: int):
    _registration, application = _group_or_404(token)
    product = service.product_of(application, product_id) or abort(404)
    if DeleteForm().validate_on_submit():
        name = product.name
        service.remove_product(product, current_app.config["UPLOAD_DIR"])
        flash(_("Removed: «%(name)s».", name=name), "success")
    return redirect(url_for("exhibition_personal.group", token=token) + "#products")


@bp.route("/r/<token>/exhibit/photos/<int:product_id>/<any(full, thumb):size>.jpg")
@public  # the contact person's private link
def photo(token: str, product_id: int, size: str):
    _registration, application = _group_or_404(token)
    product = service.product_of(application, product_id) or abort(404)
    return send_photo(product, size, private=True)
