"""Check-in at the door: checkpoints and their rules, the scan service, the scanner page,
the check-in API and the organizers' live board."""
BLUEPRINTS = ["forum.checkin.routes", "forum.checkin.manage", "forum.checkin.api", "forum.checkin.offline_api",
              "forum.checkin.desk"]
GROUPS = ["forum.checkin.missing"]  # those not arrived, a group to write to (forum.messaging.groups)
DEMO = ("forum.checkin.demo", 20)
MERGE = ["forum.checkin.merging"]
COPY = ("forum.checkin.copying", 20)
BENCH = ["bench.checkin", "bench.door"]
