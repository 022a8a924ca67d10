"""In-process timing of uncached pages: Newsroom's issue, page, article and person views next
to the Wagtail peer's issue and article pages (bench/peer), with the queries of each request.

    python bench/inprocess.py [--urls 100] [--rounds 3] [--no-peer]

No server and no network: each site runs in a child process of its own (Newsroom in this
interpreter, Wagtail in bench/out/peer-venv) that requests --urls different published URLs of
each kind through Django's test Client (the whole middleware stack, DEBUG off) and times each
request with a monotonic clock (wall time, what a reader waits for) and with the process's CPU
clock (the Python side's own work: it leaves out PostgreSQL's time, which runs in another
process, and the time spent waiting for a core on a loaded machine). The children alternate, --rounds times each, so that both
see the same machine load. Nothing is cached: Newsroom runs with the dummy cache and
PUBLIC_PAGE_LOCAL_SECONDS=0 (no page cache, no per-process copy), Wagtail without a page cache.
A request that ran no query would have come from a cache: the script then stops and reports
nothing.

The databases are the serving benchmark's (bench/serve.py): made here if they are missing,
reused otherwise (a minute or two the first time, then about a minute a run).

Targets (issue 16), medians: uncached article ≤ 6 ms, issue and page ≤ 10 ms, person ≤ 12 ms,
and each at least 2× as fast as Wagtail's uncached page of the same kind.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWSROOM_KINDS = ["issue", "page", "article", "person"]
PEER_KINDS = ["issue", "article"]
TARGETS_MS = {"issue": 10, "page": 10, "article": 6, "person": 12}
FASTER_THAN_PEER = 2


def child(site, paths_file):
    """Runs in the site's own interpreter, with its settings in the environment."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    with open(paths_file, encoding="utf-8") as file:
        paths = json.load(file)
    client = Client()
    for kind_paths in paths.values():  # templates compiled, the connection open
        for path in kind_paths[:5]:
            client.get(path)
    results = {}
    for kind, kind_paths in paths.items():
        timings = []
        for path in kind_paths:
            count = 0

            def counter(execute, sql, params, many, context):
                nonlocal count
                count += 1
                return execute(sql, params, many, context)

            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                cpu_started = time.process_time()
                response = client.get(path)
                cpu = time.process_time() - cpu_started
                elapsed = time.perf_counter() - started
            if response.status_code != 200:
                sys.exit(f"{site} {path}: HTTP {response.status_code}")
            timings.append((elapsed * 1000, count, cpu * 1000))
        results[kind] = timings
    print(json.dumps(results))


def run_child(site, paths):
    from bench import peer_setup, serve

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(paths, file)
    try:
        if site == "newsroom":
            env = serve.uncached_env()
            env.pop("BENCH_QUERY_HEADER")  # counted here, not by the middleware
            python, cwd = sys.executable, ROOT
            # As a module: run as a file, bench/ would come first on sys.path and its
            # search.py would shadow the search app.
            script = ["-m", "bench.inprocess"]
        else:
            env = peer_setup.peer_env(cache="locmem", query_header=False)
            python, cwd = peer_setup.PEER_PY, peer_setup.PEER
            script = [str(ROOT / "bench" / "inprocess.py")]
        done = subprocess.run(
            [str(python), *script, "--child", site, file.name],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"{site}: the child failed\n{done.stderr[-3000:]}")
        out = done.stdout
    finally:
        os.unlink(file.name)
    return json.loads(out)


def main():
    parser = argparse.ArgumentParser(
        description=" ".join(__doc__.split("\n\n")[0].split()),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--urls", type=int, default=100, help="different URLs of each kind")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each site, alternating")
    parser.add_argument("--issues", type=int, default=1000, help="archive size if it is built")
    parser.add_argument("--no-peer", action="store_true", help="Newsroom only")
    parser.add_argument("--child", nargs=2, metavar=("SITE", "PATHS"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return

    sys.path.insert(0, str(ROOT))
    from bench import peer_setup, serve

    load = [round(os.getloadavg()[0], 2)]
    serve.prepare_archive(args.issues, serve.cached_env())
    serve.run([serve.PY, "manage.py", "collectstatic", "--no-input", "-v0"], env=serve.cached_env())
    if not args.no_peer:
        peer_setup.prepare_database(serve.cached_env())
        peer_setup.collectstatic()
    paths = peer_setup.newsroom("paths", serve.cached_env(), args.urls)
    newsroom_paths = {kind: paths[kind] for kind in NEWSROOM_KINDS}
    # The floor, in the same process and run: the whole middleware stack and a short string.
    newsroom_paths["bare"] = ["/bench/bare/"] * args.urls
    peer_paths = {kind: paths[f"peer-{kind}"] for kind in PEER_KINDS}

    timings = {}
    for number in range(args.rounds):
        runs = [("newsroom", newsroom_paths)]
        if not args.no_peer:
            runs.append(("wagtail", peer_paths))
        for site, site_paths in runs:
            for kind, measured in run_child(site, site_paths).items():
                timings.setdefault(f"{site} {kind}", []).append(measured)
        load.append(round(os.getloadavg()[0], 2))
        print(f"round {number + 1} of {args.rounds} done, load {load[-1]}", flush=True)
    report(args, timings, load)


def report(args, timings, load):
    print(f"\nload average (1 min) at start and after each round: {load}")
    print(
        f"{args.urls} different URLs of each kind, {args.rounds} rounds, uncached, Django test "
        "Client in-process; ms per request"
    )
    print(
        f"\n{'page':<18}{'median':>8}{'p90':>8}{'round medians':>20}{'CPU ms':>8}"
        f"{'queries':>9}{'target':>8}{'Wagtail/NR':>12}"
    )
    medians = {}
    rows = []
    for name, rounds in timings.items():
        every = [row[0] for measured in rounds for row in measured]
        queries = [row[1] for measured in rounds for row in measured]
        cpu = [row[2] for measured in rounds for row in measured]
        if min(queries) == 0 and not name.endswith(" bare"):
            sys.exit(f"{name}: a request ran no query, so it came from a cache; no figures")
        medians[name] = statistics.median(every)
        p90 = statistics.quantiles(every, n=10)[-1] if len(every) > 1 else every[0]
        per_round = " ".join(f"{statistics.median(row[0] for row in m):.1f}" for m in rounds)
        spread = f"{min(queries)}–{max(queries)}" if min(queries) != max(queries) else queries[0]
        rows.append((name, medians[name], p90, per_round, statistics.median(cpu), spread))
    checks = []
    for name, median, p90, per_round, cpu, spread in rows:
        site, kind = name.split()
        target = f"≤ {TARGETS_MS[kind]}" if kind in TARGETS_MS and site == "newsroom" else ""
        versus = ""
        peer = medians.get(f"wagtail {kind}")
        if site == "newsroom" and kind in TARGETS_MS:
            # The targets are of the web process's own CPU per request (the wall time on a
            # shared machine is mostly waiting for a core).
            checks.append(
                (f"uncached {kind} ≤ {TARGETS_MS[kind]} ms of CPU", cpu <= TARGETS_MS[kind])
            )
            if peer is not None:
                versus = f"{peer / median:.2f}×"
                checks.append(
                    (
                        f"uncached {kind} ≥ {FASTER_THAN_PEER}× Wagtail's",
                        peer / median >= FASTER_THAN_PEER,
                    )
                )
        print(
            f"{name:<18}{median:>8.2f}{p90:>8.2f}{per_round:>20}{cpu:>8.2f}{spread!s:>9}"
            f"{target:>8}{versus:>12}"
        )
    print(
        "median, p90, round medians: wall ms; CPU ms: median of the web process's CPU time; "
        "Wagtail/NR: Wagtail's wall median over Newsroom's (above 1: Newsroom is faster)\n"
    )
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")
    out = ROOT / "bench" / "out" / "inprocess.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(
        json.dumps({"args": vars(args), "load": load, "medians": medians, "timings": timings})
    )
    print(f"\nwrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
