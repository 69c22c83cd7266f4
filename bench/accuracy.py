"""How well does the engine decide? Generated labels with known answers, and
optionally the real approved wine labels of the development corpus.

    .venv/bin/python -m bench.accuracy --count 200 --seed 1
    .venv/bin/python -m bench.accuracy --count 0 --real /work/shared/corpus/real-wine-dev

Targets: clean verdict accuracy >= 98% and degraded >= 90%, with no label
carrying an injected failure called COMPLIANT; engine time p50 <= 0.5 s and
p95 <= 1.0 s per clean label; on the real labels no NON_COMPLIANT on brand or
alcohol, brand read >= 60%, alcohol read >= 70%.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from labelgen import CHECK_IDS, DEGRADATIONS, compatible_failures, render_label, spec_for_seed
from verifier.engine import (
    Application,
    BeverageType,
    Outcome,
    Verdict,
    VerificationResult,
    verify_label,
)


@dataclass
class Tally:
    labels: int = 0
    correct: int = 0
    false_compliant: int = 0
    review: int = 0
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)

    def line(self, name: str) -> str:
        share = self.correct / self.labels if self.labels else 0.0
        return (
            f"{name:<9} {self.labels:>4} labels  verdict accuracy {share:6.1%}  "
            f"false COMPLIANT {self.false_compliant}  needs review {self.review}"
        )


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the Tesseract runs).

    Wall time on a shared machine measures the neighbours too; CPU time is
    what one label costs.
    """
    own = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own + children.ru_utime + children.ru_stime


def generated_corpus(count: int, seed: int, degraded_share: float):
    rng = random.Random(seed)
    for index in range(count):
        failures = compatible_failures(rng, rng.randint(1, 3)) if index % 2 else ()
        degradations: tuple[str, ...] = ()
        if rng.random() < degraded_share:
            degradations = tuple(rng.sample(DEGRADATIONS, rng.randint(1, 2)))
        yield spec_for_seed(seed * 1_000_003 + index, failures=failures, degradations=degradations)


def run_generated(args: argparse.Namespace) -> None:
    tallies = {"clean": Tally(), "degraded": Tally()}
    confusion: dict[str, Counter] = defaultdict(Counter)  # check id -> tp/fp/fn/review
    mistakes: list[str] = []
    specs = list(generated_corpus(args.count, args.seed, args.degraded_share))
    for spec in tqdm(specs, desc="generated", unit="label", file=sys.stderr):
        label = render_label(spec)
        cpu_before = cpu_seconds()
        result = verify_label(label.panels, label.application)
        tally = tallies["degraded" if spec.degradations else "clean"]
        tally.labels += 1
        tally.seconds.append(result.timings["total"])
        tally.cpu_seconds.append(cpu_seconds() - cpu_before)
        tally.correct += result.verdict is label.expected_verdict
        tally.review += result.verdict is Verdict.NEEDS_REVIEW
        if label.expected_failures and result.verdict is Verdict.COMPLIANT:
            tally.false_compliant += 1
        failed = {check.id for check in result.checks if check.outcome is Outcome.FAIL}
        reviewed = {check.id for check in result.checks if check.outcome is Outcome.REVIEW}
        for check_id in CHECK_IDS:
            expected = check_id in label.expected_failures
            if check_id in failed:
                confusion[check_id]["tp" if expected else "fp"] += 1
            elif expected:
                confusion[check_id]["fn"] += 1
            if check_id in reviewed:
                confusion[check_id]["review"] += 1
        if result.verdict is not label.expected_verdict:
            mistakes.append(
                f"  seed {spec.seed}: expected {label.expected_verdict.value} "
                f"{sorted(label.expected_failures)}, got {result.verdict.value} "
                f"fail={sorted(failed)} review={sorted(reviewed)} "
                f"degradations={list(spec.degradations)}"
            )
            if args.show_errors:
                mistakes.extend(_explain(result))
    print(tallies["clean"].line("clean"))
    print(tallies["degraded"].line("degraded"))
    total = sum(t.labels for t in tallies.values())
    reviews = sum(t.review for t in tallies.values())
    print(f"review rate {reviews / total:.1%} of {total} labels" if total else "no labels")
    clean_seconds = tallies["clean"].seconds
    all_seconds = clean_seconds + tallies["degraded"].seconds
    print(
        f"engine time clean p50 {percentile(clean_seconds, 0.5):.2f} s  "
        f"p95 {percentile(clean_seconds, 0.95):.2f} s   "
        f"all p50 {percentile(all_seconds, 0.5):.2f} s  p95 {percentile(all_seconds, 0.95):.2f} s"
    )
    clean_cpu = tallies["clean"].cpu_seconds
    print(
        f"engine CPU  clean p50 {percentile(clean_cpu, 0.5):.2f} s  "
        f"p95 {percentile(clean_cpu, 0.95):.2f} s  (wall time also counts waiting for a core)"
    )
    print(
        f"{'check':<22} {'precision':>9} {'recall':>7} {'tp':>4} {'fp':>4} {'fn':>4} {'review':>6}"
    )
    for check_id in CHECK_IDS:
        counts = confusion[check_id]
        tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
        precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
        recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
        print(
            f"{check_id:<22} {precision:>9} {recall:>7} {tp:>4} {fp:>4} {fn:>4} "
            f"{counts['review']:>6}"
        )
    if mistakes and (args.verbose or args.show_errors):
        print("wrong verdicts:")
        print("\n".join(mistakes))


def _explain(result: VerificationResult) -> list[str]:
    """The failing and review checks' messages, to see why a verdict went wrong."""
    return [
        f"      {check.outcome.value:<6} {check.id}: {check.message}"
        for check in result.checks
        if check.outcome in (Outcome.FAIL, Outcome.REVIEW)
    ]


def run_real(folder: Path, verbose: bool) -> None:
    if not (folder / "manifest.json").is_file():
        # The corpus is not part of the project: a machine without it skips this part.
        print(f"real labels: skipped, no manifest.json in {folder}")
        return
    manifest = json.loads((folder / "manifest.json").read_text())
    brand_present = brand_read = abv_present = abv_read = 0
    non_compliant: Counter[str] = Counter()
    failing_checks: Counter[str] = Counter()  # every check id that failed, to find false alarms
    verdicts: Counter[str] = Counter()
    seconds = []
    notes = []
    for entry in tqdm(manifest["labels"], desc="real", unit="label", file=sys.stderr):
        brand, abv = entry["brand"], entry["abv"]
        application = Application(
            brand_name=brand["accept"][0] if brand["present"] else None,
            alcohol_content=f"{abv['accept_percent'][0]:g}%" if abv["present"] else None,
            beverage_type=BeverageType(entry["beverage_type"]),
        )
        result = verify_label([(folder / entry["image"]).read_bytes()], application)
        seconds.append(result.timings["total"])
        verdicts[result.verdict.value] += 1
        brand_check = result.check("brand_name")
        alcohol_check = result.check("alcohol_content")
        if brand["present"]:
            brand_present += 1
            brand_read += brand_check.outcome is Outcome.PASS
        if abv["present"]:
            abv_present += 1
            abv_read += alcohol_check.outcome is Outcome.PASS
        for check in (brand_check, alcohol_check):
            if check.outcome is Outcome.FAIL:
                non_compliant[check.id] += 1
        for check in result.checks:
            if check.outcome is Outcome.FAIL:
                failing_checks[check.id] += 1
        notes.append(
            f"  {entry['image']}: brand {brand_check.outcome.value} ({brand_check.found!r}) "
            f"alcohol {alcohol_check.outcome.value} ({alcohol_check.found!r})"
        )
    print(f"real labels: {len(manifest['labels'])}  verdicts {dict(verdicts)}")
    print(f"brand read {brand_read}/{brand_present} = {brand_read / max(brand_present, 1):.1%}")
    print(f"alcohol read {abv_read}/{abv_present} = {abv_read / max(abv_present, 1):.1%}")
    print(
        f"NON_COMPLIANT on brand {non_compliant['brand_name']}, "
        f"on alcohol {non_compliant['alcohol_content']}"
    )
    print(f"failing checks on approved labels: {dict(failing_checks.most_common())}")
    print(
        f"engine time p50 {percentile(seconds, 0.5):.2f} s  p95 {percentile(seconds, 0.95):.2f} s"
    )
    if verbose:
        print("\n".join(notes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--count", type=int, default=200, help="generated labels (0: none)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--degraded-share", type=float, default=0.3)
    parser.add_argument("--real", type=Path, help="folder of real labels with a manifest.json")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every wrong answer")
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="with each wrong verdict, the messages of its failing and review checks",
    )
    args = parser.parse_args(argv)
    if args.count:
        run_generated(args)
    if args.real:
        run_real(args.real, args.verbose)


if __name__ == "__main__":
    main()
