"""Tasks run in the schema of the commune that queued them, in a real worker process."""

import re

import pytest
from django_tenants.utils import tenant_context

from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.worker


def sign_up(commune, email):
    response = client_for(commune.primary_domain).post("/accounts/signup/", {
        "email": email, "password1": PASSWORD, "password2": PASSWORD, "accept_terms": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]


def test_the_verification_email_is_sent_by_the_worker_in_each_communes_schema(
    live_communes, celery_worker, mailoutbox
):
    from allauth.account.models import EmailAddress

    rossignol = live_communes("Rossignol")
    tintigny = live_communes("Tintigny")
    sign_up(rossignol, "marie@exemple.be")
    sign_up(tintigny, "paul@exemple.be")

    first = celery_worker.wait_for("To: marie@exemple.be")
    second = celery_worker.wait_for("To: paul@exemple.be")
    assert mailoutbox == []  # nothing was sent by this process: the worker did it

    assert "[Rossignol]" in first and "Tintigny" not in first
    assert f"X-Civic-Commune: {rossignol.schema_name}" in first
    assert "[Tintigny]" in second and "Rossignol" not in second
    assert f"X-Civic-Commune: {tintigny.schema_name}" in second

    # The link is the commune's own, and its key names the address stored in that schema.
    link = re.search(r"http://(\S+)/accounts/confirm-email/(\S+)/", first)
    assert link.group(1) == rossignol.primary_domain
    with tenant_context(rossignol):
        from allauth.account.models import EmailConfirmationHMAC

        address = EmailAddress.objects.get(email="marie@exemple.be")
        assert EmailConfirmationHMAC.from_key(link.group(2)).email_address == address
    client = client_for(rossignol.primary_domain)
    client.post(f"/accounts/confirm-email/{link.group(2)}/")
    with tenant_context(rossignol):
        assert EmailAddress.objects.get(email="marie@exemple.be").verified


def test_a_staff_invitation_is_sent_by_the_worker(live_communes, celery_worker):
    from accounts.services import staff_member_create

    commune = live_communes("Chiny")
    with tenant_context(commune):
        staff_member_create(email="agent@chiny.example", base_url=commune.url)
    text = celery_worker.wait_for("To: agent@chiny.example")
    assert "Chiny" in text
    assert f"http://{commune.primary_domain}" in text and "/accounts/password/reset/key/" in text


def test_a_task_delivered_twice_sends_one_email(bertrix, mailoutbox):
    from accounts.tasks import send_rendered_email

    kwargs = {"subject": "Bonjour", "body": "Une fois", "html": None, "to": ["a@exemple.be"]}
    with tenant_context(bertrix):
        send_rendered_email.apply(kwargs=kwargs, task_id="the-same-delivery")
        send_rendered_email.apply(kwargs=kwargs, task_id="the-same-delivery")
        send_rendered_email.apply(kwargs=kwargs, task_id="another-delivery")
    assert len(mailoutbox) == 2


def test_a_task_whose_commune_is_gone_does_not_run_in_the_public_schema(db, mailoutbox):
    from accounts.models import User
    from accounts.tasks import send_staff_invitation

    # This id exists in public (a consultant still to invite); the commune that queued the
    # task does not exist anymore.
    consultant = User.objects.create_user(email="nouveau@civic.example", password=None, is_staff=True)
    result = send_staff_invitation.apply(kwargs={"user_id": consultant.pk, "base_url": "http://gone.localhost/"},
                                         headers={"_schema_name": "a_deleted_commune"})
    assert result.successful() and result.result is None  # dropped, not run and failed
    assert mailoutbox == []


def test_a_task_runs_in_the_schema_it_was_queued_from(bertrix, mailoutbox):
    from accounts.tasks import send_rendered_email

    with tenant_context(bertrix):
        send_rendered_email.apply(kwargs={"subject": "S", "body": "B", "html": None, "to": ["x@exemple.be"]})
    assert mailoutbox[0].extra_headers["X-Civic-Commune"] == "bertrix"
