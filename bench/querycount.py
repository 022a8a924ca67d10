"""Bench-only middleware: an ``X-Bench-Queries`` response header with the request's SQL count.

Loaded by the benchmark settings (``bench/settings.py`` for Newsroom, the Wagtail peer's
settings) only when the environment sets ``BENCH_QUERY_HEADER=1``. It imports nothing from
either project. Queries are counted with a database execute wrapper (one function call per
query, no SQL text kept), so it stays on during the timed runs: the serving benchmark reads
the header to prove that an "uncached" page really went to the database and a "cached" one did
not, and to count cache hits in the crawl.
"""

from django.db import connection


class QueryCountMiddleware:
    header = "X-Bench-Queries"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response[self.header] = str(count)
        return response
