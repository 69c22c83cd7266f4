"""Where warning bodies weigh, regular and bold, face by face: the data behind the
lines in `verifier/engine/rules/warning_bold.py`.

Renders studio tuning seeds twice, once with a regular body and once with a bold
one (the studio's `warning_body_not_bold` failure), verifies each label, and
prints per body face the measures the rule decides on: stroke per em, the small
letters' share of their boxes, the header's strokes over the body's, with how
the check came out. Then every bold body that passed (a false COMPLIANT in the
making) and every regular body that failed. Held-out seeds are refused.

    .venv/bin/python -m bench.weights --pools 11,12 --every 8
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass

from tqdm import tqdm

from bench.accuracy import STUDIO_HELD_OUT_SEED
from labelgen.studio import CORPUS_STRIDE, studio_label
from verifier.engine import verify_label

BOLD_BODY = ("warning_body_not_bold",)
POOL_LABELS = 200  # labels per pool that `bench.accuracy --studio 200` renders


@dataclass(frozen=True)
class Weighed:
    seed: int
    bold: bool
    face: str
    header_face: str
    blur: float
    outcome: str
    em: float | None
    coverage: float | None
    stroke_px: float | None
    header_ratio: float | None

    def line(self) -> str:
        kind = "bold" if self.bold else "regular"
        return (
            f"  {self.seed} {kind:7} {self.outcome:7} em {_num(self.em)}  "
            f"letters {_num(self.coverage)}  stroke {_num(self.stroke_px, 2)} px  "
            f"header/body {_num(self.header_ratio, 2)}  blur {self.blur:.1f}  "
            f"{self.face} under {self.header_face}"
        )


def _num(value: float | None, places: int = 3) -> str:
    return "-" if value is None else f"{value:.{places}f}"


def weigh(seed: int, bold: bool) -> Weighed:
    label = studio_label(seed, BOLD_BODY if bold else ())
    check = verify_label(label.panels, label.application).check("warning_body_not_bold")
    details = check.details
    header_px, body_px = details.get("header_stroke_px"), details.get("body_stroke_px")
    look = label.spec.look
    return Weighed(
        seed=seed,
        bold=bold,
        face=look.body_family,
        header_face=look.header_family,
        blur=look.blur_radius,
        outcome=check.outcome.value,
        em=details.get("body_stroke_em"),
        coverage=details.get("body_coverage"),
        stroke_px=body_px,
        header_ratio=header_px / body_px if header_px and body_px else None,
    )


def _span(values: list[float | None]) -> str:
    known = [value for value in values if value is not None]
    return f"{min(known):.3f}-{max(known):.3f}" if known else "-"


def report(rows: list[Weighed]) -> None:
    by_face: dict[tuple[str, bool], list[Weighed]] = defaultdict(list)
    for row in rows:
        by_face[(row.face, row.bold)].append(row)
    print(f"{'body face':24} {'kind':7} {'n':>3}  {'em':11}  {'letters':11}  outcomes")
    for (face, bold), group in sorted(by_face.items()):
        outcomes = dict(Counter(row.outcome for row in group))
        print(
            f"{face:24} {'bold' if bold else 'regular':7} {len(group):3}  "
            f"{_span([r.em for r in group]):11}  {_span([r.coverage for r in group]):11}  "
            f"{outcomes}"
        )
    passed = [row for row in rows if row.bold and row.outcome == "pass"]
    failed = [row for row in rows if not row.bold and row.outcome == "fail"]
    print(f"\nbold bodies passed as regular: {len(passed)}")
    for row in passed:
        print(row.line())
    print(f"regular bodies failed as bold: {len(failed)}")
    for row in failed:
        print(row.line())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pools", default="11,12", help="studio seed pools, comma-separated")
    parser.add_argument("--every", type=int, default=8, help="one seed in this many per pool")
    parser.add_argument("--offset", type=int, default=0, help="first seed's index in a pool")
    args = parser.parse_args(argv)
    pools = [int(pool) for pool in args.pools.split(",")]
    if STUDIO_HELD_OUT_SEED in pools:
        parser.error(f"pool {STUDIO_HELD_OUT_SEED} is held out: never tune on it")
    seeds = [
        pool * CORPUS_STRIDE + index
        for pool in pools
        for index in range(args.offset, POOL_LABELS, args.every)
    ]
    jobs = [(seed, bold) for seed in seeds for bold in (False, True)]
    rows = [weigh(seed, bold) for seed, bold in tqdm(jobs, desc="weights", file=sys.stderr)]
    report(rows)


if __name__ == "__main__":
    main()
