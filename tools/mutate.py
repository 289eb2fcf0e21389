"""Mutation testing of the critical modules: `make mutate` (slow; not part of CI).

For each module: its related tests run once under coverage, which records the tests that
reach each line. Then one mutant at a time is written over the module: a comparison flipped
(< <=, > >=, == !=, in / not in, is / is not), `and` / `or` swapped, a `not` dropped, True /
False swapped, or a number changed by one. Only the tests that reach the mutated line run,
stopping at the first failure (-x); a failure or a timeout kills the mutant. The file is
restored after every mutant, also when interrupted. Prints the score per module; exits 1 when
a module is under MINIMUM percent. A mutant on a line no test reaches counts as surviving.

Speed: the tests run in a process forked from one that has already imported the libraries
(not `forum` or the tests, which must load the mutated file), so each mutant costs about the
tests it runs. mutmut 3 ran here too, but mutates every string and argument (about 500
mutants for the check-in service alone) and took hours for the six modules on two cores.

Survivors left alone are explained in a comment in the module's test file.

    python tools/mutate.py                                  # every module
    python tools/mutate.py forum/agenda/conflicts.py -v     # one module, each mutant's fate
"""
from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINIMUM = 90.0
# A mutant's tests get this long (seconds), beyond three times what they took unmutated, before
# the mutant counts as killed by a timeout (an endless loop).
GRACE = 60

# module -> the tests that hold it. PostgreSQL-only tests run when FORUM_TEST_DATABASE_URL is set.
MODULES = {
    "forum/checkin/service.py": ["tests/test_checkin_scan.py", "tests/test_checkin_scan_rules.py",
                                 "tests/test_checkin_batch.py",
                                 "tests/test_api_checkins.py", "tests/test_checkin_pages.py"],
    "forum/agenda/conflicts.py": ["tests/test_agenda_conflicts.py"],
    "forum/theatre/booking.py": ["tests/test_theatre_booking.py", "tests/test_theatre_booking_rules.py",
                                "tests/test_theatre_pick.py", "tests/test_theatre_manage.py"],
    "forum/people/importer.py": ["tests/test_people_import.py", "tests/test_people_import_rules.py"],
    "forum/messaging/outbox.py": ["tests/test_messaging_outbox.py", "tests/test_messaging_outbox_rules.py",
                                  "tests/test_messaging_sms.py", "tests/test_messaging_delivery.py",
                                  "tests/test_messaging_urgent.py"],
    "forum/badges/codes.py": ["tests/test_badges_codes.py"],
}

FLIPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
         ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is}
SYMBOLS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==", ast.NotEq: "!=",
           ast.In: "in", ast.NotIn: "not in", ast.Is: "is", ast.IsNot: "is not"}
PRELOAD = ["flask", "flask_sqlalchemy", "flask_babel", "flask_wtf", "flask_login", "flask_migrate", "flask_limiter",
           "sqlalchemy", "sqlalchemy.dialects.postgresql", "psycopg", "wtforms", "babel", "reportlab",
           "reportlab.pdfgen.canvas", "PIL.Image", "icalendar", "openpyxl", "email_validator", "pytest",
           "_pytest.python", "hypothesis", "xdist", "pytest_cov", "coverage"]


@dataclass
class Mutant:
    index: int  # the n-th mutable place of the module, in ast.walk order
    line: int
    what: str  # e.g. "`<` → `<=`"


def _places(tree: ast.AST) -> list[tuple[ast.AST, str, object]]:
    """Every place a mutation can go: (node, kind, detail), in a stable order."""
    docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                  if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and n.body
                  and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
    annotations = set()
    for node in ast.walk(tree):
        for child in ([node.annotation] if isinstance(node, (ast.arg, ast.AnnAssign)) and node.annotation else []) + (
                [node.returns] if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns else []):
            annotations.update(id(n) for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if id(node) in annotations or id(node) in docstrings:
            continue
        if isinstance(node, ast.Compare):
            found += [(node, "compare", i) for i, op in enumerate(node.ops) if type(op) in FLIPS]
        elif isinstance(node, ast.BoolOp):
            found.append((node, "boolop", None))
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            found.append((node, "not", None))
        elif isinstance(node, ast.Constant) and isinstance(node.value, bool):
            found.append((node, "bool", None))
        elif isinstance(node, ast.Constant) and type(node.value) in (int, float):
            found.append((node, "number", None))
    return found


class _DropNot(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target

    def visit_UnaryOp(self, node):
        return node.operand if node is self.target else self.generic_visit(node)


def mutants_of(source: str) -> tuple[list[Mutant], list[str]]:
    """Each mutant's description and its whole mutated source."""
    tree = ast.parse(source)
    described, sources = [], []
    for index in range(len(_places(tree))):
        clone = copy.deepcopy(tree)
        node, kind, detail = _places(clone)[index]
        if kind == "compare":
            old = type(node.ops[detail])
            node.ops[detail] = FLIPS[old]()
            what = f"`{SYMBOLS[old]}` → `{SYMBOLS[FLIPS[old]]}`"
        elif kind == "boolop":
            old = "and" if isinstance(node.op, ast.And) else "or"
            node.op = ast.Or() if old == "and" else ast.And()
            what = f"`{old}` → `{'or' if old == 'and' else 'and'}`"
        elif kind == "not":
            clone = _DropNot(node).visit(clone)
            what = "`not` dropped"
        elif kind == "bool":
            what = f"`{node.value}` → `{not node.value}`"
            node.value = not node.value
        else:
            what = f"`{node.value!r}` → `{node.value + 1!r}`"
            node.value = node.value + 1
        described.append(Mutant(index, node.lineno, what))
        sources.append(ast.unparse(ast.fix_missing_locations(clone)) + "\n")
    return described, sources


def _run_pytest(args: list[str], timeout: float | None = None) -> str:
    """pytest in a forked child (this process has only the libraries loaded): "passed",
    "failed" or "timeout"."""
    pid = os.fork()
    if pid == 0:  # the child: import forum and the tests afresh, from the files as they are now
        try:
            os.setpgid(0, 0)
            sys.dont_write_bytecode = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            if not os.environ.get("MUTATE_VERBOSE_TESTS"):
                os.dup2(devnull, 1), os.dup2(devnull, 2)
            import pytest

            code = pytest.main(args)
        except BaseException:  # noqa: BLE001 - the child must never return into the parent's code
            code = 3
        os._exit(int(code))
    deadline = time.monotonic() + timeout if timeout else None
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "passed" if os.waitstatus_to_exitcode(status) == 0 else "failed"
        if deadline and time.monotonic() > deadline:
            os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout"
        time.sleep(0.05)


def _durations(junit: Path) -> dict[str, float]:
    """Seconds each test took, by node id, from pytest's JUnit XML."""
    import xml.etree.ElementTree as ET

    found = {}
    for case in ET.parse(junit).iter("testcase"):
        module, name = case.get("classname", ""), case.get("name", "")
        found[module.replace(".", "/") + ".py::" + name] = float(case.get("time") or 0)
    return found


def _tests_by_line(module: str, tests: list[str]) -> tuple[dict[int, list[str]], dict[str, float]]:
    """Run the related tests once under coverage: which test reaches which line of `module`
    (fastest first), and how long each took."""
    import coverage

    junit = ROOT / ".mutate-junit.xml"
    outcome = _run_pytest([*tests, "-q", "-p", "no:cacheprovider", "-p", "no:xdist", f"--cov={Path(module).parent}",
                           "--cov-context=test", "--cov-report=", f"--junitxml={junit}"])
    if outcome != "passed":
        raise SystemExit(f"{module}: its tests fail before any mutation ({' '.join(tests)})")
    durations = _durations(junit)
    junit.unlink()
    data = coverage.CoverageData(basename=str(ROOT / ".coverage"))
    data.read()
    path = str(ROOT / module)
    by_line: dict[int, set[str]] = {}
    for line, contexts in (data.contexts_by_lineno(path) or {}).items():
        for context in contexts:
            # A line run while importing (decorators, class bodies, constants) has no test's
            # context: every related test may depend on it.
            by_line.setdefault(line, set()).update([context.rsplit("|", 1)[0]] if context else durations)
    return ({line: sorted(ids, key=lambda i: (durations.get(i, 60.0), i)) for line, ids in by_line.items()},
            durations)


def run_module(module: str, tests: list[str], verbose: bool) -> dict:
    path = ROOT / module
    original = path.read_text(encoding="utf-8")
    stat = path.stat()
    started = time.monotonic()
    by_line, durations = _tests_by_line(module, tests)
    (ROOT / ".coverage").unlink(missing_ok=True)
    described, sources = mutants_of(original)
    survivors, caught = [], 0
    try:
        for n, (mutant, source) in enumerate(zip(described, sources, strict=True)):
            chosen = by_line.get(mutant.line, [])
            if not chosen:
                fate = "no test reaches it"
            else:
                path.write_text(source, encoding="utf-8")
                os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + (n + 1) * 1_000_000_000))
                limit = GRACE + 3 * sum(durations.get(test, 60.0) for test in chosen)
                fate = _run_pytest([*chosen, "-x", "-q", "-p", "no:cacheprovider", "-p", "no:xdist"], limit)
            if fate in ("failed", "timeout"):
                caught += 1
            else:
                survivors.append((mutant, "survived" if fate == "passed" else fate))
            if verbose:
                print(f"  line {mutant.line}: {mutant.what}: {fate} ({len(chosen)} tests)", flush=True)
    finally:
        path.write_text(original, encoding="utf-8")
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    total = len(described)
    score = 100.0 * caught / total if total else 100.0
    print(f"{module}: {caught}/{total} killed ({score:.1f}%) in {(time.monotonic() - started) / 60:.1f} min",
          flush=True)
    for mutant, why in survivors:
        print(f"    line {mutant.line}: {mutant.what} ({why})", flush=True)
    return {"module": module, "caught": caught, "total": total, "score": score}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("modules", nargs="*", help="modules to mutate (default: all of MODULES)")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each mutant's fate")
    args = parser.parse_args()
    chosen = args.modules or list(MODULES)
    unknown = [m for m in chosen if m not in MODULES]
    if unknown:
        parser.error(f"not a critical module: {', '.join(unknown)}")
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    os.environ.pop("FORUM_REQUIRE_ALL_TESTS", None)  # PostgreSQL-only tests may skip here
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # restore the module (finally) when stopped
    for name in PRELOAD:
        with contextlib.suppress(ImportError):
            __import__(name)
    results = [run_module(m, MODULES[m], args.verbose) for m in chosen]
    width = max(len(m) for m in chosen)
    print(f"\n{'module'.ljust(width)}  killed / mutants  score")
    for r in results:
        print(f"{r['module'].ljust(width)}  {r['caught']:>6} / {r['total']:<7}  {r['score']:5.1f}%")
    low = [r["module"] for r in results if r["score"] < MINIMUM]
    if low:
        print(f"under {MINIMUM:.0f}%: {', '.join(low)}", file=sys.stderr)
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
