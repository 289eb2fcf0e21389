"""Calendars: the one ICS builder (`forum.calendar.ics`, also used for invitations) and the
feeds: a forum's public agenda, one item, and a participant's own schedule."""

BLUEPRINTS = ["forum.calendar.routes"]
