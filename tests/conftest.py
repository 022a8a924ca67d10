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
