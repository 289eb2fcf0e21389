"""The mobile theatre: troupes request a performance slot, organizers cut a stage's day into
slots and book performances into them (never two on one stage at once, buffers included, and
never one troupe on two stages at once), the performances go on the agenda, the public sees
the day's plays by stage."""

BLUEPRINTS = ["forum.theatre.routes", "forum.theatre.manage"]
DEMO = ("forum.theatre.demo", 50)
COPY = ("forum.theatre.copying", 50)
