# Treatment Content API: the same locked install and the same start-up steps
# as `make run` (migrate, seed, serve), as a non-root user.
#
#   docker build -t treatment-content-api .
#   docker run -p 8000:8000 treatment-content-api
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@db:5432/treatments \
#       -e WEB_CONCURRENCY=4 treatment-content-api
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PORT=8000 \
    WEB_CONCURRENCY=1 \
    DATABASE_URL=sqlite:////data/treatments.db

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /srv/app --no-create-home app \
    && mkdir -p /srv/app /data \
    && chown app:app /data

WORKDIR /srv/app

# Dependencies first (cached until the lock changes), exactly as the Makefile does.
COPY requirements.lock ./
RUN python -m pip install --upgrade pip \
    && python -m pip install --require-hashes -r requirements.lock

# The project itself. Editable, like `make install`: the code finds alembic.ini,
# migrations/ and seed_data/ beside its own source folder.
COPY pyproject.toml README.md alembic.ini docker-entrypoint.sh ./
COPY app/ app/
COPY models/ models/
COPY routers/ routers/
COPY migrations/ migrations/
COPY seed_data/ seed_data/
RUN python -m pip install --no-deps -e . \
    && chmod 0755 docker-entrypoint.sh

USER app
VOLUME ["/data"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c 'import os, urllib.request as u; u.urlopen("http://127.0.0.1:%s/healthz" % os.environ.get("PORT", "8000"), timeout=4)' || exit 1

ENTRYPOINT ["/srv/app/docker-entrypoint.sh"]
