"""Signals of people, for features that react to a registration's changes.

`registration_cancelled` is sent when an organizer cancels a registration, inside the
transaction that records it (before commit), with the registration as sender:

    from forum.people.signals import registration_cancelled

    @registration_cancelled.connect
    def withdraw(registration, **_extra):
        ...  # e.g. messaging queues METHOD:CANCEL of the forum-wide invitation; the caller commits

`registrations_imported` is sent by the importer after it inserted registrations with plain
multi-row INSERTs (no ORM objects, so no flush shows them as new), inside the import's
transaction, with the forum as sender and the new registrations' ids:

    @registrations_imported.connect
    def on_import(forum, registration_ids, **_extra):
        ...  # e.g. webhooks queue "registration.created" for each
"""
from blinker import Namespace

_signals = Namespace()
registration_cancelled = _signals.signal("people-registration-cancelled")
registrations_imported = _signals.signal("people-registrations-imported")
