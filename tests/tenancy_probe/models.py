"""A tenant app that exists only in tests: its migration plays "the migration added after
the template was last migrated" in tests/tenants/test_template_schema.py."""

from django.db import models


class Probe(models.Model):
    label = models.CharField(max_length=20)
