"""Equal Shares with Add1 completion (stopping when exhaustive) on Łódź 2022, with our
counting code and with pabutools, which must select the same projects.

    python bench/pb_count.py [FILE.pb]

The last line is JSON: {"ours_s": …, "pabutools_s": …, "speedup": …}."""

import json
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

DEFAULT = BASE_DIR.parent / "shared" / "pabulib" / "Poland_Lodz_2022.pb"


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    from budgets import pabulib
    from budgets.counting import Election, count

    start = time.perf_counter()
    election = Election.from_pb(pabulib.read(path))
    ours = count(election, rule="mes", completion="add1-exhaustive")
    ours_s = time.perf_counter() - start

    from pabutools.election import Cost_Sat, parse_pabulib
    from pabutools.rules import method_of_equal_shares

    start = time.perf_counter()
    instance, profile = parse_pabulib(str(path))
    theirs = method_of_equal_shares(instance, profile.as_multiprofile(), sat_class=Cost_Sat, voter_budget_increment=1)
    pabutools_s = time.perf_counter() - start

    same = set(ours.selected) == {project.name for project in theirs}
    print(f"{path.name}: {len(ours.selected)} projects selected; same winners as pabutools: {same}", file=sys.stderr)
    if not same:
        raise SystemExit("the two counts differ")
    print(json.dumps({"ours_s": round(ours_s, 2), "pabutools_s": round(pabutools_s, 2),
                      "speedup": round(pabutools_s / ours_s, 1)}))


if __name__ == "__main__":
    main()
