import io
from html import unescape

import pytest
from django.utils import timezone
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context

from ideas.models import Comment, Idea, Status, Vote
from tests.conftest import client_for, create_citizen, log_in
from tests.ideas.conftest import make_call, make_idea


def png(size=(800, 600)):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, "#3b82f6").save(buffer, format="PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), content_type="image/png")


def proposal(**overrides):
    data = {"title": "Une oseraie communale", "answer_0": "Planter des saules pour la vannerie.",
            "answer_1": "Des ateliers pour tous.", "answer_2": "Aux écoles.", "address": "Rue de la Gare",
            "estimated_cost": "4500", "form_token": "t1"}
    data.update(overrides)
    return data


def test_a_citizen_proposes_previews_and_publishes_an_idea(bertrix, call, citizen, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    form = bertrix_client.get(f"/participer/appels/{call.slug}/proposer/")
    html = unescape(form.content.decode())
    assert "En quoi consiste le projet\u00a0?" in html and "À qui va profiter ce projet\u00a0?" in html

    response = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", {**proposal(), "images": [png()]})
    assert response.status_code == 302 and "/apercu/" in response["Location"]
    with tenant_context(bertrix):
        idea = Idea.objects.get(title="Une oseraie communale")
        assert idea.status == Status.DRAFT and idea.images.count() == 1
        assert idea.images.get().thumbnail.width <= 480
        assert idea.answers[0] == {"question": "En quoi consiste le projet\u00a0?",
                                   "answer": "Planter des saules pour la vannerie."}
    # The draft is its author's only.
    assert client_for("bertrix.localhost").get(f"/participer/idees/{idea.pk}/").status_code == 404
    preview = bertrix_client.get(response["Location"])
    assert "Planter des saules" in preview.content.decode()

    bertrix_client.post(response["Location"])
    bertrix_client.post(response["Location"])  # a double click publishes it once
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.status == Status.SUBMITTED and idea.published_at is not None
        assert idea.events.filter(kind="submitted").count() == 1
        assert idea.follows.filter(follower=citizen).exists()
    page = client_for("bertrix.localhost").get(f"/participer/idees/{idea.pk}/")
    assert page.status_code == 200 and "Une oseraie communale" in page.content.decode()


def test_the_same_form_sent_twice_makes_one_draft(bertrix, call, citizen, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    for _ in range(2):
        bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", proposal(form_token="same"))
    with tenant_context(bertrix):
        assert Idea.objects.filter(title="Une oseraie communale").count() == 1


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"title": "x" * 141}, "title", "140"),
    ({"answer_0": ""}, "answer_0", ""),
    ({"estimated_cost": "beaucoup"}, "estimated_cost", ""),
    ({"estimated_cost": "-5"}, "estimated_cost", ""),
])
def test_bad_input_keeps_what_was_typed(bertrix, call, citizen, bertrix_client, overrides, field, message):
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", proposal(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "Planter des saules pour la vannerie." in response.content.decode() or field == "answer_0"
    assert message in " ".join(response.context["form"].errors[field])
    with tenant_context(bertrix):
        assert not Idea.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(bertrix, call, citizen, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    fake = SimpleUploadedFile("photo.png", b"<?php echo 1; ?>", content_type="image/png")
    response = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", {**proposal(), "images": [fake]})
    assert "images" in response.context["form"].errors
    six = [png((20, 20)) for _ in range(6)]
    response = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", {**proposal(), "images": six})
    assert "images" in response.context["form"].errors


def test_a_pdf_attachment_must_be_a_pdf(bertrix, call, citizen, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", {**proposal(), "attachment": fake})
    assert "attachment" in response.context["form"].errors


def test_html_in_an_idea_never_runs(bertrix, call, citizen, bertrix_client):
    idea = make_idea(bertrix, call, citizen, title="<script>alert(1)</script>",
                     answer="<img src=x onerror=alert(2)>")
    html = bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html


def test_similar_ideas_are_offered_while_typing_accents_ignored(bertrix, call, citizen, bertrix_client):
    make_idea(bertrix, call, citizen, title="Le banc solidaire, vers une mobilité plus sociale")
    make_idea(bertrix, call, citizen, title="Parc de Street-workout")
    response = bertrix_client.get(f"/participer/idees/similaires/?call={call.slug}&title=banc+solidaire+mobilite")
    html = unescape(response.content.decode())
    assert "Le banc solidaire" in html and "Street-workout" not in html
    html = unescape(bertrix_client.get(f"/participer/idees/similaires/?call={call.slug}"
                                       "&title=Bancs+solidaires+au+village").content.decode())
    assert "Le banc solidaire" in html
    html = bertrix_client.get(f"/participer/idees/similaires/?call={call.slug}&title=Piscine+couverte").content
    assert html.decode().strip() == ""
    assert bertrix_client.get("/participer/idees/similaires/?title=ab").content.decode().strip() == ""


def test_search_is_in_french_and_ignores_accents(bertrix, call, citizen, bertrix_client):
    make_idea(bertrix, call, citizen, title="Mur végétal", answer="Des plantes grimpantes sur les façades.")
    make_idea(bertrix, call, citizen, title="Installation de radars", answer="Ralentir les voitures.")
    for query in ("vegetal", "plante", "facade"):
        response = bertrix_client.get(f"/participer/appels/{call.slug}/?q={query}")
        titles = [idea.title for idea in response.context["page"].object_list]
        assert titles == ["Mur végétal"], query


def test_the_list_sorts_and_filters(bertrix, call, citizen, bertrix_client, category):
    first = make_idea(bertrix, call, citizen, title="Première", category=category)
    second = make_idea(bertrix, call, citizen, title="Seconde")
    voter = create_citizen(bertrix, "voter@bertrix.example")
    from ideas import services

    with tenant_context(bertrix):
        services.idea_vote(idea=first, voter=voter, value=1)
    url = f"/participer/appels/{call.slug}/"
    titles = lambda r: [i.title for i in r.context["page"].object_list]  # noqa: E731
    assert titles(bertrix_client.get(url)) == ["Seconde", "Première"]
    assert titles(bertrix_client.get(url + "?sort=supported")) == ["Première", "Seconde"]
    assert titles(bertrix_client.get(url + "?sort=trending"))[0] == "Première"
    assert titles(bertrix_client.get(url + f"?category={category.pk}")) == ["Première"]
    assert second.pk


def test_votes_are_counted_once_per_person_and_can_change(bertrix, call, citizen, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    voter = create_citizen(bertrix, "voter@bertrix.example")
    log_in(bertrix_client, bertrix, voter)
    url = f"/participer/idees/{idea.pk}/voter/"
    bertrix_client.post(url, {"value": "1"})
    bertrix_client.post(url, {"value": "1"})
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert (idea.support_count, idea.against_count) == (1, 0)
    bertrix_client.post(url, {"value": "-1"})
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert (idea.support_count, idea.against_count) == (0, 1)
    bertrix_client.post(url, {"value": "0"})
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert (idea.support_count, idea.against_count, Vote.objects.count()) == (0, 0, 0)
    assert bertrix_client.get(url).status_code == 405


def test_no_votes_once_the_phase_is_over(bertrix, citizen, bertrix_client):
    closed = make_call(bertrix, slug="fermee", open_=False)
    with tenant_context(bertrix):
        from ideas.models import Idea as IdeaModel

        idea = IdeaModel.objects.create(call=closed, author=citizen, title="Ancienne", status=Status.SUBMITTED,
                                        answers=[])
    log_in(bertrix_client, bertrix, citizen)
    bertrix_client.post(f"/participer/idees/{idea.pk}/voter/", {"value": "1"})
    with tenant_context(bertrix):
        assert not Vote.objects.exists()
    response = bertrix_client.get(f"/participer/appels/{closed.slug}/proposer/")
    assert response.status_code == 302


def test_comments_and_replies(bertrix, call, citizen, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    log_in(bertrix_client, bertrix, citizen)
    url = f"/participer/idees/{idea.pk}/commenter/"
    bertrix_client.post(url, {"body": "Très bonne idée", "form_token": "c1"})
    bertrix_client.post(url, {"body": "Très bonne idée", "form_token": "c1"})  # double submit
    with tenant_context(bertrix):
        top = Comment.objects.get()
    bertrix_client.post(url, {"body": "Merci !", "parent": top.pk, "form_token": "c2"})
    with tenant_context(bertrix):
        assert Comment.objects.count() == 2 and Comment.objects.get(body="Merci !").parent == top
        idea.refresh_from_db()
        assert idea.comment_count == 2
    too_long = "Mon avis détaillé. " + "x" * 2000
    response = bertrix_client.post(url, {"body": too_long, "form_token": "c3"})
    assert response.status_code == 400
    assert too_long in unescape(response.content.decode())  # nothing typed is lost
    assert "2000" in unescape(response.content.decode())
    with tenant_context(bertrix):
        assert Comment.objects.count() == 2


def test_another_communes_idea_is_not_found_and_a_hidden_one_says_why(bertrix, fleurus, call, citizen,
                                                                       fleurus_client, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    assert fleurus_client.get(f"/participer/idees/{idea.pk}/").status_code == 404
    with tenant_context(bertrix):
        Idea.objects.filter(pk=idea.pk).update(is_hidden=True, moderation_note="Propos injurieux.")
    page = bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode()
    assert "Masqué par la modération" in page and "Propos injurieux." in page
    assert "Des bancs où attendre" not in page  # nothing of the content itself
    assert bertrix_client.post(f"/participer/idees/{idea.pk}/commenter/", {"body": "x"}).status_code in (302, 404)
    fleurusien = create_citizen(fleurus, "f@fleurus.example")
    log_in(fleurus_client, fleurus, fleurusien)
    assert fleurus_client.post(f"/participer/idees/{idea.pk}/voter/", {"value": "1"}).status_code == 404


def test_my_contributions_shows_the_status_history_and_explanation(bertrix, call, citizen, agent, bertrix_client):
    from ideas import services

    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix):
        services.idea_change_status(idea=idea, actor=agent, to_status=Status.NOT_ADMISSIBLE,
                                    public_message="Ce terrain n'appartient pas à la commune.")
    log_in(bertrix_client, bertrix, citizen)
    html = unescape(bertrix_client.get("/participer/mes-contributions/").content.decode())
    assert "Le banc solidaire" in html and "Ce terrain n'appartient pas à la commune." in html


def test_the_author_edits_until_the_analysis_starts(bertrix, call, citizen, agent, bertrix_client):
    from ideas import services

    idea = make_idea(bertrix, call, citizen)
    log_in(bertrix_client, bertrix, citizen)
    bertrix_client.post(f"/participer/idees/{idea.pk}/modifier/", proposal(title="Le banc solidaire (v2)"))
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.title == "Le banc solidaire (v2)"
        services.idea_change_status(idea=idea, actor=agent, to_status=Status.UNDER_ANALYSIS)
    bertrix_client.post(f"/participer/idees/{idea.pk}/modifier/", proposal(title="Trop tard"))
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.title == "Le banc solidaire (v2)"
    other = create_citizen(bertrix, "autre@bertrix.example")
    log_in(bertrix_client, bertrix, other)
    assert bertrix_client.get(f"/participer/idees/{idea.pk}/modifier/").status_code == 404


def _fill(commune, call, author, n):
    with tenant_context(commune):
        Idea.objects.bulk_create([Idea(call=call, author=author, title=f"Idée {i}", status=Status.SUBMITTED,
                                       answers=[], published_at=timezone.now()) for i in range(n)])


@pytest.mark.parametrize("sort", ["recent", "supported", "trending"])
def test_the_list_has_a_fixed_number_of_queries(bertrix, call, citizen, bertrix_client, count_queries, sort):
    url = f"/participer/appels/{call.slug}/?sort={sort}"
    _fill(bertrix, call, citizen, 10)
    with count_queries() as few:
        bertrix_client.get(url)
    _fill(bertrix, call, citizen, 990)
    with count_queries() as many:
        bertrix_client.get(url)
    # call, its phases, count, one page of ideas, the category and neighbourhood filters
    assert len(few) == len(many) == 6, many.statements


def test_the_idea_page_has_a_fixed_number_of_queries(bertrix, call, citizen, bertrix_client, count_queries):
    from ideas import services

    idea = make_idea(bertrix, call, citizen)
    log_in(bertrix_client, bertrix, citizen)
    with tenant_context(bertrix):
        services.comment_add(idea=idea, author=citizen, body="Un")
    with count_queries() as few:
        assert bertrix_client.get(f"/participer/idees/{idea.pk}/").status_code == 200
    people = [create_citizen(bertrix, f"p{i}@bertrix.example") for i in range(10)]
    with tenant_context(bertrix):
        for person in people:
            top = services.comment_add(idea=idea, author=person, body="Oui")
            services.comment_add(idea=idea, author=citizen, body="Merci", parent=top)
            services.idea_vote(idea=idea, voter=person, value=1)
    with count_queries() as many:
        assert bertrix_client.get(f"/participer/idees/{idea.pk}/").status_code == 200
    assert len(few) == len(many), many.statements


def test_an_agent_records_an_idea_for_a_citizen(bertrix, call, agent, citizen, bertrix_client):
    log_in(bertrix_client, bertrix, citizen)
    assert bertrix_client.get(f"/participer/appels/{call.slug}/saisir/").status_code == 404
    log_in(bertrix_client, bertrix, agent)
    response = bertrix_client.post(f"/participer/appels/{call.slug}/saisir/", proposal(
        on_behalf_of="Mme Lambert, par téléphone", title="Un banc au cimetière"))
    assert response.status_code == 302
    with tenant_context(bertrix):
        idea = Idea.objects.get(title="Un banc au cimetière")
        assert (idea.author, idea.recorded_by, idea.status) == (None, agent, Status.SUBMITTED)
        assert idea.on_behalf_of == "Mme Lambert, par téléphone"
    html = unescape(bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode())
    assert "par la commune, au nom d'un citoyen" in html


def test_the_author_is_told_on_the_site_once(bertrix, call, citizen, agent, bertrix_client,
                                            django_capture_on_commit_callbacks):
    from ideas import services

    idea = make_idea(bertrix, call, citizen)
    with tenant_context(bertrix), django_capture_on_commit_callbacks(execute=True):
        event = services.idea_change_status(idea=idea, actor=agent, to_status=Status.UNDER_ANALYSIS)
    from ideas.tasks import notify_status_change

    with tenant_context(bertrix):
        notify_status_change.apply(kwargs={"event_id": event.pk})  # delivered twice
        assert citizen.notifications.count() == 1
    log_in(bertrix_client, bertrix, citizen)
    html = unescape(bertrix_client.get("/participer/mes-contributions/").content.decode())
    assert "Nouveau depuis votre dernière visite" in html and "En cours d'analyse" in html
    html = unescape(bertrix_client.get("/participer/mes-contributions/").content.decode())
    assert "Nouveau depuis votre dernière visite" not in html  # read now


def test_a_citizen_reports_an_idea_or_a_comment_once(bertrix, call, citizen, bertrix_client):
    from ideas import services
    from moderation.models import Report

    idea = make_idea(bertrix, call, citizen)
    reporter = create_citizen(bertrix, "vigilant@bertrix.example")
    with tenant_context(bertrix):
        comment = services.comment_add(idea=idea, author=citizen, body="Texte insultant")
    log_in(bertrix_client, bertrix, reporter)
    url = f"/participer/idees/{idea.pk}/signaler/"
    bertrix_client.post(url, {"reason": "spam"})
    bertrix_client.post(url, {"reason": "spam"})
    bertrix_client.post(url, {"reason": "abuse", "comment": comment.pk, "details": "Insulte"})
    bertrix_client.post(url, {"reason": "pas-une-raison"})
    with tenant_context(bertrix):
        assert Report.objects.count() == 2
        assert {r.content for r in Report.objects.all()} == {idea, comment}


def test_an_idea_placed_on_the_map_appears_on_the_calls_map(bertrix, call, citizen, bertrix_client, count_queries):
    log_in(bertrix_client, bertrix, citizen)
    response = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/",
                                   proposal(latitude="49.854321", longitude="5.253654"))
    with tenant_context(bertrix):
        idea = Idea.objects.get()
        assert (str(idea.latitude), str(idea.longitude)) == ("49.854321", "5.253654")
    bertrix_client.post(response["Location"])
    page = bertrix_client.get(f"/participer/appels/{call.slug}/carte/")
    html = page.content.decode()
    assert '"lat": 49.854321' in html and "Une oseraie communale" in html
    bad = bertrix_client.post(f"/participer/appels/{call.slug}/proposer/", proposal(latitude="123", form_token="t9"))
    assert "latitude" in bad.context["form"].errors


def test_the_author_withdraws_a_submitted_idea(bertrix, call, citizen, bertrix_client):
    idea = make_idea(bertrix, call, citizen)
    other = create_citizen(bertrix, "autre@bertrix.example")
    log_in(bertrix_client, bertrix, other)
    bertrix_client.post(f"/participer/idees/{idea.pk}/retirer/")
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.status == Status.SUBMITTED
    log_in(bertrix_client, bertrix, citizen)
    assert "Retirer mon idée" in unescape(bertrix_client.get(f"/participer/idees/{idea.pk}/").content.decode())
    bertrix_client.post(f"/participer/idees/{idea.pk}/retirer/")
    with tenant_context(bertrix):
        idea.refresh_from_db()
        assert idea.status == Status.WITHDRAWN
