"""Settings for the test run (pytest's DJANGO_SETTINGS_MODULE): the site's settings, read from
the environment as usual (CI sets DATABASE_URL and CACHE_URL), with two changes that only
tests want."""

from newsroom.settings import *  # noqa: F403

# Tests render templates without running collectstatic first: no manifest of hashed names.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Test users need a password, not a slow one: each desk persona costs 0.3 s otherwise.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Publishing in a test does not pre-render the public pages (tens of renders each time): the
# dummy backend only records what was queued. Tests of pre-rendering switch to "immediate".
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
# Pre-rendered pages are keyed by the origin the test client uses.
PUBLIC_SITE_URL = ["http://testserver"]
# The login's POST rate limit counts in the cache, which outlives a test: off here, so that
# tests (and browser tests) logging in many times from 127.0.0.1 are not refused. The tests of
# the limit switch it on (tests/newsroom/test_ratelimit.py).
LOGIN_POST_RATE = 0
