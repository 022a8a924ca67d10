"""Cache flooding (issue 11): 1,000 distinct junk query strings on one cached page.

    python bench/flood.py [--database-url URL] [--redis-url URL] [--requests 1000]

Requests an issue page of the archive with ``?utm=N&from=timeline`` for N = 1 … --requests,
in-process through Django's test Client (the whole middleware stack, DEBUG off), with the
Redis page cache and no per-process copy (PUBLIC_PAGE_LOCAL_SECONDS=0: every request goes to
Redis, as in a web process that did not serve the page within the last second). It prints the
Redis key count and used memory before and after, the median and p99 time of the junk
requests next to the plain URL's, and the queries the junk requests ran (0 when they are
served from the one cached entry).

The Redis database given is flushed first: give the benchmark one of its own. The database
is the serving benchmark's archive (bench/serve.py builds it) unless --database-url says.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/newsroom_bench_serve"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="off",
        DJANGO_SECRET_KEY="benchmark-only-" + "k" * 40,
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="off",
        DATABASE_URL=args.database_url,
        CACHE_URL=args.redis_url,
        PUBLIC_PAGE_LOCAL_SECONDS="0",
        STATIC_ROOT=str(ROOT / "bench" / "out" / "static"),
    )
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from issues.models import Issue

    call_command("collectstatic", "--no-input", verbosity=0)
    redis = cache._cache.get_client()
    redis.flushdb()
    issue = Issue.objects.published().select_related("publication").order_by("-number").first()
    url = issue.get_absolute_url()
    client = Client()
    client.get(url)  # the one entry, rendered once

    def info():
        return redis.dbsize(), redis.info("memory")["used_memory"]

    def timed(path):
        started = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, path
        return (time.perf_counter() - started) * 1000

    keys_before, memory_before = info()
    plain = [timed(url) for _ in range(200)]
    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        junk = [timed(f"{url}?utm={n}&from=timeline") for n in range(1, args.requests + 1)]
    keys_after, memory_after = info()

    def p(values, q):
        return sorted(values)[min(len(values) - 1, int(len(values) * q))]

    print(f"{url}: {args.requests} distinct junk query strings (?utm=N&from=timeline)")
    print(f"redis keys   before {keys_before:6d}  after {keys_after:6d}")
    print(f"redis memory before {memory_before / 1e6:6.2f} MB after {memory_after / 1e6:6.2f} MB")
    print(f"plain URL    median {statistics.median(plain):5.2f} ms  p99 {p(plain, 0.99):5.2f} ms")
    print(f"junk URLs    median {statistics.median(junk):5.2f} ms  p99 {p(junk, 0.99):5.2f} ms")
    print(f"queries run by the junk requests: {queries}")
    print(f"load average: {os.getloadavg()[0]:.1f}")
    redis.flushdb()


if __name__ == "__main__":
    main()
