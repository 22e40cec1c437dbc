import json

from django.core.management.base import BaseCommand, CommandError

from budgets import pabulib
from budgets.counting import Election, count


class Command(BaseCommand):
    help = "Count a Pabulib (.pb) file with the platform's own counting code."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--rule", choices=["greedy", "greedy-no-skip", "mes"], default="greedy")
        parser.add_argument("--completion", choices=["none", "add1", "add1-exhaustive"], default="none")
        parser.add_argument("--threshold", type=int, default=0, help="minimum votes to take part")
        parser.add_argument("--greedy-completion", action="store_true",
                            help="after Equal Shares, buy what still fits by votes")
        parser.add_argument("--comparison", action="store_true", help="keep greedy if more voters prefer it")
        parser.add_argument("--eligibility-ratio", type=int, default=None,
                            help="a project needs votes/n ≥ cost/(ratio·budget) (Świecie: 3)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, **options):
        try:
            pb = pabulib.read(options["file"])
        except (OSError, KeyError, ValueError) as error:
            raise CommandError(f"Cannot read {options['file']}: {error}") from error
        vote_type = pb.meta.get("vote_type", "approval")
        if vote_type in ("approval", "choose-1"):
            election = Election.from_pb(pb)
        elif vote_type == "cumulative":
            if options["rule"] == "mes":
                raise CommandError("Equal Shares counts approval ballots; use a greedy rule for points")
            election = Election.from_points(budget=pb.budget, costs=pb.costs(), ballots=pb.points_ballots())
        else:
            raise CommandError(f"vote_type {vote_type!r} is not counted by these rules")
        result = count(election, rule=options["rule"], completion=options["completion"],
                       threshold=options["threshold"], comparison=options["comparison"],
                       eligibility_ratio=options["eligibility_ratio"],
                       greedy_completion=options["greedy_completion"])
        cost = result.cost
        total = int(cost) if cost.denominator == 1 else float(cost)
        if options["json"]:
            self.stdout.write(json.dumps({"selected": result.selected, "cost": total}))
        else:
            self.stdout.write(f"{result.rule}: {len(result.selected)} projects, cost {total}")
            for project in result.selected:
                self.stdout.write(f"  {project}  {pb.projects[project].get('name', '')}")
