"""Children's drawings on labour migration: guardians submit with consent, organizers moderate,
the jury scores blind, the public sees the gallery of approved drawings."""

BLUEPRINTS = ["forum.drawings.routes", "forum.drawings.manage", "forum.drawings.jury"]
DEMO = ("forum.drawings.demo", 60)
MERGE = ["forum.drawings.merging"]
COPY = ("forum.drawings.copying", 60)
BENCH = ["bench.drawings"]
