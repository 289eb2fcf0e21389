"""Public self-registration and the participant's private page /r/<token>."""
from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from forum import ratelimits
from forum.auth.access import public
from forum.events.lookup import public_forum_or_404
from forum.extensions import db, limiter
from forum.forms import required
from forum.i18n import current_language, speak
from forum.people import links, self_registration, service
from forum.people.forms import CATEGORY_LABELS, STATUS_LABELS, LostLinkForm, SelfRegistrationForm
from forum.people.models import LANGUAGES, SELF_CATEGORIES, Jamoat
from forum.people.personal import render_panels
from forum.people.phones import display_phone, masked_phone

bp = Blueprint("people", __name__)
bp.add_app_template_global(self_registration.accepts_self_registration, "accepts_self_registration")


@bp.route("/f/<slug>/register", methods=["GET", "POST"])
@public  # accepted registrations are limited per phone and per address (forum.ratelimits)
def register(slug: str):
    forum = public_forum_or_404(slug)
    if not self_registration.accepts_self_registration(forum):
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
    if form.validate_on_submit() and not ratelimits.held_back(ratelimits.SELF_REGISTRATION, form.phone.data):
        jamoat = db.session.get(Jamoat, form.jamoat_id.data) if form.jamoat_id.data else None
        data = self_registration.SelfRegistration(
            full_name=form.full_name.data or "", phone=form.phone.data, email=form.email.data or None,
            language=form.language.data, category=form.category.data, gender=form.gender.data or None,
            organization_name=form.organization_name.data or "",
            district_id=jamoat.district_id if jamoat else None, jamoat_id=jamoat.id if jamoat else None,
        )
        try:
            registered = self_registration.register_self(forum, data)
        except service.RegistrationError:
            db.session.rollback()
            abort(403)
        # New or known number, the same answer: the link went to that number (and the
        # person's own email), never onto this screen. A double tap gets the same answer.
        links.send_personal_link(registered.registration, asked=True)
        db.session.commit()
        ratelimits.count(ratelimits.SELF_REGISTRATION, form.phone.data)
        return _sent(forum, required(form.phone.data))
    return ratelimits.answer(render_template("people/register.html", forum=forum, form=form))


def _sent(forum, contact: str, lost: bool = False):
    # Only the masked form is kept: the session cookie is signed, not encrypted.
    email = "@" in contact
    session["link_sent"] = {"shown": _masked_email(contact) if email else masked_phone(contact), "email": email,
                            "lost": lost}
    return redirect(url_for("people.link_sent", slug=forum.slug))


@bp.route("/f/<slug>/link", methods=["GET", "POST"])
@public  # limited per number or address asked for, per client address and per forum (forum.ratelimits)
def lost_link(slug: str):
    """"Lost your link?": a phone or an email in; the same answer whether it is known or not."""
    forum = public_forum_or_404(slug)
    form = LostLinkForm()
    if (form.validate_on_submit() and not ratelimits.held_back(ratelimits.LOST_LINK, form.contact.data)
            and not ratelimits.held_back(ratelimits.LOST_LINK_FORUM, f"forum:{forum.slug}")):
        contact = required(form.contact.data)
        links.lost_link(forum, contact)
        db.session.commit()
        ratelimits.count(ratelimits.LOST_LINK, form.contact.data)
        ratelimits.count(ratelimits.LOST_LINK_FORUM, f"forum:{forum.slug}")
        return _sent(forum, contact, lost=True)
    return ratelimits.answer(render_template("people/lost_link.html", forum=forum, form=form))


@bp.route("/f/<slug>/link/sent")
@public
def link_sent(slug: str):
    forum = public_forum_or_404(slug)
    sent = session.get("link_sent") or {}
    return render_template("people/link_sent.html", forum=forum, shown=str(sent.get("shown") or ""),
                           email=bool(sent.get("email")), lost=bool(sent.get("lost")))


def _masked_email(address: str) -> str:
    local, _at, domain = address.rpartition("@")
    return f"{local[:1]}***@{domain}"


@bp.route("/l/<code>")
@limiter.limit("30 per minute")
@public  # the short link of an SMS: the random code is the key; unknown codes get a plain 404
def short_link(code: str):
    registration = links.registration_by_short_code(code)
    if registration is None:
        abort(404)
    return redirect(url_for("people.personal", token=registration.token))


@bp.before_app_request
def speak_the_persons_language():
    """Pages under /r/<token> open in the person's language, whatever the browser says; a
    language chosen on their page (?lang=tg) is remembered on the person, for their pages,
    badge and messages alike."""
    token = (request.view_args or {}).get("token")
    if not token or not request.path.startswith("/r/"):
        return None
    registration = service.registration_by_token(token)
    if registration is None:
        return None
    person, chosen = registration.person, request.args.get("lang")
    if request.endpoint == "people.personal" and chosen in LANGUAGES:
        if chosen != person.language:
            person.language = chosen
            db.session.commit()
        return redirect(url_for("people.personal", token=token))
    speak(person.language, lambda code: url_for("people.personal", token=token, lang=code))
    return None


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
