"""The drawing contest's part of copying a forum (forum.events.copying): whether guardians may
submit, the age groups (the contest's categories) and the jury's criteria. The awards are the
same for every forum; drawings, scores and conflicts are children's and jurors' and stay behind."""
from __future__ import annotations

from flask_babel import gettext as _

from forum.drawings.models import DrawingSettings
from forum.drawings.service import has_drawings, settings_for
from forum.extensions import db


def copy_settings(copy) -> None:
    if not has_drawings(copy.source):
        return
    settings = settings_for(copy.source)  # the defaults when never saved: stored for the copy all the same
    db.session.add(DrawingSettings(forum_id=copy.target.id, submissions_open=settings.submissions_open,
                                   age_groups=[list(group) for group in settings.age_groups],
                                   criteria=[dict(c, name=dict(c.get("name") or {})) for c in settings.criteria]))
    db.session.flush()
    copy.copied(_("Drawing contest: age groups: %(groups)s, jury criteria: %(criteria)s",
                  groups=len(settings.age_groups), criteria=len(settings.criteria)))
