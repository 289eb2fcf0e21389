"""`python -m bench [name…]`: every benchmark module (or those whose name contains one of the
names), each on its backends; a row is printed as soon as it is measured, and a module that
fails prints a FAILED row with the reason while the others go on."""
import importlib
import inspect
import sys
import traceback

from bench import backends, failed_row, format_header, format_row


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
        takes_backend = bool(inspect.signature(module.run).parameters)
        for backend in [b for b in getattr(module, "BACKENDS", ("sqlite",)) if b in backends()]:
            print(f"running {name} on {backend} …", file=sys.stderr, flush=True)
            try:
                for row in (module.run(backend) if takes_backend else module.run()):
                    row.backend = backend
                    print(format_row(row), flush=True)
                    printed += 1
                    everything_ok &= row.ok
            except Exception as error:  # noqa: BLE001
                traceback.print_exc(file=sys.stderr)
                print(format_row(failed_row(name, backend, _reason(error))), flush=True)
                everything_ok = False
    if not printed:
        print("no rows measured", flush=True)
    return 0 if everything_ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
