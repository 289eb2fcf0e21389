"""Public self-registration and the participant's private page /r/<token>."""
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from forum.auth.access import public
from forum.events.lookup import public_forum_or_404
from forum.extensions import db, limiter
from forum.i18n import current_language
from forum.people import service
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS, SelfRegistrationForm
from forum.people.models import SELF_CATEGORIES, Jamoat
from forum.people.personal import render_panels
from forum.people.phones import display_phone

bp = Blueprint("people", __name__)


@bp.route("/f/<slug>/register", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
@public
def register(slug: str):
    forum = public_forum_or_404(slug)
    if not (forum.registration_open and forum.status == "published"):
        return render_template("people/register_closed.html", forum=forum), 403
    form = SelfRegistrationForm()
    form.category.choices = [(c, CATEGORY_LABELS[c]) for c in SELF_CATEGORIES]
    lang = current_language()
    form.jamoat_id.choices = [(0, "—")] + [
        (j.id, f"{j.name.get(lang) or j.name.get('ru')} ({j.district.name.get(lang) or j.district.name.get('ru')})")
        for j in service.jamoats()
    ]
    if not form.is_submitted():
        form.language.data = lang
    if form.validate_on_submit():
        jamoat = db.session.get(Jamoat, form.jamoat_id.data) if form.jamoat_id.data else None
        data = service.SelfRegistration(
            full_name=form.full_name.data, phone=form.phone.data, email=form.email.data or None,
            language=form.language.data, category=form.category.data, gender=form.gender.data or None,
            organization_name=form.organization_name.data or "",
            district_id=jamoat.district_id if jamoat else None, jamoat_id=jamoat.id if jamoat else None,
        )
        try:
            registration = service.register_self(forum, data)
        except service.RegistrationError as error:
            db.session.rollback()
            if error.code == "duplicate":
                form.phone.errors.append(_("This phone number is already registered for this forum. "
                                           "If it is yours and you lost your link, ask the organizers."))
            else:
                abort(403)
        else:
            db.session.commit()
            flash(_("You are registered. Keep this page's address: it is your personal link to the forum."),
                  "success")
            return redirect(url_for("people.personal", token=registration.token))
    return render_template("people/register.html", forum=forum, form=form)


@bp.route("/r/<token>")
@limiter.limit("120 per minute")
@public  # access by the private token in the URL; unknown tokens get a plain 404
def personal(token: str):
    registration = service.registration_by_token(token)
    if registration is None:
        abort(404)
    return render_template(
        "people/personal.html", registration=registration, forum=registration.forum,
        person=registration.person, category_labels=CATEGORY_LABELS, status_labels=STATUS_LABELS,
        phone=display_phone(registration.person.phone), panels=render_panels(registration),
    )
