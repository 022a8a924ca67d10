"""Where an uncached public page spends its CPU: cProfile over Newsroom's issue, page, article
and person views, next to the bare view, in one process.

    python bench/profile_views.py [--urls 30] [--kinds issue,page] [--top 25] [--save DIR]

Runs in the serving benchmark's database (bench/serve.py builds it; run bench/inprocess.py or
bench/serve.py once first) with its uncached settings: the dummy cache and no per-process
copy, DEBUG off, Django's test Client (the whole middleware stack). For each kind it requests
--urls different published URLs twice (the first pass warms compiled templates and the
connection), and prints the median CPU time of the process per request (time.process_time:
PostgreSQL's own time is in another process and is not counted; waiting for a core on a
loaded machine is not counted either), the wall time, the queries, the Python function calls
per request (counted by cProfile in a second pass: a measure of the work that the machine's
load does not change), and with --top the functions that took the most time under cProfile. ``--save DIR`` writes each page's HTML to
DIR/<kind>-<n>.html, to compare the pages byte for byte before and after a change.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(client, paths, connection, profile=None):
    cpu, wall, queries, bodies = [], [], [], []
    for path in paths:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            if profile is not None:
                profile.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            response = client.get(path)
            cpu.append((time.process_time() - cpu_started) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
            if profile is not None:
                profile.disable()
        if response.status_code != 200:
            sys.exit(f"{path}: HTTP {response.status_code}")
        queries.append(count)
        bodies.append(response.content)
    return cpu, wall, queries, bodies


def child(args):
    import django

    django.setup()
    import json

    from django.db import connection
    from django.test import Client

    paths = json.loads(Path(args.paths).read_text())
    paths["bare"] = ["/bench/bare/"] * args.urls
    paths["one-query"] = paths["one-query"][: args.urls]
    client = Client()
    kinds = ["bare", "one-query", *args.kinds.split(",")]
    for kind in kinds:  # warm: templates compiled, connection open
        measure(client, paths[kind][:3], connection)
    print(f"load average {os.getloadavg()[0]:.2f}")
    print(
        f"{'kind':<10}{'CPU ms':>8}{'wall ms':>9}{'queries':>9}{'× bare CPU':>12}"
        f"{'calls':>8}{'× bare calls':>14}"
    )
    bare_cpu = bare_calls = None
    for kind in kinds:
        cpu, wall, queries, bodies = measure(client, paths[kind], connection)
        # Python function calls per request (cProfile, a second pass): unlike CPU time, a
        # count that the machine's load does not change.
        profile = cProfile.Profile()
        measure(client, paths[kind], connection, profile)
        calls = pstats.Stats(profile).total_calls / len(paths[kind])
        median = statistics.median(cpu)
        bare_cpu = bare_cpu or median
        bare_calls = bare_calls or calls
        print(
            f"{kind:<10}{median:>8.2f}{statistics.median(wall):>9.2f}"
            f"{statistics.median(queries):>9}{median / bare_cpu:>12.1f}"
            f"{calls:>8.0f}{calls / bare_calls:>14.1f}"
        )
        if args.save and kind not in ("bare", "one-query"):
            out = Path(args.save)
            out.mkdir(parents=True, exist_ok=True)
            for number, body in enumerate(bodies):
                (out / f"{kind}-{number:03}.html").write_bytes(body)
    if args.top:
        for kind in args.kinds.split(","):
            profile = cProfile.Profile()
            measure(client, paths[kind], connection, profile)
            print(f"\n=== {kind}: cumulative, {len(paths[kind])} requests")
            stats = pstats.Stats(profile)
            stats.sort_stats(args.sort).print_stats(args.top)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=30)
    parser.add_argument("--kinds", default="issue,page,article,person")
    parser.add_argument("--top", type=int, default=0, help="print the N costliest functions")
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument("--save", help="write each page's HTML into this folder")
    parser.add_argument("--paths", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.paths:
        child(args)
        return
    sys.path.insert(0, str(ROOT))
    from bench import peer_setup, serve

    serve.run([serve.PY, "manage.py", "collectstatic", "--no-input", "-v0"], env=serve.cached_env())
    paths = peer_setup.newsroom("paths", serve.cached_env(), args.urls)
    import json
    import tempfile

    # The same URLs every run (they are picked at random once; delete the file for others).
    keep = ROOT / "bench" / "out" / "profile-paths.json"
    if keep.exists():
        paths = json.loads(keep.read_text())
    else:
        keep.parent.mkdir(parents=True, exist_ok=True)
        keep.write_text(json.dumps(paths))
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(paths, file)
    env = serve.uncached_env()
    env.pop("BENCH_QUERY_HEADER")
    argv = [
        sys.executable,
        "-m",
        "bench.profile_views",
        "--paths",
        file.name,
        "--urls",
        str(args.urls),
    ]
    argv += ["--kinds", args.kinds, "--top", str(args.top), "--sort", args.sort]
    if args.save:
        argv += ["--save", args.save]
    try:
        subprocess.run(argv, cwd=ROOT, env=env, check=True)
    finally:
        os.unlink(file.name)


if __name__ == "__main__":
    main()
