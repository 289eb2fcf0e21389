import importlib
import sys

from bench import format_table


def main() -> int:
    from forum.features import collect

    rows = []
    for name in collect("BENCH"):
        print(f"running {name} …", file=sys.stderr, flush=True)
        rows.extend(importlib.import_module(name).run())
    print(format_table(rows) if rows else "no benchmarks yet")
    return 0 if all(r.ok for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
