"""Benchmark: import a synthetic archive of back issues into PostgreSQL and SQLite.

    python bench/import_archive.py [--issues 1000] [--seed 0]

Writes the archive with bench/synth.py into a temporary folder, then, each in its own child
process so that peak memory is the child's alone:

* parse only (read and parse every file, no database): the ceiling for the import;
* ``import_issues`` into a fresh PostgreSQL database (created and dropped here);
* ``import_issues`` into a fresh SQLite file.

Each import runs the real command twice in one process, on the first quarter of the files and
then on the rest, and reads the peak RSS after each: memory that grows with the number of files
shows up as a second figure well above the first. Target (bench/RESULTS.md, section Import):
1,000 issues into PostgreSQL in <= 60 s with peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "newsroom_bench_import"
TARGET_SECONDS = 60
TARGET_RSS_MB = 300


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


# --------------------------------------------------------------------------- children


def child_parse(files: list[str]) -> dict:
    from backissues.textformat import parse

    started = time.perf_counter()
    articles = 0
    quarter_rss = quarter_seconds = None
    for position, name in enumerate(files, start=1):
        articles += sum(len(page.articles) for page in parse(Path(name).read_text("utf-8")).pages)
        if position == len(files) // 4:
            quarter_rss = peak_rss_mb()
            quarter_seconds = time.perf_counter() - started
    return {
        "seconds": time.perf_counter() - started,
        "articles": articles,
        "quarter_seconds": quarter_seconds,
        "quarter_rss": quarter_rss,
        "rss": peak_rss_mb(),
    }


def child_import(files: list[str]) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    django.setup()
    from django.core.management import call_command

    from articles.models import Article
    from issues.models import Issue

    quarter = max(1, len(files) // 4)
    started = time.perf_counter()
    call_command("import_issues", *files[:quarter], verbosity=0, prerender=False)
    quarter_rss = peak_rss_mb()
    quarter_seconds = time.perf_counter() - started
    call_command("import_issues", *files[quarter:], verbosity=0, prerender=False)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "issues": Issue.objects.count(),
        "articles": Article.objects.count(),
        "quarter_seconds": quarter_seconds,
        "quarter_rss": quarter_rss,
        "rss": peak_rss_mb(),
    }


def run_child(kind: str, listing: Path, env: dict) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(listing)],
        env={**os.environ, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if output.returncode != 0:
        sys.exit(f"{kind} child failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def migrate(env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
        env={**os.environ, **env},
        cwd=ROOT,
        check=True,
    )


def psql(*sql: str) -> None:
    command = ["psql", f"{PG_URL}/postgres", "-q", "-v", "ON_ERROR_STOP=1"]
    for statement in sql:
        command += ["-c", statement]
    subprocess.run(command, check=True, capture_output=True)


# --------------------------------------------------------------------------- parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "LISTING"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, listing = args.child
        files = Path(listing).read_text().split("\n")
        result = child_parse(files) if kind == "parse" else child_import(files)
        print(json.dumps(result))
        return

    from bench.synth import write_archive

    with tempfile.TemporaryDirectory(prefix="newsroom-bench-") as directory:
        started = time.perf_counter()
        paths = write_archive(Path(directory) / "archive", args.issues, seed=args.seed)
        size = sum(path.stat().st_size for path in paths)
        print(
            f"archive: {len(paths)} issues, {size / 1e6:.1f} MB of text, "
            f"written in {time.perf_counter() - started:.1f} s"
        )
        listing = Path(directory) / "files.txt"
        listing.write_text("\n".join(str(path) for path in paths))
        # The way a maintainer runs it: development settings (DEBUG on) unless told otherwise.
        base_env = {"DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "on")}

        rows = [("parse only (ceiling)", run_child("parse", listing, base_env))]

        pg_env = {**base_env, "DATABASE_URL": f"{PG_URL}/{PG_DATABASE}"}
        psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}", f"CREATE DATABASE {PG_DATABASE}")
        try:
            migrate(pg_env)
            rows.append(("import, PostgreSQL", run_child("import", listing, pg_env)))
        finally:
            psql(f"DROP DATABASE IF EXISTS {PG_DATABASE}")

        sqlite_env = {**base_env, "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3"}
        migrate(sqlite_env)
        rows.append(("import, SQLite", run_child("import", listing, sqlite_env)))

    count = len(paths)
    print(
        f"\nmachine: {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{count} issues, seed {args.seed}\n"
    )
    header = (
        f"{'run':<22} {'seconds':>8} {'s@1/4':>6} {'issues/s':>9} {'articles/s':>11} "
        f"{'RSS@1/4 MB':>11} {'peak RSS MB':>12}"
    )
    print(header)
    print("-" * len(header))
    for name, row in rows:
        print(
            f"{name:<22} {row['seconds']:>8.1f} {row['quarter_seconds']:>6.1f} "
            f"{count / row['seconds']:>9.1f} "
            f"{row['articles'] / row['seconds']:>11.0f} "
            f"{row['quarter_rss']:>11.0f} {row['rss']:>12.0f}"
        )
    pg = rows[1][1]
    if pg["issues"] != count:
        sys.exit(f"PostgreSQL holds {pg['issues']} issues, expected {count}")
    budget = TARGET_SECONDS * count / 1000
    verdict = pg["seconds"] <= budget and pg["rss"] <= TARGET_RSS_MB
    print(
        f"\ntarget (PostgreSQL, scaled to {count} issues): <= {budget:.0f} s "
        f"and <= {TARGET_RSS_MB} MB peak: {'met' if verdict else 'MISSED'}; "
        f"memory growth from 1/4 to all files: {pg['rss'] - pg['quarter_rss']:+.0f} MB"
    )


if __name__ == "__main__":
    main()
