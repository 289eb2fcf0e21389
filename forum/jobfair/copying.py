"""The job fair's part of copying a forum (forum.events.copying): its booths in the job-fair
area, all free. Employers sign up again for the new forum; vacancies, interest and interview
times are theirs and the job seekers', and stay behind."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.extensions import db
from forum.jobfair.models import Booth


def copy_settings(copy) -> None:
    count, missing = 0, set()
    for booth in db.session.scalars(sa.select(Booth).where(Booth.forum_id == copy.source.id).order_by(Booth.id)):
        area = copy.area_for(booth.area_id)
        if area is None:
            missing.add(booth.area.key)
            continue
        db.session.add(Booth(forum_id=copy.target.id, area_id=area.id, label=booth.label))
        count += 1
    db.session.flush()
    copy.copied(ngettext("%(num)d job-fair booth", "%(num)d job-fair booths", count))
    for key in sorted(missing):
        copy.note(_("Job-fair booths in the area “%(key)s” were not copied: the new forum has no such area.", key=key))
