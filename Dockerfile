# Production image: gunicorn web, Celery worker and beat all run from this one image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HAVEN_ENV=production

WORKDIR /app

RUN groupadd --system haven && useradd --system --gid haven --home-dir /app haven

COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/constraints.txt
COPY config config
COPY core core
COPY notices notices
COPY accounts accounts
COPY referrals referrals
COPY sessions_booking sessions_booking
COPY partners partners
COPY home home
COPY reports reports
COPY dataprotection dataprotection
RUN pip install -c requirements/constraints.txt .

COPY . .
# Hash and compress static files at build time; this key exists only for this build step.
RUN SECRET_KEY=collectstatic-build-step-only-not-used-at-runtime-0123456789abcdef \
    FIELD_ENCRYPTION_SALTS=collectstatic-build-step-only ALLOWED_HOSTS=build DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput

USER haven
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py"]
