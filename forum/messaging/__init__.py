"""Messaging: the outbox of emails and SMS (sent once, retried, never lost), calendar
invitations (iTIP) to the forum and its agenda items, updates when items move, and RSVPs."""

BLUEPRINTS = ["forum.messaging.manage", "forum.messaging.invitations_manage", "forum.messaging.groups_manage",
              "forum.messaging.routes"]
COMMANDS = ["forum.messaging.cli"]
DEMO = ("forum.messaging.demo", 30)
COPY = ("forum.messaging.copying", 90)

from forum.messaging import hooks as _hooks  # noqa: E402,F401  (listens to the agenda's item_changed)
