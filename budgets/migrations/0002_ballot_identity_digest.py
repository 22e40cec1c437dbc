"""Ballot identities become keyed digests: the ballots table no longer holds emails, names
or dates of birth."""

import re

from django.db import migrations

PLAIN = re.compile(r"^(email|person):(?![0-9a-f]{64}$)")


def to_digests(apps, schema_editor):
    from django.utils.crypto import salted_hmac

    Ballot = apps.get_model("budgets", "Ballot")
    for ballot in Ballot.objects.only("pk", "identity").iterator():
        if PLAIN.match(ballot.identity):
            kind, value = ballot.identity.split(":", 1)
            digest = salted_hmac("civic.budgets.ballot-identity", value, algorithm="sha256").hexdigest()
            Ballot.objects.filter(pk=ballot.pk).update(identity=f"{kind}:{digest}")


class Migration(migrations.Migration):
    dependencies = [("budgets", "0001_initial")]
    operations = [migrations.RunPython(to_digests, migrations.RunPython.noop)]
