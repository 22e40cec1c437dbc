FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=civic.settings.production
# Pango for WeasyPrint (PDF reports); gettext for compilemessages.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 gettext \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
# Static files are collected at build time; the values below only let the settings load.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build REDIS_URL=redis://localhost \
    ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput \
 && useradd --create-home civic && mkdir -p /app/var/media /app/var/private && chown -R civic /app/var
USER civic
EXPOSE 8000
CMD ["gunicorn", "civic.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
