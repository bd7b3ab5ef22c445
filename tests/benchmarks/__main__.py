"""`python -m tests.benchmarks [NAME...]`: run the benchmarks and print one markdown table."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import tests.benchmarks as package
from tests.benchmarks.common import table


def main(argv: list[str]) -> int:
    names = sorted(
        m.name for m in pkgutil.iter_modules(package.__path__) if m.name.startswith("bench_")
    )
    if argv:
        names = [n for n in names if any(a in n for a in argv)]
    results = []
    for name in names:
        print(f"running {name}…", file=sys.stderr, flush=True)
        module = importlib.import_module(f"tests.benchmarks.{name}")
        if not hasattr(module, "run"):  # a load test with its own servers and report
            print(f"  {name} runs alone: python -m tests.benchmarks.{name}", file=sys.stderr)
            continue
        results.extend(module.run())
    print(table(results))
    return 0 if all(r.met for r in results) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
