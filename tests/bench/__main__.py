"""`make bench`: runs every tests/bench/bench_*.py `run()`; each prints its figures beside its target."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback

import tests.bench as bench_pkg


def main(argv: list[str]) -> int:
    wanted = set(argv)
    names = sorted(m.name for m in pkgutil.iter_modules(bench_pkg.__path__) if m.name.startswith("bench_"))
    failed = 0
    for name in names:
        if wanted and name.removeprefix("bench_") not in wanted and name not in wanted:
            continue
        print(f"\n=== {name.removeprefix('bench_')} ===", flush=True)
        started = time.perf_counter()
        try:
            importlib.import_module(f"tests.bench.{name}").run()
        except Exception:  # a broken bench must not hide the others' figures
            failed += 1
            traceback.print_exc()
        print(f"({time.perf_counter() - started:.1f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
