#!/bin/sh
# Migrate and collect static files, then hand over to the command (gunicorn).
set -e
python manage.py migrate --no-input
python manage.py collectstatic --no-input --verbosity 0
exec "$@"
