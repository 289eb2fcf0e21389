"""The round table: invitations by stakeholder group with quotas and a waitlist, seating,
problems and topics, and recommendations that someone owns and follows up."""

BLUEPRINTS = ["forum.roundtable.manage", "forum.roundtable.manage_recs", "forum.roundtable.routes"]
DEMO = ("forum.roundtable.demo", 70)
COPY = ("forum.roundtable.copying", 70)
GROUPS = ["forum.roundtable.groups"]  # its invitees, a group to write to (forum.messaging.groups)

from forum.roundtable import hooks as _hooks  # noqa: E402,F401  (answers to invitations, the checkpoint rule)
