"""The organizer's dashboard and the forum report: every figure comes from `figures.collect`,
and the dashboard, the report PDF and its XLSX only lay those figures out."""

BLUEPRINTS = ["forum.reports.routes"]
COMMANDS = ["forum.reports.cli"]
BENCH = ["bench.reports", "bench.crowd", "bench.exports"]
