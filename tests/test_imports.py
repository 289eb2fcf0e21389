"""Every module of `forum` imports on its own: a worker, a command or a test may start with
any of them, before anything else of the app is loaded."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# One interpreter loads the libraries (never `forum`), then forks a child per module: each
# child starts with no module of the app loaded and imports just that one, as a fresh
# interpreter would, without paying the libraries' start-up ~180 times. Two run at once.
SCRIPT = r"""
import contextlib, importlib, os, sys, traceback
for library in ("flask", "flask_sqlalchemy", "flask_babel", "flask_wtf", "flask_login", "flask_migrate",
                "flask_limiter", "sqlalchemy", "wtforms", "babel", "reportlab.pdfgen.canvas", "PIL.Image",
                "icalendar", "openpyxl", "email_validator", "qrcode"):
    with contextlib.suppress(ImportError):
        importlib.import_module(library)
assert not [m for m in sys.modules if m == "forum" or m.startswith("forum.")]
failed, running, modules = [], {}, sys.argv[1:]
while modules or running:
    while modules and len(running) < 2:
        name = modules.pop()
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            try:
                importlib.import_module(name)
                os._exit(0)
            except BaseException:
                os.write(write, traceback.format_exc().encode()[-3000:])
                os._exit(1)
        os.close(write)
        running[pid] = (name, read)
    pid, status = os.wait()
    name, read = running.pop(pid)
    with os.fdopen(read, "rb") as pipe:
        text = pipe.read().decode(errors="replace")
    if status != 0:
        failed.append(name + ":\n" + text)
print("\n".join(failed))
sys.exit(1 if failed else 0)
"""


def _modules() -> list[str]:
    found = []
    for path in sorted((ROOT / "forum").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        found.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return found


def test_each_module_of_forum_imports_alone_in_a_fresh_interpreter():
    modules = _modules()
    assert "forum.checkin.service" in modules and len(modules) > 100
    done = subprocess.run([sys.executable, "-c", SCRIPT, *modules], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
