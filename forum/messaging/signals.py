"""Signals of messaging, for features that react to answers.

`rsvp_changed` is sent when a person accepts or declines an invitation, inside the
transaction that records the answer (before commit):

    from forum.messaging.signals import rsvp_changed

    @rsvp_changed.connect
    def free_seat(invitation, previous):  # invitation: Invitation; previous: its former status
        if invitation.status == "declined" and invitation.item_id == my_item_id:
            ...  # offer the seat to the first person on the waitlist; the caller commits
"""
from blinker import Namespace

_signals = Namespace()
rsvp_changed = _signals.signal("messaging-rsvp-changed")
