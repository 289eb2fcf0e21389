"""`python -m bench [name…]`: every benchmark module (or those whose name contains one of the
names), each on its backends; a row is printed as soon as it is measured, and a module that
fails prints a FAILED row with the reason while the others go on.

Each module runs on each backend in a process of its own (`python -m bench --one NAME
BACKEND`): in one long process the heap left by the modules before it made every garbage
collection longer, so a module's figures depended on what ran first (the dashboard at 50,000
took 0.51 s at the end of a full run and 0.33 s alone), and a module that crashes the
interpreter or hangs past its deadlines cannot take the others with it."""
import importlib
import inspect
import subprocess
import sys
import traceback

from bench import backends, failed_row, format_header, format_row

ONE = "--one"


def _reason(error: BaseException) -> str:
    text = f"{type(error).__name__}: {error}".strip().splitlines()
    return " ".join(line.strip() for line in text)[:300]


def main(argv: list[str]) -> int:
    from forum.features import collect

    wanted, everything_ok, printed = argv[1:], True, 0
    print(format_header(), flush=True)
    for name in collect("BENCH"):
        if wanted and not any(w in name for w in wanted):
            continue
        try:
            module = importlib.import_module(name)
        except Exception as error:  # noqa: BLE001 (one broken module must not lose the others)
            traceback.print_exc(file=sys.stderr)
            print(format_row(failed_row(name, "-", _reason(error))), flush=True)
            everything_ok = False
            continue
        for backend in [b for b in getattr(module, "BACKENDS", ("sqlite",)) if b in backends()]:
            print(f"running {name} on {backend} …", file=sys.stderr, flush=True)
            rows, ok = _in_own_process(name, backend)
            printed += rows
            everything_ok &= ok
    if not printed:
        print("no rows measured", flush=True)
    return 0 if everything_ok else 1


def _in_own_process(name: str, backend: str) -> tuple[int, bool]:
    """Runs one module on one backend in a child, passing its rows on as they come; (rows
    printed, whether all held). A child that dies without saying why gets a FAILED row."""
    child = subprocess.Popen([sys.executable, "-m", "bench", ONE, name, backend], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    rows = 0
    for line in child.stdout:
        print(line, end="", flush=True)
        rows += line.startswith("| ")
    code = child.wait()
    if code not in (0, 1) or not rows:  # 1 with rows: a bound did not hold, or a FAILED row says why
        print(format_row(failed_row(name, backend, f"the benchmark's process exited with code {code}")), flush=True)
        return rows + 1, False
    return rows, code == 0


def run_one(name: str, backend: str) -> int:
    """The child's part: one module on one backend, its rows on stdout (exit 1 if one failed)."""
    everything_ok = True
    try:
        module = importlib.import_module(name)
        takes_backend = bool(inspect.signature(module.run).parameters)
        for row in (module.run(backend) if takes_backend else module.run()):
            row.backend = backend
            print(format_row(row), flush=True)
            everything_ok &= row.ok
    except Exception as error:  # noqa: BLE001
        traceback.print_exc(file=sys.stderr)
        print(format_row(failed_row(name, backend, _reason(error))), flush=True)
        everything_ok = False
    return 0 if everything_ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == [ONE]:
        sys.exit(run_one(*sys.argv[2:4]))
    sys.exit(main(sys.argv))
