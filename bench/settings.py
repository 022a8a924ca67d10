"""Settings for the serving benchmark: the real settings plus two bench views to compare with,
and, when the benchmark asks for it (BENCH_QUERY_HEADER=1), a header counting each request's
SQL queries (bench/querycount.py)."""

import os

from newsroom.settings import *  # noqa: F403 -- the benchmark must measure the real stack
from newsroom.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"

if os.environ.get("BENCH_QUERY_HEADER") == "1":
    # Outermost, so that it counts every query of the request, cached or not.
    MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]

if os.environ.get("BENCH_AXES_OFF") == "1":
    # bench/login_guessing.py's contrast: the login as it was before django-axes.
    AXES_ENABLED = False
