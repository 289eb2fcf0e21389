"""Signals of check-in, for features that react to arrivals (webhooks push them to partners).

`let_in` is sent by `forum.checkin.service` for every scan recorded as "ok" (a first entry or
a re-entry), inside the scan's transaction, before it commits; the scan row is written with a
plain INSERT, so this is the one place that knows:

    from forum.checkin.signals import let_in

    @let_in.connect
    def on_arrival(forum, checkin_id):  # forum: Forum; checkin_id: the new Checkin's id
        ...  # add rows to the session; they commit (or roll back) with the scan
"""
from blinker import Namespace

_signals = Namespace()
let_in = _signals.signal("checkin-let-in")
