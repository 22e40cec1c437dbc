"""The published, anonymised ballots and projects as a Pabulib (.pb) file and as CSV:
anyone can recount them with their own tools (or `manage.py pb_results`)."""

import csv
import io

from django.db import connection

from budgets import pabulib, selectors, services
from budgets.ballots import Method
from budgets.models import Budget
from civic.text import spreadsheet_safe

VOTE_TYPES = {Method.FAVOURITE: "choose-1", Method.APPROVAL: "approval", Method.BASKET: "approval",
              Method.POINTS: "cumulative"}
PB_RULES = {"greedy": "greedy", "greedy-no-skip": "greedy-no-skip", "mes": "equalshares"}


def _number(value) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.2f}"


def pb_files(budget: Budget) -> list[tuple[str, str]]:
    """One .pb text per envelope (Pabulib describes one budget per file): [(key, text)]."""
    result = budget.result
    ballots = selectors.anonymised_ballots(budget)
    files = []
    for envelope in result.envelopes:
        project_ids = set(envelope["projects"])
        titles = dict(services.vote_projects(budget).filter(pk__in=[int(p) for p in project_ids])
                      .values_list("pk", "title"))
        projects = [{"project_id": p, "cost": _number(data["cost"]["value"]), "votes": str(data["votes"]),
                     "name": titles.get(int(p), ""), "selected": "1" if data["won"] else "0"}
                    for p, data in sorted(envelope["projects"].items(), key=lambda item: item[1]["rank"])]
        votes = []
        for ballot in ballots:
            choices = [(str(idea), points) for idea, points in ballot["choices"] if str(idea) in project_ids]
            if not choices:
                continue
            row = {"voter_id": ballot["receipt"], "vote": ",".join(idea for idea, _ in choices),
                   "channel": ballot["channel"]}
            if budget.method == Method.POINTS:
                row["points"] = ",".join(str(points) for _, points in choices)
            votes.append(row)
        meta = {"description": f"{budget.title} — {services.envelope_label(envelope['key'])}", "country": "Belgium",
                "unit": connection.tenant.name, "instance": budget.slug, "num_projects": len(projects),
                "num_votes": len(votes), "budget": _number(envelope["amount"]["value"]),
                "vote_type": VOTE_TYPES[budget.method], "rule": PB_RULES.get(budget.rule, budget.rule),
                "date_begin": "", "date_end": ""}
        vote_phase = [p for p in budget.call.phases.all() if p.kind == "vote"]
        if vote_phase:
            meta["date_begin"] = vote_phase[0].starts_at.date().isoformat()
            meta["date_end"] = (vote_phase[0].end or vote_phase[0].starts_at).date().isoformat()
        if budget.method == Method.APPROVAL and budget.max_projects:
            meta["max_length"] = budget.max_projects
        if budget.method == Method.POINTS:
            meta["max_sum_points"] = budget.points
        files.append((envelope["key"], pabulib.write(meta=meta, projects=projects, votes=votes)))
    return files


def ballots_csv(budget: Budget) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["receipt", "channel", "neighbourhood", "project_id", "points"])
    for ballot in selectors.anonymised_ballots(budget):
        for idea_id, points in ballot["choices"]:
            writer.writerow([ballot["receipt"], ballot["channel"], spreadsheet_safe(ballot["neighbourhood"]),
                             idea_id, points])
    return out.getvalue()


def projects_csv(budget: Budget) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["envelope", "project_id", "title", "cost", "votes", "won"])
    page = selectors.results_page(budget)
    for envelope in page["envelopes"]:
        for row in envelope["rows"]:
            writer.writerow([spreadsheet_safe(envelope["label"]), row["idea"].pk, spreadsheet_safe(row["idea"].title),
                             row["cost"], row["votes"], "1" if row["won"] else "0"])
    return out.getvalue()
