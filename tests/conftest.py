import contextlib
import os

import pytest
from django.db import connection
from hypothesis import settings as hypothesis_settings

# CI explores the same examples on every run, so a red build is reproducible; developers'
# runs keep exploring new ones.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(scope="session", autouse=True)
def _expected_database(django_db_setup, django_db_blocker):
    """CI's PostgreSQL pass sets NEWSROOM_EXPECT_DB so that PostgreSQL-only tests cannot
    quietly skip because the suite ran on SQLite by mistake."""
    expected = os.environ.get("NEWSROOM_EXPECT_DB")
    if expected and connection.vendor != expected:
        pytest.exit(f"expected the {expected} database, got {connection.vendor}", returncode=3)
    from django.db import DatabaseError

    from tests import factories

    # A run of tests that never touch the database may have no tables to read (SQLite's test
    # database lives in memory while a test uses it); it needs no snapshot either.
    with django_db_blocker.unblock(), contextlib.suppress(DatabaseError):
        factories.remember_desk_groups()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public pages are cached whole; a page cached by one test must not answer the next
    (its rows were rolled back, but a generation bump is not)."""
    from django.core.cache import cache

    from public.caching import clear_local_copies

    cache.clear()
    clear_local_copies()
    yield
    cache.clear()
