"""The agents' admin: configuring a budget in three steps, paper ballots, counting,
changing and publishing the result; citizens and other communes get nothing."""

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import tenant_context

from budgets.models import Ballot, Budget, BudgetEvent, Result, Section
from ideas.models import Phase
from tests.budgets.conftest import make_budget, move_to
from tests.conftest import log_in

FMT = "%Y-%m-%dT%H:%M"


def step_data(budget, **overrides):
    """The step-2 form as the agent would submit it: every step dated, optional ones off."""
    now = timezone.localtime()
    data = {"rules-method": "basket"}
    days = {"submission": (0, 20), "analysis": (20, 30), "vote": (30, 45), "results": (60, None)}
    for kind in ["submission", "co_construction", "analysis", "prioritisation", "vote", "results"]:
        prefix = f"step-{kind}"
        if kind in days:
            start, end = days[kind]
            data[f"{prefix}-starts_at"] = (now + timedelta(days=start)).strftime(FMT)
            data[f"{prefix}-ends_at"] = (now + timedelta(days=end)).strftime(FMT) if end else ""
            data[f"{prefix}-enabled"] = "on"
        data[f"{prefix}-description"] = ""
    data.update({"method": "basket", "min_projects": "1", "max_projects": "", "min_share_spent": "0",
                 "points": "10", "max_points_per_project": "", "min_age": "16", "rule": "greedy",
                 "completion": "add1", "threshold": "0", "eligibility_ratio": ""})
    for formset in ("districts", "criteria"):
        data.update({f"{formset}-TOTAL_FORMS": "0", f"{formset}-INITIAL_FORMS": "0",
                     f"{formset}-MIN_NUM_FORMS": "0", f"{formset}-MAX_NUM_FORMS": "1000"})
    data.update(overrides)
    return data


def test_an_agent_configures_a_budget_in_three_steps(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post("/admin/budgets/budget/add/", {
        "title": "Budget participatif 2020", "problem": "Quelle idée pour Bertrix ?", "envelope": "20000",
        "location": "Bertrix", "description": "Le premier budget participatif de Bertrix.", "_action": "next"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        budget = Budget.objects.select_related("call").get()
        assert not budget.call.is_published and budget.call.kind == "budget"
        assert Section.objects.filter(budget=budget, language="fr").count() == 5
    assert response["Location"] == f"/admin/budgets/budget/{budget.pk}/etape/2/"
    page = client.get(response["Location"]).content.decode()
    assert "Co-construction" in page and "Priorisation" in page and 'name="step-prioritisation-enabled"' in page

    # Step 2 with the vote ending before it starts: refused, nothing typed is lost.
    bad = step_data(budget, **{"step-vote-ends_at": (timezone.localtime() - timedelta(days=1)).strftime(FMT),
                               "step-vote-description": "Votez pour vos projets préférés !"})
    response = client.post(f"/admin/budgets/budget/{budget.pk}/etape/2/", bad)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Votez pour vos projets préférés !" in page
    with tenant_context(bertrix):
        assert not Phase.objects.filter(call=budget.call).exists()

    response = client.post(f"/admin/budgets/budget/{budget.pk}/etape/2/", {**step_data(budget), "_action": "next"})
    assert response.status_code == 302, response.content.decode()[:3000]
    with tenant_context(bertrix):
        kinds = list(Phase.objects.filter(call=budget.call).order_by("starts_at").values_list("kind", flat=True))
        assert kinds == ["submission", "analysis", "vote", "results"]
        budget.refresh_from_db()
        assert budget.method == "basket" and budget.min_age == 16
        assert Phase.objects.get(call=budget.call, kind="vote").description.startswith("Votez pour les projets")

    # Step 3: the sections are there to edit; publishing opens the budget to citizens.
    page = client.get(f"/admin/budgets/budget/{budget.pk}/etape/3/").content.decode()
    assert "Qu&#x27;est-ce qu&#x27;un budget participatif" in page or "Qu'est-ce qu'un budget participatif" in page
    with tenant_context(bertrix):
        sections = list(Section.objects.filter(budget=budget).order_by("position", "id"))
    data = {"sections-TOTAL_FORMS": str(len(sections)), "sections-INITIAL_FORMS": str(len(sections)),
            "sections-MIN_NUM_FORMS": "0", "sections-MAX_NUM_FORMS": "1000",
            "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0", "attachments-MIN_NUM_FORMS": "0",
            "attachments-MAX_NUM_FORMS": "1000", "video_url": "www.example.org/video", "_action": "publish"}
    for index, section in enumerate(sections):
        data.update({f"sections-{index}-id": str(section.pk), f"sections-{index}-language": section.language,
                     f"sections-{index}-title": section.title, f"sections-{index}-body": section.body,
                     f"sections-{index}-position": str(section.position)})
    data["sections-0-body"] = "Vingt mille euros pour vos projets."
    data["sections-4-DELETE"] = "on"
    response = client.post(f"/admin/budgets/budget/{budget.pk}/etape/3/", data)
    assert response.status_code == 302
    with tenant_context(bertrix):
        budget.refresh_from_db()
        budget.call.refresh_from_db()
        assert budget.call.is_published and budget.video_url == "https://www.example.org/video"
        assert Section.objects.filter(budget=budget).count() == 4
        assert BudgetEvent.objects.filter(kind="published").count() == 1
    page = bertrix_client.get(f"/budgets/{budget.slug}/").content.decode()
    assert "Vingt mille euros pour vos projets." in page


def test_a_pdf_attachment_is_checked(bertrix, agent, bertrix_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    budget, _ideas = make_budget(bertrix, agent)
    client = log_in(bertrix_client, bertrix, agent)
    data = {"sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0", "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000", "attachments-TOTAL_FORMS": "1", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000",
            "attachments-0-title": "Règlement", "video_url": "",
            "attachments-0-file": SimpleUploadedFile("reglement.pdf", b"<script>alert(1)</script>")}
    response = client.post(f"/admin/budgets/budget/{budget.pk}/etape/3/", data)
    assert response.status_code == 200 and "Règlement" in response.content.decode()
    with tenant_context(bertrix):
        assert not budget.attachments.exists()
    data["attachments-0-file"] = SimpleUploadedFile("reglement.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(f"/admin/budgets/budget/{budget.pk}/etape/3/", data).status_code == 302
    with tenant_context(bertrix):
        assert budget.attachments.count() == 1


def test_publishing_an_incomplete_budget_says_what_is_missing(bertrix, agent, bertrix_client):
    client = log_in(bertrix_client, bertrix, agent)
    client.post("/admin/budgets/budget/add/", {"title": "Budget 2022", "envelope": "10000", "_action": "next"})
    with tenant_context(bertrix):
        budget = Budget.objects.get()
    data = {"sections-TOTAL_FORMS": "0", "sections-INITIAL_FORMS": "0", "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000", "attachments-TOTAL_FORMS": "0", "attachments-INITIAL_FORMS": "0",
            "attachments-MIN_NUM_FORMS": "0", "attachments-MAX_NUM_FORMS": "1000", "_action": "publish"}
    response = client.post(f"/admin/budgets/budget/{budget.pk}/etape/3/", data, follow=True)
    assert "Dépôt des idées" in response.content.decode()
    with tenant_context(bertrix):
        budget.call.refresh_from_db()
        assert not budget.call.is_published


def test_citizens_and_other_communes_cannot_reach_the_budget_admin(bertrix, fleurus, agent, citizen,
                                                                   bertrix_client, fleurus_client):
    budget, _ideas = make_budget(bertrix, agent)
    paths = ["/admin/budgets/budget/", "/admin/budgets/budget/add/", f"/admin/budgets/budget/{budget.pk}/etape/1/",
             f"/admin/budgets/budget/{budget.pk}/bulletins-papier/", f"/admin/budgets/budget/{budget.pk}/depouillement/"]
    client = log_in(bertrix_client, bertrix, citizen)
    for path in paths:
        assert client.get(path).status_code in (302, 403, 404), path
    from accounts.roles import Role
    from tests.conftest import create_staff

    their_agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    client = log_in(fleurus_client, fleurus, their_agent)
    for path in paths[2:]:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/admin/budgets/budget/{budget.pk}/depouillement/", {"_action": "count"}).status_code == 404


def test_paper_ballots_counting_override_and_publication_in_the_admin(bertrix, agent, citizen, bertrix_client):
    budget, (playground, bench, wall) = make_budget(bertrix, agent, method="favourite")
    client = log_in(bertrix_client, bertrix, agent)
    url = f"/admin/budgets/budget/{budget.pk}/bulletins-papier/"
    assert client.post(url, {"name": "Émile Lejeune", "born_on": "1953-04-02", "projects": [bench.pk]}).status_code == 302
    response = client.post(url, {"name": "Emile Lejeune", "born_on": "1953-04-02", "projects": [wall.pk]})
    assert "Cette personne a déjà voté (en ligne ou sur papier)." in response.content.decode()
    response = client.post(url, {"email": citizen.email, "projects": [bench.pk, wall.pk]})
    assert "Choisissez exactement un projet." in response.content.decode()
    assert client.post(url, {"email": citizen.email, "projects": [playground.pk]}).status_code == 302
    with tenant_context(bertrix):
        assert Ballot.objects.filter(channel="paper").count() == 2
    count_url = f"/admin/budgets/budget/{budget.pk}/depouillement/"
    client.post(count_url, {"_action": "count"})
    with tenant_context(bertrix):
        assert not Result.objects.exists()  # the vote is still open
    move_to(bertrix, budget, "results")
    assert client.post(count_url, {"_action": "count"}).status_code == 302
    response = client.post(count_url, {"_action": "override", "idea": wall.pk, "action": "add", "justification": ""})
    with tenant_context(bertrix):
        assert not Result.objects.get().overrides.exists()
    client.post(count_url, {"_action": "override", "idea": wall.pk, "action": "add",
                            "justification": "Le reste de l'enveloppe suffit."})
    assert client.post(count_url, {"_action": "publish"}).status_code == 302
    with tenant_context(bertrix):
        result = Result.objects.get()
        assert result.published_at is not None and result.paper_ballots == 2
        assert result.overrides.get().idea == wall
    page = bertrix_client.get(f"/budgets/{budget.slug}/resultats/").content.decode()
    assert "0 en ligne, 2 sur papier" in page


def test_a_communes_own_default_texts_replace_the_platforms(bertrix, agent):
    from budgets import services
    from tenants.admin import CommuneForm

    form = CommuneForm(instance=bertrix)
    data = {**form.initial, "languages": bertrix.languages, "modules": bertrix.modules,
            "budget_texts": '{"fr": [{"title": "Le BP de Bertrix", "body": "Vingt mille euros."}], "xx": []}'}
    form = CommuneForm(data, instance=bertrix)
    assert not form.is_valid() and "budget_texts" in form.errors
    bertrix.budget_texts = {"fr": [{"title": "Le BP de Bertrix", "body": "Vingt mille euros."}]}
    bertrix.save()
    with tenant_context(bertrix):
        budget = services.budget_create(actor=agent, title="Budget 2023", envelope=10000)
        assert list(budget.sections.values_list("language", "title")) == [("fr", "Le BP de Bertrix")]


def test_an_agent_posts_news_of_a_winning_project_in_the_admin(bertrix, agent, citizen, bertrix_client):
    from ideas.models import Idea

    budget, (playground, bench, _wall) = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        Idea.objects.filter(pk=playground.pk).update(status="selected")
    client = log_in(bertrix_client, bertrix, agent)
    page = client.get("/admin/budgets/projectupdate/add/").content.decode()
    assert "Aire de jeu inclusive" in page and "Le banc solidaire" not in page  # winners only
    response = client.post("/admin/budgets/projectupdate/add/", {
        "idea": playground.pk, "title": "Chantier ouvert", "body": "Les jeux arrivent.", "progress": "40",
        "photo_description": "", "published_on": "2026-11-20"})
    assert response.status_code == 302
    with tenant_context(bertrix):
        playground.refresh_from_db()
        assert playground.status == "in_progress" and playground.project_updates.get().progress == 40
    assert client.get("/admin/budgets/budgetevent/").status_code == 200
    assert client.post("/admin/budgets/budgetevent/add/", {}).status_code == 403
    assert log_in(bertrix_client, bertrix, citizen).get("/admin/budgets/projectupdate/").status_code == 302


def test_a_project_photo_must_be_an_image(bertrix, agent, bertrix_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ideas.models import Idea

    budget, (playground, *_rest) = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        Idea.objects.filter(pk=playground.pk).update(status="selected")
    client = log_in(bertrix_client, bertrix, agent)
    response = client.post("/admin/budgets/projectupdate/add/", {
        "idea": playground.pk, "title": "Chantier", "body": "Photo du chantier.", "progress": "10",
        "published_on": "2026-11-20", "photo": SimpleUploadedFile("chantier.jpg", b"<?php echo 1; ?>")})
    assert response.status_code == 200 and "Chantier" in response.content.decode()
    with tenant_context(bertrix):
        assert not playground.project_updates.exists()
