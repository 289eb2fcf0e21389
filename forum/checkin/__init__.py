"""Check-in at the door: checkpoints and their rules, the scan service, the scanner page,
the check-in API and the organizers' live board."""
BLUEPRINTS = ["forum.checkin.routes", "forum.checkin.manage", "forum.checkin.api"]
DEMO = ("forum.checkin.demo", 20)
BENCH = ["bench.checkin"]
