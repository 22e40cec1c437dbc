"""The results report of a participatory budget: a real PDF, read back, whose figures are
those of the ballots; clean with bad data; in the commune's language; made once."""

import re
from pathlib import Path

import pytest
from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext
from django_tenants.utils import tenant_context

from budgets import services as budget_services
from budgets.models import Ballot, BallotChoice
from reports.models import Report
from tests.budgets.conftest import make_budget, move_to
from tests.reports.conftest import counted_budget, generate, pdf_pages, pdf_text, report_files

ONLINE = [[0, 2], [0, 2], [0, 1], [1], [0]]
PAPER = [[0], [1, 2]]


def recount(commune, budget) -> dict[int, dict[str, int]]:
    """Votes per project and channel, counted afresh from the ballot rows."""
    with tenant_context(commune):
        rows = (BallotChoice.objects.filter(ballot__budget=budget).values("idea_id", "ballot__channel")
                .annotate(n=Count("id")))
        counts: dict[int, dict[str, int]] = {}
        for row in rows:
            counts.setdefault(row["idea_id"], {"online": 0, "paper": 0})[row["ballot__channel"]] = row["n"]
        return counts


def test_the_results_report_shows_the_winners_and_the_votes_of_the_ballots(
        bertrix, agent, django_capture_on_commit_callbacks, private_reports):
    budget, (playground, bench, wall), refused = counted_budget(bertrix, agent, online=ONLINE, paper=PAPER)
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)

    assert (report.status, report.progress, report.error) == (Report.Status.DONE, 100, "")
    assert report.requested_by_id == agent.pk and report.finished_at >= report.started_at
    assert report.pages == pdf_pages(bertrix, report) >= 1
    # Kept privately, in the commune's own folder, never under MEDIA_ROOT.
    [path] = report_files(private_reports)
    assert path == Path(private_reports) / "bertrix" / "reports" / f"report-{report.pk}.pdf"
    text = pdf_text(bertrix, report)

    votes = recount(bertrix, budget)
    assert votes[playground.pk] == {"online": 4, "paper": 1}  # the data is what the test thinks
    with translation.override("fr"):
        head = f'{gettext("Project")} {gettext("Votes")} {gettext("Cost")}'
        not_selected = gettext("Not selected")
    for rank, idea in enumerate([playground, bench, wall], start=1):
        online, paper = votes[idea.pk]["online"], votes[idea.pk]["paper"]
        assert f"{rank} {idea.title} {online} {paper} {online + paper} " in text
    # Greedy on 20 000 €: the playground (12 000 €) then the bench (5 000 €); the wall no longer fits.
    assert f"{head} {playground.title} 5 12 000 € {bench.title} 3 5 000 € " in text  # the winners
    assert f"{wall.title} 2 1 3 8 000 € {not_selected}" in text
    with tenant_context(bertrix):
        ballots = Ballot.objects.filter(budget=budget)
        online = ballots.filter(channel="online").count()
        paper = ballots.filter(channel="paper").count()
    assert f"{online + paper} {online} en ligne, {paper} sur papier" in text
    assert "20 000 €" in text  # the envelope
    assert "Les projets sont classés selon les votes" in text  # the counting rule, explained
    # The project found not admissible, with its public reason.
    assert f"{refused.title} Les voiries relèvent du budget ordinaire des travaux." in text
    assert "Bertrix" in text and "Page 1 / " in text


def test_a_budget_counted_without_any_ballot_gives_a_clean_report(bertrix, agent, django_capture_on_commit_callbacks):
    budget, ideas, _refused = counted_budget(bertrix, agent, online=[], paper=[], publish=False)
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(bertrix, report)
    for rank, idea in enumerate(sorted(ideas, key=lambda i: (i.estimated_cost, i.pk)), start=1):
        assert f"{rank} {idea.title} 0 0 0 " in text  # ranked by cost when nobody voted
    assert "Aucun bulletin." in text  # each project: "No ballots." (budgets.selectors.explain)
    assert "nan" not in text.lower().split() and "None" not in text


def test_a_budget_not_counted_yet_gives_a_clean_report(bertrix, agent, django_capture_on_commit_callbacks):
    budget, _ideas = make_budget(bertrix, agent, current="vote")
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.DONE, report.error
    text = pdf_text(bertrix, report)
    assert budget.title in text and "None" not in text


def test_the_report_is_written_in_the_communes_default_language(fleurus, django_capture_on_commit_callbacks):
    from accounts.roles import Role
    from tests.conftest import create_staff

    fleurus.default_language = "nl"
    fleurus.save(update_fields=["default_language"])
    agent = create_staff(fleurus, "agent@fleurus.example", Role.AGENT)
    budget, (playground, *_rest), _refused = counted_budget(fleurus, agent, online=[[0]], paper=[])
    with translation.override("fr"):  # the agent reads the admin in French: the PDF stays in Dutch
        report = generate(fleurus, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                          capture=django_capture_on_commit_callbacks)
    text = pdf_text(fleurus, report)
    assert "Winnaar" in text and "Gagnant" not in text and "Hele gemeente" not in text
    assert "De projecten worden gerangschikt volgens de stemmen" in text


def test_progress_is_recorded_while_the_report_is_made(bertrix, agent, django_capture_on_commit_callbacks,
                                                       monkeypatch):
    from reports import documents

    budget, _ideas, _refused = counted_budget(bertrix, agent, online=[[0]], paper=[])
    seen = []
    real_render, real_pdf = documents.render_html, documents.html_to_pdf

    def render(report, context):
        seen.append(Report.objects.values_list("status", "progress").get(pk=report.pk))
        return real_render(report, context)

    def to_pdf(html):
        seen.append(Report.objects.values_list("status", "progress").get())
        return real_pdf(html)

    monkeypatch.setattr(documents, "render_html", render)
    monkeypatch.setattr(documents, "html_to_pdf", to_pdf)
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)
    assert seen == [("running", 10), ("running", 60)]
    assert (report.status, report.progress) == ("done", 100)


def test_a_failure_is_recorded_with_its_message(bertrix, agent, django_capture_on_commit_callbacks, monkeypatch,
                                                private_reports):
    from reports import documents

    budget, _ideas, _refused = counted_budget(bertrix, agent, online=[[0]], paper=[])

    def broken(html):
        raise RuntimeError("Pango could not load a font")

    monkeypatch.setattr(documents, "html_to_pdf", broken)
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)
    assert report.status == Report.Status.FAILED and report.progress == 60
    assert report.error == "RuntimeError: Pango could not load a font" and report.finished_at
    assert not report.file and report_files(private_reports) == []
    # Asked again once the problem is fixed: the same report is made.
    monkeypatch.undo()
    again = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                     capture=django_capture_on_commit_callbacks)
    assert again.pk == report.pk and again.status == Report.Status.DONE and again.error == ""


def test_a_task_delivered_twice_or_a_report_asked_again_leaves_one_file(
        bertrix, agent, django_capture_on_commit_callbacks, private_reports):
    from reports.tasks import generate_report

    budget, _ideas, _refused = counted_budget(bertrix, agent, online=[[0], [1]], paper=[])
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)
    with tenant_context(bertrix):
        generate_report.apply(kwargs={"report_id": report.pk})  # the same delivery again: nothing to do
        assert Report.objects.get(pk=report.pk).finished_at == report.finished_at
    assert len(report_files(private_reports)) == 1

    again = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                     capture=django_capture_on_commit_callbacks)
    assert again.pk == report.pk and again.finished_at > report.finished_at
    assert again.file.name == report.file.name
    assert len(report_files(private_reports)) == 1
    with tenant_context(bertrix):
        assert Report.objects.count() == 1


def test_only_agents_ask_for_reports_and_a_subject_is_required(bertrix, agent, citizen):
    from reports import services

    budget, _ideas = make_budget(bertrix, agent)
    with tenant_context(bertrix):
        with pytest.raises(services.ReportError):
            services.report_request(kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=citizen)
        with pytest.raises(services.ReportError):
            services.report_request(kind=Report.Kind.BUDGET_RESULTS, actor=agent)
        with pytest.raises(services.ReportError):
            services.report_request(kind=Report.Kind.MONTHLY, actor=agent)
        assert not Report.objects.exists()


def test_a_large_envelope_is_drawn_with_its_top_projects_and_listed_in_full(
        bertrix, agent, django_capture_on_commit_callbacks):
    projects = [(f"Projet numéro {n:02d}", 1000 + n) for n in range(1, 31)]
    budget, ideas = make_budget(bertrix, agent, method="approval", projects=projects)
    from tests.conftest import create_citizen

    for number in range(3):
        voter = create_citizen(bertrix, f"v{number}@bertrix.example")
        with tenant_context(bertrix):
            budget_services.ballot_cast(budget=budget, voter=voter,
                                        choices={idea.pk: 1 for idea in ideas[: 10 * (number + 1)]})
    move_to(bertrix, budget, "results")
    with tenant_context(bertrix):
        budget_services.budget_count(budget=budget, actor=agent)
    report = generate(bertrix, kind=Report.Kind.BUDGET_RESULTS, budget=budget, actor=agent,
                      capture=django_capture_on_commit_callbacks)
    text = pdf_text(bertrix, report)
    assert all(title in text for title, _cost in projects)
    assert re.search(r"\b10 other projects are in the table\b|\b10 autres projets\b", text)
