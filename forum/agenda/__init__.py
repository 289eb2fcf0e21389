"""The agenda: agenda items placed by time and area, conflict rules, the organizer's
timetable editor, the public programme page and its printable PDF.

Other features put their items on the agenda through `forum.agenda.service` (so the same
conflict rules hold for them) and hear about changes through `forum.agenda.signals`.
"""

BLUEPRINTS = ["forum.agenda.routes", "forum.agenda.manage"]
DEMO = ("forum.agenda.demo", 10)
COPY = ("forum.agenda.copying", 10)  # first: the round table and the exhibition build on its items
BENCH = ["bench.agenda"]
