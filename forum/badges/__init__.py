"""QR badges: badge secrets and short codes, reissue, badge and sheet PDFs, the participant's badge."""
BLUEPRINTS = ["forum.badges.routes", "forum.badges.manage"]
COMMANDS = ["forum.badges.cli"]
BENCH = ["bench.badges"]
