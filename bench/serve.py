"""Serving benchmark: the public pages under gunicorn, cached and uncached, against a bare view.

    python bench/serve.py [--issues 1000] [--duration 4] [--rounds 3] [--connections 8]
                          [--no-lighthouse]

What it does, in one run:
1. makes sure the PostgreSQL database newsroom_bench_serve holds a synthetic archive of
   --issues issues (bench/synth.py + import_issues; reused when already complete);
2. starts gunicorn with 2 workers on 127.0.0.1 twice: once with Redis as the cache (the
   production shape: anonymous pages come from the cache) and once with Django's dummy cache
   (every request renders from the database);
3. drives each with wrk on loopback, for a bounded time, over many different URLs of each
   kind (issue, page, article, person), each round right after a round of a bare Django view
   that returns a short string (the ceiling of this stack on this machine); then, uncached,
   with one connection per worker, for the pages' own latency without queueing;
4. runs Lighthouse (npm lighthouse@12.2.3, Debian's Chromium) in mobile mode on an issue and
   an article page;
5. prints requests/s, p50 and p99 per view, and the ratios the targets are stated in.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = "newsroom_bench_serve"
PG_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
PORT = 8510
WORKERS = 2
LIGHTHOUSE_VERSION = "12.2.3"
CHROMIUM_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run"
)


def base_env(cache_url):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="off",
        DATABASE_URL=PG_URL,
        CACHE_URL=cache_url,
        STATIC_ROOT=str(ROOT / "bench" / "out" / "static"),
        PYTHONPATH=str(ROOT),
    )
    env.pop("TESTING", None)
    return env


def run(cmd, env=None, **kwargs):
    return subprocess.run(cmd, cwd=ROOT, env=env, check=True, **kwargs)


def psql(sql):
    run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", sql], stdout=subprocess.DEVNULL)


def prepare_archive(issues, env):
    """Create and fill the benchmark database unless it already holds the archive."""
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-tAc",
            f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'",
        ],
        capture_output=True,
        text=True,
    ).stdout.strip()
    if not exists:
        psql(f"CREATE DATABASE {DB_NAME}")
    run([PY, "manage.py", "migrate", "--no-input", "-v0"], env=env)
    count = int(query(env, "from issues.models import Issue; print(Issue.objects.count())"))
    if count >= issues:
        print(f"archive: reusing {count} issues in {DB_NAME}")
    else:
        build_archive(issues, env)
    # Fresh bulk inserts leave the planner with empty-table estimates until autovacuum gets
    # round to them; a production database has long been analysed.
    psql_db("ANALYZE")


def psql_db(sql):
    run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-d", DB_NAME, "-c", sql],
        stdout=subprocess.DEVNULL,
    )


def build_archive(issues, env):
    sys.path.insert(0, str(ROOT))
    from bench.synth import write_archive

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        write_archive(folder, issues, seed=7)
        run([PY, "manage.py", "import_issues", folder, "-v0", "--no-prerender"], env=env)
        print(
            f"archive: generated and imported {issues} issues in "
            f"{time.perf_counter() - started:.0f} s"
        )


def query(env, code):
    out = subprocess.run(
        [PY, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return out.stdout.strip()


def pick_paths(env, per_kind=200):
    """Many different URLs of each kind, from the published archive."""
    code = f"""
import json
from articles.models import Article
from issues.models import Issue, Page
from people.models import Person
issues = list(Issue.objects.published().select_related('publication').order_by('?')[:{per_kind}])
pages = list(Page.objects.published().select_related('issue__publication')
             .order_by('?')[:{per_kind}])
articles = list(Article.objects.published().select_related('page__issue__publication')
                .order_by('?')[:{per_kind}])
people = list(Person.objects.filter(bylines__article__status='published').distinct()
              .order_by('?')[:{per_kind}])
print(json.dumps({{
    'issue': [i.get_absolute_url() for i in issues],
    'page': [p.get_absolute_url() for p in pages],
    'article': [a.get_absolute_url() for a in articles],
    'person': [p.get_absolute_url() for p in people],
    'one-query': [f'/bench/one-query/{{a.pk}}/' for a in articles],
}}))
"""
    return json.loads(query(env, code))


class Gunicorn:
    def __init__(self, env):
        self.env = env
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            [
                PY,
                "-m",
                "gunicorn",
                "newsroom.wsgi:application",
                "--workers",
                str(WORKERS),
                "--bind",
                f"127.0.0.1:{PORT}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/bench/bare/", timeout=1)
                return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 30 s")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


LUA = """
local paths = {%s}
local i = 0
request = function()
  i = (i %% #paths) + 1
  return wrk.format("GET", paths[i])
end
"""


def measure(paths, label, args):
    """Each view in rounds, each round right after a round of the bare view.

    The machine is shared and its load drifts by a factor of two within minutes; a ratio
    taken between neighbouring rounds, and the median of those, is what holds still.
    """
    results = {}
    bare_rounds = []
    for kind, kind_paths in paths.items():
        rounds = []
        for _ in range(args.rounds):
            bare = wrk(["/bench/bare/"], args.duration, args.connections)
            view = wrk(kind_paths, args.duration, args.connections)
            bare_rounds.append(bare)
            rounds.append((view, view[0] / bare[0]))
        results[f"{kind} {label}"] = summarise([view for view, _ in rounds])
        results[f"{kind} {label}"]["ratio"] = statistics.median(r for _, r in rounds)
    results[f"bare ({label})"] = summarise(bare_rounds)
    results[f"bare ({label})"]["ratio"] = 1.0
    return results


def summarise(rounds):
    return {
        "rps": statistics.median(r[0] for r in rounds),
        "p50": statistics.median(r[1] for r in rounds),
        "p99": statistics.median(r[2] for r in rounds),
        "errors": sum(r[3] for r in rounds),
        "rounds": rounds,
    }


def wrk(paths, duration, connections, threads=2):
    """Run wrk over the paths in turn; return (requests/s, p50 ms, p99 ms, non-2xx)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(LUA % ", ".join(json.dumps(p) for p in paths))
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{threads}",
                f"-c{connections}",
                f"-d{duration}s",
                "--latency",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"http://127.0.0.1:{PORT}",
            ],
            capture_output=True,
            text=True,
            check=True,
            timeout=duration + 30,
        ).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = to_ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1))
    p99 = to_ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = int(errors.group(1)) if errors else 0
    # Connect/read/write errors and timeouts (a sync worker closes every connection).
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if socket:
        errors += int(socket.group(1)) + int(socket.group(4))
    return rps, p50, p99, errors


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def warm(paths):
    for path in paths:
        urllib.request.urlopen(f"http://127.0.0.1:{PORT}{path}", timeout=10).read()


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=4, help="seconds of load per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--no-lighthouse", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install -y wrk")

    cached_env = base_env("redis://127.0.0.1:6379/5")
    uncached_env = base_env("dummycache://")
    prepare_archive(args.issues, cached_env)
    run([PY, "manage.py", "collectstatic", "--no-input", "-v0"], env=cached_env)
    paths = pick_paths(cached_env)
    # Not a page: one ORM query and no template, measured uncached only, as the floor.
    floor = {"one-query": paths.pop("one-query")}
    subprocess.run(["redis-cli", "-n", "5", "FLUSHDB"], stdout=subprocess.DEVNULL)

    load = [os.getloadavg()[0]]
    results = {}
    with Gunicorn(cached_env):
        warm(["/bench/bare/"] * 20)
        for kind_paths in paths.values():
            warm(kind_paths)  # every URL in the cache before the clock starts
        results.update(measure(paths, "cached", args))
        lighthouse_scores = {}
        if not args.no_lighthouse:
            base = f"http://127.0.0.1:{PORT}"
            lighthouse_scores["issue"] = lighthouse(base + paths["issue"][0])
            lighthouse_scores["article"] = lighthouse(base + paths["article"][0])
    load.append(os.getloadavg()[0])
    latency = {}
    with Gunicorn(uncached_env):
        warm(["/bench/bare/"] * 20)
        for kind_paths in paths.values():
            warm(kind_paths[:10])  # templates compiled, connections open
        results.update(measure(paths | floor, "uncached", args))
        # With 8 connections on 2 sync workers a request mostly waits its turn; with one
        # connection per worker the latency is the page's own.
        for kind, kind_paths in paths.items():
            latency[kind] = wrk(kind_paths, args.duration, WORKERS, threads=1)
    load.append(os.getloadavg()[0])

    print(f"\nload average (1 min) at start / between servers / end: {load}")
    print(
        f"wrk: 2 threads, {args.connections} connections; {args.rounds} rounds of "
        f"{args.duration} s per view, each right after {args.duration} s of the bare view; "
        "medians over the rounds"
    )
    print(f"\n{'view':<18}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'× bare':>8}{'errors':>8}")
    for name, row in results.items():
        print(
            f"{name:<18}{row['rps']:>8.0f}{row['p50']:>9.1f}{row['p99']:>9.1f}"
            f"{row['ratio']:>8.2f}{row['errors']:>8}"
        )
    print(f"\nuncached, {WORKERS} connections (no queueing), {args.duration} s:")
    for kind, (rps, p50, p99, errors) in latency.items():
        print(f"{kind:<18}{rps:>8.0f}{p50:>9.1f}{p99:>9.1f}{'':>8}{errors:>8}")
    uncached = [row for name, row in results.items() if name.endswith(" uncached")]
    checks = [
        ("cached issue ≥ 0.7× bare", results["issue cached"]["ratio"] >= 0.7),
        ("uncached article ≥ 0.3× bare", results["article uncached"]["ratio"] >= 0.3),
        (
            f"uncached p99 ≤ 50 ms at {args.connections} connections",
            all(row["p99"] <= 50 for row in uncached),
        ),
        (
            f"uncached p99 ≤ 50 ms at {WORKERS} connections",
            all(p99 <= 50 for _, _, p99, _ in latency.values()),
        ),
        (
            "no errors",
            all(row["errors"] == 0 for row in results.values())
            and all(errors == 0 for *_, errors in latency.values()),
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
    out = ROOT / "bench" / "out" / "serve.json"
    out.write_text(
        json.dumps({"results": results, "lighthouse": lighthouse_scores, "load": load}, indent=2)
    )


if __name__ == "__main__":
    main()
