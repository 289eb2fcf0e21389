"""The check-in's part of copying a forum (forum.events.copying): checkpoints and their rules.
Explicit allow-lists (rule "list") are people of the old forum and are not copied; scans never."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from flask_babel import ngettext

from forum.checkin.checkpoints import CheckpointData, CheckpointError, save_checkpoint
from forum.checkin.models import Checkpoint
from forum.extensions import db
from forum.i18n import tr


def copy_settings(copy) -> None:
    checkpoints = db.session.scalars(sa.select(Checkpoint).where(Checkpoint.forum_id == copy.source.id)
                                     .order_by(Checkpoint.position, Checkpoint.id))
    count = 0
    for checkpoint in checkpoints:
        area = copy.area_for(checkpoint.area_id)
        try:
            save_checkpoint(copy.target, CheckpointData(
                key=checkpoint.key, name=dict(checkpoint.name), rule=checkpoint.rule,
                categories=list(checkpoint.categories or []), reentry=checkpoint.reentry,
                area_id=area.id if area is not None else None, active=checkpoint.active,
                position=checkpoint.position))
        except CheckpointError:  # a rule whose package is gone, or categories no longer known
            copy.note(_("Checkpoint “%(name)s” was not copied: its rule is no longer known; set it up anew.",
                        name=tr(checkpoint.name)))
            continue
        count += 1
        if checkpoint.rule == "list":
            copy.note(_("Checkpoint “%(name)s”: its list of who may pass is empty; fill it for the new forum.",
                        name=tr(checkpoint.name)))
    copy.copied(ngettext("%(num)d checkpoint with its rule", "%(num)d checkpoints with their rules", count))
