"""Public forum pages: the list of forums and each forum's landing page."""
from flask import Blueprint, render_template

from forum.auth.access import public
from forum.events import service
from forum.events.forms import ACTIVITY_LABELS
from forum.events.lookup import public_forum_or_404

bp = Blueprint("events", __name__)
# The closed pages of every public form say so when the forum is over (events/_over.html).
bp.add_app_template_global(service.is_over, "forum_is_over")


@bp.route("/")
@public
def index():
    return render_template("events/index.html", forums=service.public_forums())


@bp.route("/f/<slug>/")
@public
def landing(slug: str):
    forum = public_forum_or_404(slug)
    return render_template("events/landing.html", forum=forum, activity_labels=ACTIVITY_LABELS)
