"""The organizer's dashboard and the forum report: every figure comes from `figures.collect`,
and the dashboard, the report PDF and its XLSX only lay those figures out."""
import os

from reportlab import rl_config

BLUEPRINTS = ["forum.reports.routes"]
COMMANDS = ["forum.reports.cli"]
BENCH = ["bench.reports", "bench.crowd", "bench.exports"]

# ReportLab checks every attribute set on a chart's shapes against its declared type: a help
# while a chart is being written, and a third of the time the dashboard spends turning its
# three charts into SVG on every load of the overview (and of the report's charts). It is read
# when reportlab.graphics.shapes is first imported, which charts.py does after this package.
# The tests keep the checks (tests/conftest.py sets RL_shapeChecking=1, which ReportLab reads).
if "RL_shapeChecking" not in os.environ:
    rl_config.shapeChecking = 0
