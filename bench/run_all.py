"""make bench: run every benchmark in turn and print their figures.

    python bench/run_all.py [--quick] [--only serve,inprocess]

Each benchmark is a script of its own (``python bench/SCRIPT.py --help`` for its options); this
runs them with their defaults, or with --quick with short runs that only show that everything
works (the figures of a quick run are not for bench/RESULTS.md). Results are recorded by hand
in bench/RESULTS.md with the machine.
"""

import argparse
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SCRIPTS = [
    "import_archive",
    "parse_linear",
    "photos",
    "import_photos",
    "replace_118",
    "epaper_regions",
    "import_bundles",
    "search",
    "serve",
    "inprocess",
    "profile_views",
    "publish",
    "flood",
    "login_guessing",
]
# The options of each script's quick run. search.py is left out of quick runs: it reads a
# 200,000-article database that takes half an hour to build (and a smaller --articles would
# rebuild that shared database); run it alone.
QUICK = {
    "import_archive": ["--issues", "100"],
    "serve": ["--quick"],
    "inprocess": ["--urls", "30", "--rounds", "1"],
    "profile_views": ["--urls", "10"],
    "publish": ["--rounds", "1"],
    "parse_linear": ["--quick"],
    "photos": ["--photos", "5", "--baseline", "2"],
    "import_photos": ["--issues", "5"],
    "replace_118": ["--rounds", "1"],
    "epaper_regions": ["--runs", "1"],
    "import_bundles": ["--issues", "3"],
    "flood": ["--requests", "100"],
    "login_guessing": ["--seconds", "3", "--rounds", "1"],
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="short runs, without search.py: " + repr(QUICK).replace("%", "%%"),
    )
    parser.add_argument(
        "--only",
        default=",".join(SCRIPTS),
        help="comma-separated benchmarks to run, of: %(default)s",
    )
    args = parser.parse_args()
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in SCRIPTS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    failed = []
    for name in chosen:
        command = [sys.executable, str(BENCH / f"{name}.py")]
        if args.quick:
            if name not in QUICK:
                print(f"\n=== bench/{name}.py: skipped in a quick run", flush=True)
                continue
            command += QUICK[name]
        print(f"\n=== bench/{name}.py {' '.join(command[2:])}", flush=True)
        if subprocess.run(command, cwd=BENCH.parent).returncode:
            failed.append(name)
    if failed:
        sys.exit(f"failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
