"""Extensions shared by every commune, created once in the ``extensions`` schema
(PG_EXTRA_SEARCH_PATHS puts it on every search path): pg_trgm for similar titles,
unaccent, and a French text search configuration that ignores accents."""

from django.db import migrations

CREATE = """
CREATE SCHEMA IF NOT EXISTS extensions;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA extensions;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA extensions;
DO $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace
    WHERE c.cfgname = 'french_unaccent' AND n.nspname = 'extensions'
  ) THEN
    CREATE TEXT SEARCH CONFIGURATION extensions.french_unaccent (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION extensions.french_unaccent
      ALTER MAPPING FOR hword, hword_part, word WITH extensions.unaccent, french_stem;
  END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial")]
    operations = [migrations.RunSQL(CREATE, reverse_sql=migrations.RunSQL.noop)]
