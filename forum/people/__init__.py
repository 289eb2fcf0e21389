"""Organizations, persons and registrations (a person at a forum); import and export."""
