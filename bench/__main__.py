import importlib
import sys

from bench import MODULES, format_table


def main() -> int:
    rows = []
    for name in MODULES:
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(name).run())
    print(format_table(rows) if rows else "no benchmarks yet")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
