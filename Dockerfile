# The web container: gunicorn serving Newsroom, stateless (PostgreSQL, Redis and object
# storage hold the state), so several can run behind a load balancer.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system newsroom && useradd --system --gid newsroom --home /app newsroom

WORKDIR /app
COPY pyproject.toml README.md ./
RUN pip install .
COPY --chown=newsroom:newsroom . .
RUN mkdir -p /app/media /app/staticfiles && chown newsroom:newsroom /app/media /app/staticfiles

USER newsroom
EXPOSE 8000
ENTRYPOINT ["/app/docker-entrypoint.sh"]
CMD ["gunicorn", "newsroom.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
