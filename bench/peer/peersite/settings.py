"""Settings of the Wagtail peer: Wagtail's project template (wagtail start), trimmed to what a
newspaper site needs, run the way bench/serve.py runs Newsroom (DEBUG off, PostgreSQL, WhiteNoise,
gunicorn). Chosen by the environment:

- PEER_DATABASE: the PostgreSQL database (default newsroom_bench_peer on 127.0.0.1);
- PEER_CACHE: ``redis`` (at PEER_REDIS_URL) or ``locmem`` (Django's default, the default here);
- PEER_PAGE_CACHE=1: Django's per-site cache middleware (whole pages in that cache);
- BENCH_QUERY_HEADER=1: the X-Bench-Queries header (bench/querycount.py, needs the repository
  root on PYTHONPATH).
"""

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent
BASE_DIR = PROJECT_DIR.parent
OUT_DIR = BASE_DIR.parent / "out"

DEBUG = False
SECRET_KEY = "benchmark-only-" + "p" * 40
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

INSTALLED_APPS = [
    "news",
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "peersite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PROJECT_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "peersite.wsgi.application"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("PEER_DATABASE", "newsroom_bench_peer"),
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        # As Newsroom's settings: persistent connections, checked at the start of a request.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}

if os.environ.get("PEER_CACHE") == "redis":
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ.get("PEER_REDIS_URL", "redis://127.0.0.1:6379/14"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if os.environ.get("PEER_PAGE_CACHE") == "1":
    # Django's per-site cache: anonymous GET responses stored whole for CACHE_MIDDLEWARE_SECONDS.
    MIDDLEWARE = [
        "django.middleware.cache.UpdateCacheMiddleware",
        *MIDDLEWARE,
        "django.middleware.cache.FetchFromCacheMiddleware",
    ]
    # As long as Newsroom keeps a page entry (issues/caching.py, PAGE_TIMEOUT): a day.
    CACHE_MIDDLEWARE_SECONDS = 60 * 60 * 24
    CACHE_MIDDLEWARE_KEY_PREFIX = "peer"

if os.environ.get("BENCH_QUERY_HEADER") == "1":
    MIDDLEWARE = ["bench.querycount.QueryCountMiddleware", *MIDDLEWARE]

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = OUT_DIR / "peer-static"
STATIC_URL = "/static/"
MEDIA_ROOT = OUT_DIR / "peer-media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

WAGTAIL_SITE_NAME = "今日罗塘"
WAGTAILADMIN_BASE_URL = "http://127.0.0.1"
# Pages are loaded in bulk and never searched here: no search index on save.
WAGTAILSEARCH_BACKENDS = {
    "default": {"BACKEND": "wagtail.search.backends.database", "AUTO_UPDATE": False}
}
