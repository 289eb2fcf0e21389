"""ReportLab's attribute checks on the charts: on in the tests, off where the site runs."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_tests_check_every_attribute_a_chart_sets(app):
    import reportlab.graphics.shapes as shapes
    from reportlab import rl_config

    assert rl_config.shapeChecking and shapes.shapeChecking


def test_the_site_draws_its_charts_without_the_checks():
    """Read when reportlab.graphics.shapes is first imported: forum.reports must come first."""
    env = {key: value for key, value in os.environ.items() if key != "RL_shapeChecking"}
    shown = subprocess.run([sys.executable, "-c", (
        "from config import TestConfig\n"
        "from forum import create_app\n"
        "create_app(TestConfig(database_url='sqlite://'))\n"
        "import reportlab.graphics.shapes as shapes, reportlab.rl_config as rl_config\n"
        "print(shapes.shapeChecking, rl_config.shapeChecking)\n")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["0", "0"]
