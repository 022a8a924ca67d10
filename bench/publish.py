"""How long publishing one issue of the 1,000-issue archive takes with the embedded default
task backend (``immediate``: no worker, the pre-render runs in the publishing process).

    python bench/publish.py [--rounds 3] [--database newsroom_bench_publish] [--redis-db 9]

The serving benchmark's database (bench/serve.py builds it) is copied once into a database
of this bench's own (``CREATE DATABASE … TEMPLATE``), so the serving figures are not
disturbed. In a child process with the real settings (DEBUG off, Redis as the page cache in
a Redis database of its own, emptied first, TASKS_BACKEND=immediate), each round takes the
newest issue off the site (``unpublish_issue``, no pre-render) and signs it off again with
``publish_issue``, the service the desk's 签发 button calls, between ``request_started`` and
``request_finished`` as the WSGI handler sends them: "request s" (and its CPU) is what the
editor waits for, "after response s" the pre-render that runs when the server has sent the
response and closes it (pages rendered, their seconds, the five slowest). Then every URL of the
issue is requested as a reader: each must be served from the cache with 0 queries.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(rounds):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished, request_started
    from django.db import connection
    from django.test import Client

    from desk import issue_services
    from issues.models import Issue
    from public import prerender
    from public.caching import clear_local_copies

    user, _ = get_user_model().objects.get_or_create(
        username="bench-publisher", defaults={"is_staff": True, "is_superuser": True}
    )
    timings = {}
    original = prerender.render_into_cache

    def timed_render(paths):
        statuses = {}
        for path in paths:  # one at a time, to name the slowest
            started = time.perf_counter()
            statuses.update(original([path]))
            timings.setdefault("render", []).append((path, time.perf_counter() - started))
        return statuses

    prerender.render_into_cache = timed_render
    results = []
    for _ in range(rounds):
        issue = Issue.objects.published().latest_first().first()
        issue_services.unpublish_issue(issue=issue, by=user, reason="bench")
        timings.clear()
        # As in the desk's request: the WSGI handler sends request_started, the view
        # publishes, the server sends the response and closes it (request_finished).
        request_started.send(sender=None)
        started, cpu_started = time.perf_counter(), time.process_time()
        issue_services.publish_issue(issue=issue, by=user)
        wall = time.perf_counter() - started
        cpu = time.process_time() - cpu_started
        started = time.perf_counter()
        request_finished.send(sender=None)
        after = time.perf_counter() - started
        rendered = len(timings.get("render", []))
        render_seconds = sum(seconds for _, seconds in timings.get("render", []))
        slowest = sorted(timings.get("render", []), key=lambda pair: -pair[1])[:5]
        own = prerender.issue_urls(issue)
        clear_local_copies()
        client = Client()
        queries = []
        for url in own:
            count = 0

            def counter(execute, sql, params, many, context):
                nonlocal count
                count += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counter):
                response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url}: HTTP {response.status_code}")
            queries.append(count)
        results.append(
            {
                "issue": issue.number,
                "wall": wall,
                "cpu": cpu,
                "after": after,
                "pages": rendered,
                "render": render_seconds,
                "own_urls": len(own),
                "own_urls_with_queries": sum(1 for count in queries if count),
                "slowest": [(path, round(seconds, 3)) for path, seconds in slowest],
            }
        )
    print(json.dumps(results))


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database", default="newsroom_bench_publish")
    parser.add_argument("--redis-db", type=int, default=9)
    parser.add_argument("--fresh", action="store_true", help="copy the database again")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child)
        return
    sys.path.insert(0, str(ROOT))
    from bench import serve

    serve.prepare_archive(1000, serve.cached_env())
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname='{args.database}'")
    if exists and args.fresh:
        psql(f"DROP DATABASE {args.database}")
        exists = False
    if not exists:
        psql(f"CREATE DATABASE {args.database} TEMPLATE {serve.DB_NAME}")
    subprocess.run(["redis-cli", "-n", str(args.redis_db), "FLUSHDB"], check=True)
    env = serve.base_env(f"redis://127.0.0.1:6379/{args.redis_db}")
    env.pop("BENCH_QUERY_HEADER")
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.database}"
    env["TASKS_BACKEND"] = "immediate"
    env["PUBLIC_SITE_URL"] = "http://testserver"  # the origin of the reader checked after
    load = os.getloadavg()[0]
    out = subprocess.run(
        [sys.executable, "-m", "bench.publish", "--child", str(args.rounds)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    results = json.loads(out.strip().splitlines()[-1])
    print(f"load average (1 min): {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    print(
        f"{'issue':>6}{'request s':>11}{'CPU s':>8}{'after response s':>18}{'pages':>7}"
        f"{'render s':>10}{'own URLs':>10}{'with queries':>14}"
    )
    for row in results:
        print(
            f"{row['issue']:>6}{row['wall']:>11.2f}{row['cpu']:>8.2f}{row['after']:>18.2f}"
            f"{row['pages']:>7}{row['render']:>10.2f}{row['own_urls']:>10}{row['own_urls_with_queries']:>14}"
        )
        print("        slowest: " + ", ".join(f"{p} {s:.2f} s" for p, s in row["slowest"]))


if __name__ == "__main__":
    main()
