# One image for web, worker and beat.

# KRDS, the government design system, exactly as package-lock.json pins it (npm ci checks every
# sha512; no install scripts). Only its files reach the app stage: no Node.js in the image.
FROM node:20-bookworm-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app

# The system packages the app needs are the Makefile's APP_PACKAGES (one list): Korean fonts and the
# Pango libraries WeasyPrint renders PDF reports with.
COPY Makefile ./
RUN packages="$(sed -n 's/^APP_PACKAGES := //p' Makefile)" && test -n "$packages" \
    && apt-get update \
    && apt-get install -y --no-install-recommends gettext $packages \
    && rm -rf /var/lib/apt/lists/*

# The runtime packages exactly as requirements.lock pins them, every file checked against its sha256
# (make lock): the same versions as CI's environment, which installs requirements-dev.lock. pip and
# setuptools come from the lock too. Its own layer, so a code change does not reinstall them.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .
# Before collectstatic: settings.STATICFILES_DIRS serves node_modules/krds-uiux/resources as krds/.
COPY --from=assets /assets/node_modules/krds-uiux /app/node_modules/krds-uiux
# The app itself: no dependency of its own (all in the lock) and no build isolation (the locked
# setuptools builds it). Static files are collected under the production settings: the manifest every
# page's {% static %} needs. The key and hosts below exist for this command only; the container gets
# its own.
RUN pip install --no-deps --no-build-isolation . \
    && DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=collectstatic-at-build-time-only \
       ALLOWED_HOSTS=build.invalid python manage.py collectstatic --noinput \
    && useradd --system --create-home smartfactory

# Not root. Files live in the object store (STORAGE_BUCKET): the image keeps none and needs no media
# directory; a report is written to a temporary file first (TMPDIR, /tmp, writable by every user)
# and saved to the store complete.
ENV TMPDIR=/tmp
USER smartfactory
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2"]
