"""Benchmark: ``import_issues --replace`` of 118 after desk work, against a fresh import.

    python bench/replace_118.py [--rounds 5]

In a fresh SQLite file and a fresh PostgreSQL database (created and dropped here), each in its
own child process: import the sample issue 118 (the baseline: a fresh import, timed each
round into an emptied database), then withdraw one article and correct another at the desk,
and time ``load_issue(replace=True)`` alternating between two files that differ by one word
(every round changes one article's text and keeps the desk's two decisions). Prints the
median seconds of each and their ratio. Never part of the test run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

PG_URL = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "newsroom_bench_replace"


def child(rounds: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from articles.models import Article
    from backissues.loader import load_issue
    from backissues.textformat import parse
    from desk import services
    from issues.models import Issue
    from people.models import Person
    from tests import factories

    text = (ROOT / "backissues" / "fixtures" / "jinri-luotang-118.md").read_text("utf-8")
    versions = [
        parse(text.replace("11月21日,罗塘街道", "11月22日,罗塘街道", 1)),
        parse(text),
    ]
    fresh = []
    for _ in range(rounds):
        Article.objects.all().delete()
        Issue.objects.all().delete()
        started = time.perf_counter()
        load_issue(data=parse(text))
        fresh.append(time.perf_counter() - started)
    chief = factories.user("bench-chief", groups=["责任编辑"])
    Person.objects.create(name="郁菲菲", user=chief)
    withdrawn, corrected = Article.objects.order_by("order")[1:3]
    services.withdraw(article=withdrawn, by=chief, note="bench")
    services.correct(article=corrected, by=chief, text=corrected.body + "更", note="bench")
    replaced = []
    for round_ in range(rounds):
        started = time.perf_counter()
        result = load_issue(data=versions[round_ % 2], replace=True)
        replaced.append(time.perf_counter() - started)
        assert result.status == "replaced", result.status
    withdrawn.refresh_from_db()
    assert withdrawn.status == Article.Status.WITHDRAWN
    return {"fresh": statistics.median(fresh), "replace": statistics.median(replaced)}


def run_child(database_url: str, rounds: int) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
    }
    out = subprocess.run(
        [sys.executable, __file__, "--child", "--rounds", str(rounds)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.rounds)))
        return
    print(f"machine: {platform.node()} {os.cpu_count()} cores; load {os.getloadavg()}")
    with tempfile.TemporaryDirectory() as folder:
        results = {"SQLite": run_child(f"sqlite:///{folder}/bench.sqlite3", args.rounds)}
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", PG_DATABASE])
    if (
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", PG_DATABASE]).returncode
        == 0
    ):
        try:
            results["PostgreSQL"] = run_child(f"{PG_URL}/{PG_DATABASE}", args.rounds)
        finally:
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", PG_DATABASE])
    for name, figures in results.items():
        print(
            f"{name}: fresh import of 118 {figures['fresh'] * 1000:.0f} ms (baseline), "
            f"--replace after a withdrawal and a correction {figures['replace'] * 1000:.0f} ms "
            f"({figures['replace'] / figures['fresh']:.1f}x), median of {args.rounds}"
        )


if __name__ == "__main__":
    main()
