"""Reading and writing the Pabulib format (.pb): sections META, PROJECTS, VOTES, ';'-separated."""

import csv
import io
from dataclasses import dataclass, field
from fractions import Fraction


@dataclass
class PbFile:
    meta: dict[str, str]
    projects: dict[str, dict[str, str]]  # project_id -> its row
    votes: list[dict[str, str]] = field(default_factory=list)

    @property
    def budget(self) -> Fraction:
        return Fraction(self.meta["budget"].replace(",", "."))

    def costs(self) -> dict[str, Fraction]:
        return {pid: Fraction(row["cost"].replace(",", ".")) for pid, row in self.projects.items()}

    def approval_ballots(self) -> list[frozenset[str]]:
        return [frozenset(v for v in row["vote"].split(",") if v) for row in self.votes]

    def points_ballots(self) -> list[dict[str, int]]:
        ballots = []
        for row in self.votes:
            ids = [v for v in row["vote"].split(",") if v]
            points = [int(p) for p in row.get("points", "").split(",") if p] or [1] * len(ids)
            ballots.append(dict(zip(ids, points)))
        return ballots

    def selected(self) -> set[str]:
        return {pid for pid, row in self.projects.items() if row.get("selected", "0").strip() in ("1", "True")}


def read(path_or_text) -> PbFile:
    text = path_or_text
    if not isinstance(path_or_text, str) or "\n" not in path_or_text:
        with open(path_or_text, encoding="utf-8") as handle:
            text = handle.read()
    sections: dict[str, list[list[str]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if not row:
            continue
        head = row[0].strip()
        if head in ("META", "PROJECTS", "VOTES") and len(row) == 1:
            current = head
            sections[current] = []
            continue
        sections[current].append(row)
    meta = {row[0]: row[1] if len(row) > 1 else "" for row in sections["META"][1:]}
    return PbFile(meta=meta, projects=_table(sections.get("PROJECTS", []), "project_id"),
                  votes=list(_table(sections.get("VOTES", []), "voter_id").values()))


def _table(rows, key):
    if not rows:
        return {}
    header = [name.strip() for name in rows[0]]
    table = {}
    for row in rows[1:]:
        record = dict(zip(header, row))
        table[record[key]] = record
    return table


def write(*, meta: dict, projects: list[dict], votes: list[dict]) -> str:
    """A .pb text from plain rows (each project row has project_id and cost; each vote
    row voter_id and vote, the project ids comma-separated)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(["META"])
    writer.writerow(["key", "value"])
    for key, value in meta.items():
        writer.writerow([key, value])
    for name, rows in (("PROJECTS", projects), ("VOTES", votes)):
        writer.writerow([name])
        if rows:
            header = list(rows[0])
            writer.writerow(header)
            for row in rows:
                writer.writerow([row.get(column, "") for column in header])
    return out.getvalue()
