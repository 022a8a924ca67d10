"""Settings for Newsroom, read from the environment (and an optional .env file).

Development needs nothing set: SQLite in the project folder, a local-memory cache, DEBUG on.
Production sets DJANGO_DEBUG=off and must then give DJANGO_SECRET_KEY; there is no built-in
fallback key, so a forgotten secret stops the start-up instead of signing cookies with a
known value.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DJANGO_DEBUG", default=True)

if DEBUG:
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-only-for-debug")
else:
    SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    # Django only warns (security.W009) about a short or well-known key; production refuses.
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be at least 50 characters with 5 different ones "
            "(generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is a django-insecure development key.")

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "csp",
    "axes",
    "django_filters",
    "simple_history",
    # Background tasks (pre-rendering public pages after a publish): the django-tasks backport
    # of Django 6's django.tasks, and its database backend (a queue in our own PostgreSQL).
    "django_tasks",
    "django_tasks_db",
    # Our rooms, lowest first: each imports only the ones above it in this list
    # (the layers contract in pyproject.toml checks it).
    "people",
    "issues",
    "articles",
    "search",
    "public",
    "desk",
    "backissues",
]

MIDDLEWARE = [
    # First: a flood of login POSTs is refused before any session, database or template work.
    "newsroom.ratelimit.LoginPostRateLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Records the logged-in user on every revision of an article's text.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A locked SQLite database (an import writing) answers with a plain page, not a 500.
    "desk.middleware.DatabaseBusyMiddleware",
    # Last: refuses a locked-out login before the admin's login view runs.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only,
# no inline script anywhere (the admin has none since Django 4); small JS files of ours are
# served from /static/. Nothing may frame our pages, and forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# The admin login (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one user name,
# or from one address, further attempts are refused with 429 for LOGIN_LOCKOUT_MINUTES; a
# right password before that resets the count. Failures are kept in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.security.locked_out"
AXES_CLIENT_IP_CALLABLE = "newsroom.security.client_ip"
# How many load balancers in front add to X-Forwarded-For (0: use the connection's address).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXIES", default=0)
# Before any of that (newsroom/ratelimit.py): more than LOGIN_POST_RATE POSTs to the login from
# one address in LOGIN_POST_WINDOW seconds get an immediate 429 (counted in the cache; 0: off).
LOGIN_POST_RATE = env.int("LOGIN_POST_RATE", default=10)
LOGIN_POST_WINDOW = env.int("LOGIN_POST_WINDOW", default=60)

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "public.context_processors.site_publication",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://newsroom")}
# Each web process serves pages it rendered or fetched lately from its own memory for this
# long before asking the shared cache again (public/caching.py); 0 always asks.
PUBLIC_PAGE_LOCAL_SECONDS = env.float("PUBLIC_PAGE_LOCAL_SECONDS", default=1.0)
PUBLIC_PAGE_LOCAL_BYTES = env.int("PUBLIC_PAGE_LOCAL_BYTES", default=32 * 1024 * 1024)

# Pages larger than this are served but never stored in the cache (public/caching.py).
PUBLIC_PAGE_MAX_BYTES = env.int("PUBLIC_PAGE_MAX_BYTES", default=4 * 1024 * 1024)
# How long a CDN in front of the site may serve a public page without asking us again
# (Cache-Control s-maxage; browsers always revalidate). 0: shared caches revalidate too.
PUBLIC_PAGE_CDN_SECONDS = env.int("PUBLIC_PAGE_CDN_SECONDS", default=0)
# Called (POST, JSON body) after every change that makes cached public pages stale, so a CDN
# can drop them; empty: no CDN to tell. See README, "The public site".
CDN_PURGE_URL = env("CDN_PURGE_URL", default="")
# The origins readers reach the site by (scheme://host[:port], comma-separated): public pages
# are pre-rendered into the cache for each of them after a publish (public/prerender.py).
PUBLIC_SITE_URL = env.list("PUBLIC_SITE_URL", default=["http://127.0.0.1:8000"])

# Background tasks. "immediate" (the default, no worker): a task runs at once, in the process
# that queued it, after the transaction commits. "database": tasks wait in the database for
# `manage.py db_worker` (docker-compose runs it as the `worker` service).
TASKS_BACKEND = env("TASKS_BACKEND", default="immediate")
_TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# import_issues refuses a file larger than this (one issue is well under 1 MB of text).
IMPORT_MAX_FILE_BYTES = int(env.float("IMPORT_MAX_FILE_MB", default=20) * 1024 * 1024)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Chinese first: zh_Hans is what every reader and editor sees; English is the source language.
LANGUAGE_CODE = "zh-hans"
# Readers and staff get Chinese whatever their browser asks for: no LocaleMiddleware, so
# Accept-Language never switches a page (or a cached copy of it) to English.
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Compressed files with hashed names, served by WhiteNoise with far-future cache headers.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Where uploaded and generated files live. "files": MEDIA_ROOT, served by the site's /media/
# view (public/media_views.py) whatever DEBUG says. "s3": an S3-compatible bucket through
# django-storages (newsroom/storage.py): readers fetch renditions, page images and PDFs from
# MEDIA_PUBLIC_URL (the bucket, or a CDN in front of it); originals stay private.
MEDIA_STORAGE = env("MEDIA_STORAGE", default="files")
if MEDIA_STORAGE == "s3":
    _bucket = env("AWS_STORAGE_BUCKET_NAME", default="")
    if not _bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    _endpoint = env("AWS_S3_ENDPOINT_URL", default="") or None
    _region = env("AWS_S3_REGION_NAME", default="") or "us-east-1"
    # Empty (as docker-compose passes an unset variable): the bucket's own URL.
    MEDIA_PUBLIC_URL = env("MEDIA_PUBLIC_URL", default="") or (
        f"{_endpoint.rstrip('/')}/{_bucket}"
        if _endpoint
        else f"https://{_bucket}.s3.{_region}.amazonaws.com"
    )
    STORAGES["default"] = {
        "BACKEND": "newsroom.storage.MediaS3Storage",
        "OPTIONS": {
            "bucket_name": _bucket,
            "endpoint_url": _endpoint,
            "region_name": _region,
            # Unset: boto3 finds credentials itself (instance role, ~/.aws).
            "access_key": env("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default="") or None,
            # S3-compatible servers (MinIO, moto) are addressed by path, AWS by host name.
            "addressing_style": "path" if _endpoint else None,
            # Off for a bucket that refuses ACLs: grant public read on renditions/*, pages/*
            # and issues/* with a bucket policy instead (README, "Media in production").
            "object_acls": env.bool("AWS_S3_OBJECT_ACLS", default=True),
        },
    }
    # Pages show images from the bucket (or its CDN).
    _origin = "/".join(MEDIA_PUBLIC_URL.split("/", 3)[:3])
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(_origin)
elif MEDIA_STORAGE != "files":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be files or s3, not {MEDIA_STORAGE!r}.")

# Uploaded page scans (PDF) can be large; keep uploads in files rather than in memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Per-upload limits (imaging/validate.py): a larger file or image is refused with a message.
PHOTO_UPLOAD_MAX_BYTES = env.int("PHOTO_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)
PHOTO_MAX_MEGAPIXELS = env.int("PHOTO_MAX_MEGAPIXELS", default=60)
SCAN_UPLOAD_MAX_BYTES = env.int("SCAN_UPLOAD_MAX_BYTES", default=50 * 1024 * 1024)
SCAN_MAX_MEGAPIXELS = env.int("SCAN_MAX_MEGAPIXELS", default=100)

LOGIN_URL = "admin:login"

if not DEBUG:
    # Behind a TLS-terminating load balancer that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "same-origin"
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}
