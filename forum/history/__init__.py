"""Change history: who changed what, and when, on the objects organizers care about (forums,
agenda items, stands, theatre slots and performances, vacancies, registrations,
recommendations). Recorded in one place, on the database session's flush (`recorder`), so
every write path is covered, not only the pages that remember to call it; shown on each
object's page as a short list with a link to the whole history."""

BLUEPRINTS = ["forum.history.routes"]

# Importing the package installs the session hooks (features.packages() imports every package).
from forum.history import recorder  # noqa: E402,F401
