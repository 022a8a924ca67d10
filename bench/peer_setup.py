"""The Wagtail peer of the serving benchmarks: its virtualenv, its database and how to run it.

- ``ensure_venv()``: bench/out/peer-venv from bench/peer/requirements.txt (pinned), made again
  whenever that file changes;
- ``prepare_database(newsroom_env)``: the PostgreSQL database newsroom_bench_peer holding the
  same published issues and articles as Newsroom's bench database (exported with
  ``bench/project.py export-peer``, loaded with the peer's ``load_archive`` command); reused
  when it already holds as many issues and articles as Newsroom publishes;
- ``peer_env(...)``: the environment of a peer process (cache, page cache, query header).
"""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT / "bench" / "peer"
OUT = ROOT / "bench" / "out"
VENV = OUT / "peer-venv"
PEER_PY = VENV / "bin" / "python"
REQUIREMENTS = PEER / "requirements.txt"
DB_NAME = os.environ.get("BENCH_PEER_DB", "newsroom_bench_peer")
EXPORT = OUT / "peer-archive.json"


def peer_env(cache="locmem", page_cache=False, query_header=True, redis_url=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PEER_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="peersite.settings",
        PEER_DATABASE=DB_NAME,
        PEER_CACHE=cache,
        # bench.querycount from the repository root, peersite and news from bench/peer.
        PYTHONPATH=f"{ROOT}{os.pathsep}{PEER}",
    )
    if redis_url:
        env["PEER_REDIS_URL"] = redis_url
    if page_cache:
        env["PEER_PAGE_CACHE"] = "1"
    if query_header:
        env["BENCH_QUERY_HEADER"] = "1"
    return env


def ensure_venv():
    stamp = VENV / "requirements.txt"
    wanted = REQUIREMENTS.read_text()
    if PEER_PY.exists() and stamp.exists() and stamp.read_text() == wanted:
        return
    print("peer: creating bench/out/peer-venv from bench/peer/requirements.txt", flush=True)
    shutil.rmtree(VENV, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run(
        [str(PEER_PY), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)], check=True
    )
    stamp.write_text(wanted)


def manage(*args, env=None, capture=False):
    result = subprocess.run(
        [str(PEER_PY), "manage.py", *args],
        cwd=PEER,
        env=env or peer_env(query_header=False),
        check=True,
        capture_output=capture,
        text=True,
    )
    return result.stdout if capture else None


def psql(sql, database="postgres"):
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAqc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def newsroom(command, env, *args):
    """Run ``python -m bench.project COMMAND`` in Newsroom's environment; its JSON answer."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.project", command, *map(str, args)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def peer_counts():
    if not psql(f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'"):
        return None
    try:
        issues = psql("SELECT count(*) FROM news_issuepage", DB_NAME)
        articles = psql("SELECT count(*) FROM news_articlepage", DB_NAME)
    except subprocess.CalledProcessError:  # not migrated
        return None
    return {"issues": int(issues), "articles": int(articles)}


def prepare_database(newsroom_env):
    """Make newsroom_bench_peer hold Newsroom's published archive, unless it already does."""
    ensure_venv()
    wanted = newsroom("published-counts", newsroom_env)
    if peer_counts() == wanted:
        print(f"peer: reusing {wanted['issues']} issues in {DB_NAME}", flush=True)
        return
    started = time.perf_counter()
    psql(f"DROP DATABASE IF EXISTS {DB_NAME}")
    psql(f"CREATE DATABASE {DB_NAME}")
    manage("migrate", "--no-input", "-v0")
    exported = newsroom("export-peer", newsroom_env, EXPORT)
    print(f"peer: exported {exported} from Newsroom", flush=True)
    manage("load_archive", str(EXPORT))
    psql("ANALYZE", DB_NAME)  # as for Newsroom: the planner needs statistics of the new rows
    print(f"peer: database ready in {time.perf_counter() - started:.0f} s", flush=True)


def collectstatic():
    """WhiteNoise's compressed, hashed copies (Wagtail's admin has thousands: done once)."""
    if not (OUT / "peer-static" / "staticfiles.json").exists():
        manage("collectstatic", "--no-input", "-v0")
