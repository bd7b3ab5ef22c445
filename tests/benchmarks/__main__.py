"""`python -m tests.benchmarks [NAME...]`: run the benchmarks and print one markdown table."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
import traceback

import tests.benchmarks as package
from tests.benchmarks.common import table
from tests.benchmarks.results import save

EXIT_USAGE = 2


def benchmark_names() -> list[str]:
    """The short names (``kpis`` for ``bench_kpis``), as a user types them."""
    return sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules(package.__path__)
        if m.name.startswith("bench_")
    )


def build_parser(known: list[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks",
        description="Run the benchmarks on the cached 5-year demo data set and print one table;"
        " each measure is compared with a baseline timed in the same run.",
        epilog=f"known benchmarks: {', '.join(known)}",
    )
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="run only the benchmarks whose name contains NAME (default: all)",
    )
    return parser


def main(argv: list[str]) -> int:
    known = benchmark_names()
    parser = build_parser(known)
    args = parser.parse_args(argv)  # --help prints the usage and exits 0
    names = known
    if args.names:
        # A name that selects nothing is a typo: say so instead of printing an empty table.
        wanted = [a.removeprefix("bench_") for a in args.names]  # `bench_kpis` works too
        unknown = [a for a in wanted if not any(a in n for n in known)]
        if unknown:
            print(
                f"{parser.prog}: no benchmark named {', '.join(map(repr, unknown))};"
                f" known: {', '.join(known)}",
                file=sys.stderr,
            )
            return EXIT_USAGE
        names = [n for n in known if any(a in n for a in wanted)]
    results = []
    ran: list[str] = []
    failed: list[str] = []
    for name in names:
        print(f"running bench_{name}…", file=sys.stderr, flush=True)
        module = importlib.import_module(f"tests.benchmarks.bench_{name}")
        if not hasattr(module, "run"):  # a load test with its own servers and report
            print(f"  {name} runs alone: python -m tests.benchmarks.bench_{name}", file=sys.stderr)
            continue
        try:
            measured = module.run()
        except Exception:  # a broken benchmark must not throw away the others' figures
            traceback.print_exc()
            print(f"  bench_{name} failed: its rows are left as they were", file=sys.stderr)
            failed.append(name)
            continue
        ran.append(name)
        results.extend((name, r) for r in measured)
    if not results:  # only stand-alone benchmarks were chosen: an empty table says nothing
        return 1 if failed else 0
    path = save(ran, [{"bench": name, **r.as_json()} for name, r in results])
    print(table([r.as_json() for _name, r in results]))
    print(f"\n(written to {path}; `python -m tests.benchmarks.table` puts it in the README)",
          file=sys.stderr)  # fmt: skip
    results = [r for _name, r in results]
    return 0 if all(r.met for r in results) and not failed else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
