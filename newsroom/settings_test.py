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
