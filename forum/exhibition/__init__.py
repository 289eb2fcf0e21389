"""The exhibition: self-help groups apply for a stand and list what they make, organizers
review them, lay out stands on a floor plan of the exhibition area and assign them, print
stand signs; the public sees a catalogue of the groups with a plan of where each one stands.
"""

BLUEPRINTS = ["forum.exhibition.routes", "forum.exhibition.personal", "forum.exhibition.manage",
              "forum.exhibition.manage_plan"]
DEMO = ("forum.exhibition.demo", 40)
COPY = ("forum.exhibition.copying", 40)
GROUPS = ["forum.exhibition.groups"]  # exhibitors, a group to write to (forum.messaging.groups)
