import os

import pytest
from django.db import connection


@pytest.fixture(scope="session", autouse=True)
def _expected_database(django_db_setup, django_db_blocker):
    """CI's PostgreSQL pass sets NEWSROOM_EXPECT_DB so that PostgreSQL-only tests cannot
    quietly skip because the suite ran on SQLite by mistake."""
    expected = os.environ.get("NEWSROOM_EXPECT_DB")
    if expected and connection.vendor != expected:
        pytest.exit(f"expected the {expected} database, got {connection.vendor}", returncode=3)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public pages are cached whole; a page cached by one test must not answer the next
    (its rows were rolled back, but a generation bump is not)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
