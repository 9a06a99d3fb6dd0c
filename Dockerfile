# Cairn's production image: gunicorn serving Django, the same image runs the Celery worker and beat.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    CAIRN_VAR_DIR=/srv/cairn/var

# Pango for WeasyPrint's PDFs; no compilers needed (every dependency ships a wheel).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --home-dir /srv/cairn cairn

WORKDIR /srv/cairn/app
# The locked versions (made from pyproject.toml by `make lock`): requirements/base.txt, or
# requirements/s3.txt (the same with S3-compatible storage for the PDFs) with
# `--build-arg REQUIREMENTS=requirements/s3.txt`.
ARG REQUIREMENTS=requirements/base.txt
COPY requirements/ requirements/
RUN pip install --no-deps -r ${REQUIREMENTS}
COPY . .
# collectstatic needs settings that load; these placeholders are not used at run time.
RUN SECRET_KEY=collectstatic DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --noinput \
    && mkdir -p /srv/cairn/var && chown -R cairn /srv/cairn/var

USER cairn
EXPOSE 8000
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
