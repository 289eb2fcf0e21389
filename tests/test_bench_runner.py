"""`make bench` runs each module on each database in a process of its own: its rows come
through as they are printed, and a module that raises, cannot be imported or kills its
process still gives a FAILED row while the others go on."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from bench.__main__ import _in_own_process

ROOT = Path(__file__).resolve().parent.parent
MODULES = {
    "bench_rows": "from bench import Row\n"
                  "def run():\n"
                  "    yield Row('held', 1.0, 2.0, 's', '≤ 1× floor', True)\n"
                  "    yield Row('broken', 3.0, 2.0, 's', '≤ 1× floor', False)\n",
    "bench_raises": "def run():\n    raise RuntimeError('no database')\n",
    "bench_dies": "import os\ndef run():\n    os._exit(9)\n",
}


@pytest.fixture
def modules(tmp_path, monkeypatch):
    for name, text in MODULES.items():
        (tmp_path / f"{name}.py").write_text(text)
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(tmp_path), str(ROOT)]))
    monkeypatch.chdir(ROOT)


def test_a_modules_rows_come_through_and_one_that_fails_its_bound_fails_the_run(modules, capsys):
    assert _in_own_process("bench_rows", "sqlite") == (2, False)
    rows = capsys.readouterr().out.splitlines()
    assert [row.split(" | ")[0] for row in rows] == ["| held", "| broken"]
    assert rows[0].endswith("| ok |  |") and "| NO |" in rows[1]


@pytest.mark.parametrize(("name", "reason"), [
    ("bench_raises", "RuntimeError: no database"),
    ("bench_missing", "ModuleNotFoundError: No module named 'bench_missing'"),
    ("bench_dies", "the benchmark's process exited with code 9"),
])
def test_a_module_that_cannot_measure_gives_a_failed_row(modules, capsys, name, reason):
    assert _in_own_process(name, "sqlite") == (1, False)
    row = capsys.readouterr().out.strip()
    assert row.startswith(f"| {name} | SQLite | FAILED |") and row.endswith(f"| NO | {reason} |")
