"""Serving benchmark: Newsroom's public pages under gunicorn, cached and uncached, next to a bare
view and to a Wagtail site holding the same text.

    python bench/serve.py [--quick] [--issues 1000] [--duration 4] [--rounds 3]
                          [--connections 8] [--per-kind 200] [--crawl-urls 2000]
                          [--crawl-warm 8] [--no-peer] [--no-crawl] [--no-lighthouse]

What it does, in one run:
1. makes sure the PostgreSQL database newsroom_bench_serve holds a synthetic archive of
   --issues issues (bench/synth.py + import_issues; reused when already complete), and, unless
   --no-peer, that newsroom_bench_peer holds the same published text as Wagtail pages
   (bench/peer, in its own virtualenv bench/out/peer-venv; see bench/peer_setup.py);
2. starts gunicorn (2 sync workers each) for: Newsroom cached (Redis, the production shape),
   Newsroom uncached (dummy cache and PUBLIC_PAGE_LOCAL_SECONDS=0: no page cache at all),
   Wagtail cached (Django's per-site cache middleware on Redis) and Wagtail uncached (no page
   cache; Django's default local-memory cache for Wagtail's own lookups);
3. proves the modes before any timing: every server adds an X-Bench-Queries header (the
   request's SQL queries, bench/querycount.py); each uncached URL is requested several times
   and must run queries every time, each cached URL must run none once warm; otherwise the
   benchmark stops and reports nothing;
4. drives each case with wrk on loopback over many different URLs of its kind, in rounds: every
   round runs every case, each right after a round of the bare view on the same server, with
   Newsroom's and Wagtail's cases of a kind next to each other; figures are medians over the
   rounds, ratios the medians of the per-round ratios. Then, uncached, one connection per
   worker: the pages' own latency without queueing;
5. runs Lighthouse (npm lighthouse@12.2.3, Debian's Chromium) in mobile mode on an issue and
   an article page of the cached server;
6. the crawl: the --crawl-urls oldest articles, each once, at --connections connections right
   after the cache was emptied (cold), then for --crawl-warm seconds again (warm), counting
   the responses served from the cache (0 queries);
7. prints the tables and writes bench/out/serve.json (bench/results_md.py prints it as the
   tables of bench/RESULTS.md).

About 10 minutes on a quiet machine once the databases exist (building them: a few minutes
more); 32 minutes on 1 December 2026 at a load average of 12-19. ``--quick`` for a try.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import peer_setup  # noqa: E402 -- after the path is set, when run as a script
from bench.project import WSGI_APPLICATION  # noqa: E402

PY = sys.executable
# Another checkout benchmarking at the same time sets these to its own database, Redis
# databases and ports (BENCH_SERVE_DB or BENCH_DB, BENCH_REDIS_DBS="13,14",
# BENCH_PORT_BASE=8530).
DB_NAME = os.environ.get("BENCH_SERVE_DB") or os.environ.get("BENCH_DB", "newsroom_bench_serve")
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
WORKERS = 2
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)
# Redis databases and ports of their own: other checkouts run the older serve benchmark (Redis
# db 5, which it empties, ports 8510-8511) and tests that empty other databases.
NEWSROOM_REDIS_DB, PEER_REDIS_DB = (
    int(n) for n in os.environ.get("BENCH_REDIS_DBS", "13,14").split(",")
)
QUERY_HEADER = "X-Bench-Queries"
_PORT_BASE = int(os.environ.get("BENCH_PORT_BASE", "8530"))
PORTS = {
    "newsroom cached": _PORT_BASE,
    "newsroom uncached": _PORT_BASE + 1,
    "wagtail cached": _PORT_BASE + 2,
    "wagtail uncached": _PORT_BASE + 3,
}
NEWSROOM_KINDS = ["issue", "page", "article", "person"]
PEER_KINDS = ["issue", "article"]


def base_env(cache_url, local_seconds=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DJANGO_SECURE_SSL_REDIRECT="off",
        DATABASE_URL=PG_URL,
        CACHE_URL=cache_url,
        STATIC_ROOT=str(ROOT / "bench" / "out" / "static"),
        PYTHONPATH=str(ROOT),
        BENCH_QUERY_HEADER="1",
    )
    if local_seconds is not None:
        env["PUBLIC_PAGE_LOCAL_SECONDS"] = str(local_seconds)
    env.pop("TESTING", None)
    return env


def cached_env():
    """Newsroom as deployed: pages in Redis, each process's own copy for the default 1 s."""
    return base_env(f"redis://127.0.0.1:6379/{NEWSROOM_REDIS_DB}")


def uncached_env():
    """No page cache anywhere: the dummy cache stores nothing, and the per-process copy
    (issues/caching.py, PUBLIC_PAGE_LOCAL_SECONDS) is off. Nothing else in Newsroom caches
    pages or fragments; the template loader's compiled templates stay, as in production."""
    return base_env("dummycache://", local_seconds=0)


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def prepare_archive(issues, env):
    """Create and fill the benchmark database unless it already holds the archive."""
    if not psql(f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'"):
        psql(f"CREATE DATABASE {DB_NAME}")
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env=env)
    count = peer_setup.newsroom("count-issues", env)
    if count >= issues:
        print(f"archive: reusing {count} issues in {DB_NAME}", flush=True)
    else:
        build_archive(issues, env)
    # Fresh bulk inserts leave the planner with empty-table estimates until autovacuum gets
    # round to them; a production database has long been analysed.
    psql("ANALYZE", DB_NAME)


def build_archive(issues, env):
    from bench.synth import write_archive

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_archive(folder, issues, seed=7)
        run([PY, "manage.py", "import_issues", folder, "-v0", "--no-prerender"], env=env)
        print(
            f"archive: generated and imported {issues} issues in "
            f"{time.perf_counter() - started:.0f} s",
            flush=True,
        )


class Gunicorn:
    """gunicorn with WORKERS sync workers on 127.0.0.1:port, stopped on exit."""

    def __init__(self, name, python, app, cwd, env, port):
        self.name = name
        self.command = [
            str(python),
            "-m",
            "gunicorn",
            app,
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ]
        self.cwd = cwd
        self.env = env
        self.port = port
        self.process = None

    def __enter__(self):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                raise RuntimeError(f"{self.name}: something already listens on port {self.port}")
        self.process = subprocess.Popen(self.command, cwd=self.cwd, env=self.env)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                get(self.port, "/bench/bare/")
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError(f"{self.name}: gunicorn exited") from None
                time.sleep(0.3)
        raise RuntimeError(f"{self.name}: gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def get(port, path):
    """GET a page; return the number of queries it ran (X-Bench-Queries)."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        response.read()
        return int(response.headers[QUERY_HEADER])


def warm(port, paths):
    for path in paths:
        get(port, path)


def check_uncached(port, paths, repeats):
    """Queries of each path requested ``repeats`` times in a row; the repeats are what a
    page cache would answer."""
    return [get(port, path) for path in paths for _ in range(repeats)]


def check_cached(port, paths):
    """Queries of each (already warmed) path, once more."""
    return [get(port, path) for path in paths]


LUA_CYCLE = """
local paths = {%s}
local i = 0
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
"""

# The crawl, in one wrk thread: requests the paths in turn and, with ONCE, stops after one pass
# (as many responses as paths). The last few of those may answer the first requests of a next
# pass (at most connections - 1, sent while the pass's slowest pages were still rendering),
# which come from the cache: with 2,000 URLs and 8 connections, at most 0.35% of the pass.
# Responses are counted; one whose X-Bench-Queries is 0
# was served from the cache. A request that fails gets no response, so the pass also ends once
# the requests sent exceed the paths by twice the connections.
LUA_CRAWL = """
local paths = {%(paths)s}
local ONCE = %(once)s
local SLACK = 2 * %(connections)d
local sent = 0
local received = 0
-- Globals: done() runs in wrk's main Lua state and reads them from the thread.
hits = 0
misses = 0
unknown = 0
local thread_of_run = nil

function setup(thread)
  thread_of_run = thread
end

function finish()
  io.write("CRAWL-PASS-DONE\\n")
  io.flush()
  wrk.thread:stop()
end

function request()
  sent = sent + 1
  if ONCE and sent > #paths + SLACK then
    finish()
  end
  return wrk.format("GET", paths[((sent - 1) %% #paths) + 1])
end

function response(status, headers, body)
  received = received + 1
  local queries = headers["%(header)s"] or headers[string.lower("%(header)s")]
  if queries == nil then
    unknown = unknown + 1
  elseif queries == "0" then
    hits = hits + 1
  else
    misses = misses + 1
  end
  if ONCE and received == #paths then
    finish()
  end
end

function done(summary, latency, requests)
  local t = thread_of_run
  io.write(string.format("CRAWL hits=%%d misses=%%d unknown=%%d\\n",
                         t:get("hits"), t:get("misses"), t:get("unknown")))
end
"""


def wrk(port, script, duration, connections, threads=2, until=None):
    """Run wrk with a Lua script; return (requests/s, p50 ms, p99 ms, errors, output).

    With ``until``, wrk is interrupted (SIGINT: it stops and reports, its run time ending
    then) as soon as the script prints that line: wrk's own ``thread:stop()`` ends the
    thread's requests but not the run, which lasts its whole duration.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as file:
        file.write(script)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        file.name,
        f"http://127.0.0.1:{port}",
    ]
    try:
        with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as process:
            lines = []
            if until:
                for line in process.stdout:
                    lines.append(line)
                    if line.strip() == until:
                        process.send_signal(signal.SIGINT)
                        break
            rest, _ = process.communicate(timeout=duration + 60)
            out = "".join(lines) + rest
        if process.returncode:
            raise subprocess.CalledProcessError(process.returncode, command, out)
    finally:
        os.unlink(file.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = to_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(errors.group(1)) if errors else 0
    # Connect errors and timeouts (a sync worker closes every connection: read errors are not).
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    )
    if socket_errors:
        errors += int(socket_errors.group(1)) + int(socket_errors.group(4))
    return rps, p50, p99, errors, out


def cycle(port, paths, duration, connections, threads=2):
    script = LUA_CYCLE % ", ".join(json.dumps(p) for p in paths)
    return wrk(port, script, duration, connections, threads)[:4]


def crawl(port, paths, duration, connections, once):
    """The crawl script in one wrk thread (stopping one of several would leave its connections
    open and block the sync workers reading them); a dict with the wrk figures and the hits."""
    script = LUA_CRAWL % {
        "paths": ", ".join(json.dumps(p) for p in paths),
        "once": "true" if once else "false",
        "connections": connections,
        "header": QUERY_HEADER,
    }
    rps, p50, p99, errors, out = wrk(
        port, script, duration, connections, threads=1, until="CRAWL-PASS-DONE" if once else None
    )
    found = re.search(r"CRAWL hits=(\d+) misses=(\d+) unknown=(\d+)", out)
    hits, misses, unknown = (int(found.group(i)) for i in (1, 2, 3))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "errors": errors,
        "requests": requests,
        "hits": hits,
        "misses": misses,
        "unknown": unknown,
        "hit_share": hits / max(1, hits + misses + unknown),
    }


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def flush_redis(db):
    subprocess.run(["redis-cli", "-n", str(db), "FLUSHDB"], stdout=subprocess.DEVNULL, check=True)


def lighthouse(url):
    tool = ROOT / "bench" / "out" / "lighthouse"
    binary = tool / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        tool.mkdir(parents=True, exist_ok=True)
        run(
            [
                "npm",
                "install",
                "--prefix",
                str(tool),
                "--no-audit",
                "--no-fund",
                "--silent",
                f"lighthouse@{LIGHTHOUSE_VERSION}",
            ]
        )
    report = tool / "report.json"
    env = dict(os.environ, CHROME_PATH="/usr/bin/chromium")
    subprocess.run(
        [
            str(binary),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--chrome-flags={CHROMIUM_FLAGS}",
            "--form-factor=mobile",
            "--only-categories=performance,accessibility,best-practices,seo",
        ],
        env=env,
        check=True,
        timeout=180,
    )
    data = json.loads(report.read_text())
    scores = {k: round(v["score"] * 100) for k, v in data["categories"].items()}
    # Audits that count towards a score (weight > 0) and did not pass.
    weighted = {
        ref["id"]
        for category in data["categories"].values()
        for ref in category["auditRefs"]
        if ref["weight"] > 0
    }
    failing = [
        audit["id"]
        for audit in data["audits"].values()
        if audit["id"] in weighted and audit.get("score") is not None and audit["score"] < 0.9
    ]
    return scores, failing


def machine():
    model = ""
    for line in subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines():
        if line.startswith("Model name"):
            model = line.split(":", 1)[1].strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "postgresql": psql("SHOW server_version"),
    }


def load1():
    return round(os.getloadavg()[0], 2)


# ----------------------------------------------------------------------------- the run


def parse_args():
    parser = argparse.ArgumentParser(
        description=" ".join(__doc__.split("\n\n")[0].split()),
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--issues", type=int, default=1000, help="issues in the archive")
    parser.add_argument("--duration", type=int, default=4, help="seconds of load per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of every case")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument("--per-kind", type=int, default=200, help="different URLs of each kind")
    parser.add_argument("--checks", type=int, default=10, help="URLs of each kind whose queries "
                        "are checked uncached, each requested --repeats times")  # fmt: skip
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--crawl-urls", type=int, default=2000, help="oldest articles crawled")
    parser.add_argument("--crawl-warm", type=int, default=8, help="seconds of the warm crawl")
    parser.add_argument("--no-peer", action="store_true", help="Newsroom only, no Wagtail")
    parser.add_argument("--no-crawl", action="store_true")
    parser.add_argument("--no-lighthouse", action="store_true")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a short run to try the benchmark: --duration 3 --rounds 1 --per-kind 50 "
        "--crawl-urls 400 --crawl-warm 3 --no-lighthouse",
    )
    args = parser.parse_args()
    if args.quick:
        args.duration, args.rounds, args.per_kind = 3, 1, 50
        args.crawl_urls, args.crawl_warm, args.no_lighthouse = 400, 3, True
    return args


def servers(args):
    """The gunicorn servers of this run, by name."""
    found = {
        "newsroom cached": Gunicorn(
            "newsroom cached", PY, WSGI_APPLICATION, ROOT, cached_env(), PORTS["newsroom cached"]
        ),
        "newsroom uncached": Gunicorn(
            "newsroom uncached",
            PY,
            WSGI_APPLICATION,
            ROOT,
            uncached_env(),
            PORTS["newsroom uncached"],
        ),
    }
    if not args.no_peer:
        peer = peer_setup
        found["wagtail cached"] = Gunicorn(
            "wagtail cached",
            peer.PEER_PY,
            "peersite.wsgi:application",
            peer.PEER,
            peer.peer_env(
                cache="redis",
                page_cache=True,
                redis_url=f"redis://127.0.0.1:6379/{PEER_REDIS_DB}",
            ),
            PORTS["wagtail cached"],
        )
        found["wagtail uncached"] = Gunicorn(
            "wagtail uncached",
            peer.PEER_PY,
            "peersite.wsgi:application",
            peer.PEER,
            peer.peer_env(cache="locmem"),
            PORTS["wagtail uncached"],
        )
    return found


def cases(paths, args):
    """(site, kind, mode) in the order of a round: a kind's Newsroom and Wagtail cases next to
    each other, cached then uncached."""
    order = []
    for kind in NEWSROOM_KINDS:
        for mode in ("cached", "uncached"):
            order.append(("newsroom", kind, mode))
            if not args.no_peer and kind in PEER_KINDS:
                order.append(("wagtail", kind, mode))
    order.append(("newsroom", "one-query", "uncached"))
    return order


def case_paths(paths, site, kind):
    return paths[f"peer-{kind}"] if site == "wagtail" else paths[kind]


def prove_modes(paths, args, running):
    """Query counts through the running servers; stops the run if a mode is not what it says."""
    report = {}
    problems = []
    for site, kinds in (("newsroom", NEWSROOM_KINDS), ("wagtail", PEER_KINDS)):
        if f"{site} cached" not in running:
            continue
        for kind in kinds:
            kind_paths = case_paths(paths, site, kind)
            uncached = check_uncached(
                PORTS[f"{site} uncached"], kind_paths[: args.checks], args.repeats
            )
            cached = check_cached(PORTS[f"{site} cached"], kind_paths)
            report[f"{site} {kind}"] = {"uncached": uncached, "cached": cached}
            if min(uncached) == 0:
                problems.append(
                    f"{site} {kind} uncached: {uncached.count(0)} of {len(uncached)} requests "
                    "ran no query (served from a cache)"
                )
            if max(cached) != 0:
                problems.append(
                    f"{site} {kind} cached: {sum(1 for q in cached if q)} of {len(cached)} "
                    "warmed requests ran queries"
                )
    print(f"\nqueries per request ({QUERY_HEADER}), min / median / max:")
    print(f"{'page':<18}{'uncached':>18}{'requests':>10}{'cached':>14}{'requests':>10}")
    for name, counts in report.items():
        print(
            f"{name:<18}{spread(counts['uncached']):>18}{len(counts['uncached']):>10}"
            f"{spread(counts['cached']):>14}{len(counts['cached']):>10}"
        )
    if problems:
        print("\n".join(problems))
        sys.exit("refusing to report figures: a mode is not what its name says (see above)")
    print(
        f"every uncached request ran queries (each URL {args.repeats} times in a row); "
        "every warmed cached request ran none",
        flush=True,
    )
    return report


def still_cached(paths, running):
    """After the rounds: the cached URLs that now run queries (their entries were evicted or
    expired during the rounds, so the cached figures include renders). Normally none."""
    stale = {}
    for site, kinds in (("newsroom", NEWSROOM_KINDS), ("wagtail", PEER_KINDS)):
        if f"{site} cached" in running:
            for kind in kinds:
                counts = check_cached(PORTS[f"{site} cached"], case_paths(paths, site, kind))
                stale[f"{site} {kind}"] = sum(1 for count in counts if count)
    print(f"cached URLs that ran queries after the rounds: {stale}", flush=True)
    return stale


def spread(counts):
    return f"{min(counts)} / {statistics.median(counts):g} / {max(counts)}"


def measure(paths, args, running, load):
    """Every case in every round, each right after the bare view on its own server."""
    rounds = {case: [] for case in cases(paths, args)}
    for number in range(args.rounds):
        for site, kind, mode in rounds:
            port = PORTS[f"{site} {mode}"]
            bare = cycle(port, ["/bench/bare/"], args.duration, args.connections)
            view = cycle(port, case_paths(paths, site, kind), args.duration, args.connections)
            rounds[(site, kind, mode)].append({"bare": bare, "view": view})
            print(
                f"  {site} {kind} {mode}: {view[0]:.0f} req/s (bare {bare[0]:.0f}), "
                f"p99 {view[2]:.1f} ms, errors {view[3]}/{bare[3]}",
                flush=True,
            )
        load.append(load1())
        print(f"round {number + 1} of {args.rounds} done, load {load[-1]}", flush=True)
    results = {}
    for (site, kind, mode), measured in rounds.items():
        row = summarise([r["view"] for r in measured])
        row["ratio"] = median_ratio([(r["view"][0], r["bare"][0]) for r in measured])
        row["bare"] = summarise([r["bare"] for r in measured])
        if site == "newsroom" and ("wagtail", kind, mode) in rounds:
            peer = rounds[("wagtail", kind, mode)]
            row["vs_wagtail"] = median_ratio(
                [
                    (mine["view"][0], theirs["view"][0])
                    for mine, theirs in zip(measured, peer, strict=True)
                ]
            )
        results[f"{site} {kind} {mode}"] = row
    return results


def median_ratio(pairs):
    """The median of a/b over the rounds where b completed any request (NaN if none did)."""
    ratios = [a / b for a, b in pairs if b]
    return statistics.median(ratios) if ratios else float("nan")


def summarise(rounds):
    return {
        "rps": statistics.median(r[0] for r in rounds),
        "p50": statistics.median(r[1] for r in rounds),
        "p99": statistics.median(r[2] for r in rounds),
        "errors": sum(r[3] for r in rounds),
        "rounds": [list(r) for r in rounds],
    }


def run_crawl(crawl_paths, args, running, load):
    results = {}
    for site, db in (("newsroom", NEWSROOM_REDIS_DB), ("wagtail", PEER_REDIS_DB)):
        if f"{site} cached" not in running:
            continue
        port = PORTS[f"{site} cached"]
        site_paths = crawl_paths["newsroom" if site == "newsroom" else "peer"]
        flush_redis(db)
        # Newsroom's per-process copies trust their generations for up to 1 s; after that
        # they ask Redis, which no longer has them.
        time.sleep(1.5)
        cold = crawl(port, site_paths, 600, args.connections, once=True)
        warm_run = crawl(port, site_paths, args.crawl_warm, args.connections, once=False)
        load.append(load1())
        results[site] = {"cold": cold, "warm": warm_run}
        print(f"crawl {site} done, load {load[-1]}", flush=True)
    return results


def main():
    args = parse_args()
    # Stopped with SIGTERM (a timeout, a kill): unwind, so that the servers are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped by SIGTERM"))
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")
    print(f"machine: {machine()}", flush=True)
    load = [load1()]

    prepare_archive(args.issues, cached_env())
    run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env=cached_env())
    if not args.no_peer:
        peer_setup.prepare_database(cached_env())
        peer_setup.collectstatic()
    paths = peer_setup.newsroom("paths", cached_env(), args.per_kind)
    crawl_paths = peer_setup.newsroom("old-articles", cached_env(), args.crawl_urls)
    flush_redis(NEWSROOM_REDIS_DB)
    flush_redis(PEER_REDIS_DB)

    running = servers(args)
    lighthouse_scores = {}
    latency = {}
    crawl_results = {}
    with contextlib.ExitStack() as stack:
        for server in running.values():
            stack.enter_context(server)
        for name, server in running.items():
            warm(server.port, ["/bench/bare/"] * 20)
            for site, kinds in (("newsroom", NEWSROOM_KINDS), ("wagtail", PEER_KINDS)):
                if name.startswith(site):
                    for kind in kinds:
                        kind_paths = case_paths(paths, site, kind)
                        # Cached: every URL stored before the clock starts. Uncached:
                        # templates compiled and connections open.
                        warm(server.port, kind_paths if "uncached" not in name else kind_paths[:10])
        warm(PORTS["newsroom uncached"], paths["one-query"][:10])
        proof = prove_modes(paths, args, running)
        load.append(load1())

        results = measure(paths, args, running, load)
        stale = still_cached(paths, running)
        # With 8 connections on 2 sync workers a request mostly waits its turn; with one
        # connection per worker the latency is the page's own.
        for site, kinds in (("newsroom", NEWSROOM_KINDS), ("wagtail", PEER_KINDS)):
            if f"{site} uncached" in running:
                for kind in kinds:
                    latency[f"{site} {kind}"] = cycle(
                        PORTS[f"{site} uncached"],
                        case_paths(paths, site, kind),
                        args.duration,
                        WORKERS,
                        threads=1,
                    )
        load.append(load1())
        save(args, load, proof, results, stale, latency, {}, {})
        if not args.no_lighthouse:
            base = f"http://127.0.0.1:{PORTS['newsroom cached']}"
            for page in ("issue", "article"):
                try:
                    lighthouse_scores[page] = lighthouse(base + paths[page][0])
                except subprocess.CalledProcessError as error:
                    # Lighthouse gives up on a loaded machine (NO_NAVSTART); keep the rest.
                    print(f"lighthouse {page} failed: {error}", flush=True)
        if not args.no_crawl:
            crawl_results = run_crawl(crawl_paths, args, running, load)
    load.append(load1())
    report(args, results, latency, crawl_results, lighthouse_scores, load)
    save(args, load, proof, results, stale, latency, crawl_results, lighthouse_scores)


def save(args, load, proof, results, stale, latency, crawl_results, lighthouse_scores):
    """bench/out/serve.json, written after the rounds and again at the end."""
    out = ROOT / "bench" / "out" / "serve.json"
    out.write_text(
        json.dumps(
            {
                "machine": machine(),
                "args": vars(args),
                "load": load,
                "queries": proof,
                "results": results,
                "stale_after_rounds": stale,
                "latency": latency,
                "crawl": crawl_results,
                "lighthouse": lighthouse_scores,
            },
            indent=2,
        )
    )
    print(f"wrote {out.relative_to(ROOT)}", flush=True)


def report(args, results, latency, crawl_results, lighthouse_scores, load):
    print(f"\nload average (1 min) at start, after the checks, each round, ...: {load}")
    print(
        f"wrk: 2 threads, {args.connections} connections; {args.rounds} rounds of "
        f"{args.duration} s per case, each right after {args.duration} s of the bare view on "
        "the same server; medians over the rounds"
    )
    header = (
        f"\n{'case':<28}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'× bare':>8}"
        f"{'bare req/s':>11}{'NR/WT':>7}{'errors':>8}"
    )
    print(header)
    for name, row in results.items():
        versus = f"{row['vs_wagtail']:.2f}" if "vs_wagtail" in row else ""
        print(
            f"{name:<28}{row['rps']:>8.0f}{row['p50']:>9.1f}{row['p99']:>9.1f}"
            f"{row['ratio']:>8.2f}{row['bare']['rps']:>11.0f}{versus:>7}{row['errors']:>8}"
        )
    print("NR/WT: Newsroom's requests/s over Wagtail's, median of the per-round ratios")
    print(f"\nuncached, {WORKERS} connections (no queueing), {args.duration} s:")
    for name, (rps, p50, p99, errors) in latency.items():
        print(f"{name:<28}{rps:>8.0f}{p50:>9.1f}{p99:>9.1f}{'':>8}{'':>11}{'':>7}{errors:>8}")
    if crawl_results:
        print(
            f"\ncrawl: the {args.crawl_urls} oldest articles, {args.connections} connections; "
            f"cold = each once right after the cache was emptied, warm = {args.crawl_warm} s more"
        )
        print(f"{'site':<12}{'run':<6}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
              f"{'from cache':>12}{'errors':>8}")  # fmt: skip
        for site, runs in crawl_results.items():
            for name, row in runs.items():
                print(
                    f"{site:<12}{name:<6}{row['requests']:>9}{row['rps']:>8.0f}"
                    f"{row['p50']:>9.1f}{row['p99']:>9.1f}{row['hit_share']:>11.1%}"
                    f"{row['errors']:>8}"
                )
    checks = [
        ("cached issue ≥ 0.7× bare", results["newsroom issue cached"]["ratio"] >= 0.7),
        ("uncached article ≥ 0.3× bare", results["newsroom article uncached"]["ratio"] >= 0.3),
        (
            f"uncached p99 ≤ 50 ms at {args.connections} connections",
            all(
                row["p99"] <= 50
                for name, row in results.items()
                if name.startswith("newsroom")
                and name.endswith(" uncached")
                and "one-query" not in name
            ),
        ),
        (
            f"uncached p99 ≤ 50 ms at {WORKERS} connections",
            all(v[2] <= 50 for name, v in latency.items() if name.startswith("newsroom")),
        ),
        (
            "no errors",
            all(row["errors"] == 0 for row in results.values())
            and all(v[3] == 0 for v in latency.values())
            and all(r["errors"] == 0 for runs in crawl_results.values() for r in runs.values()),
        ),
    ]
    for page, (scores, failing) in lighthouse_scores.items():
        print(f"lighthouse {page}: {scores}" + (f" failing audits: {failing}" if failing else ""))
        checks.append(
            (
                f"lighthouse {page} perf≥95 a11y/bp/seo=100",
                scores["performance"] >= 95
                and scores["accessibility"] == 100
                and scores["best-practices"] == 100
                and scores["seo"] == 100,
            )
        )
    print()
    for label, ok in checks:
        print(f"{'PASS' if ok else 'MISS'}  {label}")


if __name__ == "__main__":
    main()
