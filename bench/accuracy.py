"""How well does the engine decide, on labels it was tuned on and on labels it was not?

One run reports four corpora side by side:

- `generator`: the project's own `labelgen` (the engine was developed on it);
- `studio`: the second renderer (`labelgen.studio`), tuning seeds;
- `held-out`: the same renderer, seeds kept out of all tuning (only totals
  are printed for them, never a label's errors);
- `real`: the real approved wine labels of the development corpus (skipped
  when the folder is absent; it is not part of the project).

Speed is engine time per label set, in seconds and in T: one plain, warm,
single-threaded `tesseract` pass over the same front panel, timed in the
same run, so machines of different speed compare.

    .venv/bin/python -m bench.accuracy                      # everything, default sizes
    .venv/bin/python -m bench.accuracy --generator 60 --studio 40 --held-out 0 --show-errors

Targets (issue 13): held-out >= 95% verdict accuracy, 0 false COMPLIANT,
compliant called NON_COMPLIANT <= 2%; generator >= 98% clean and >= 90%
degraded; real: no NON_COMPLIANT on brand or alcohol, brand read >= 80%,
alcohol read >= 85%; real label sets p50 <= 7 T and max <= 20 T; generated
labels p50 <= 0.5 s.
"""

from __future__ import annotations

import argparse
import io
import json
import random
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image
from tqdm import tqdm

from labelgen import (
    CHECK_IDS,
    DEGRADATIONS,
    RenderedLabel,
    compatible_failures,
    render_label,
    spec_for_seed,
)
from labelgen.studio import studio_corpus
from verifier.engine import (
    Application,
    BeverageType,
    Outcome,
    Verdict,
    VerificationResult,
    verify_label,
)
from verifier.engine.images import load_image
from verifier.engine.models import union_of

REAL_DEV = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real-wine-dev"
STUDIO_TUNING_SEED = 1
STUDIO_HELD_OUT_SEED = 7  # never tune on these; only their totals are printed


@dataclass
class Tally:
    labels: int = 0
    correct: int = 0
    false_compliant: int = 0
    compliant_labels: int = 0
    compliant_rejected: int = 0  # compliant labels called NON_COMPLIANT
    review: int = 0
    seconds: list[float] = field(default_factory=list)
    # Engine seconds of the labels with no failure put in: only a failure about to be
    # reported takes a second look, so these are the labels that must stay fast.
    compliant_seconds: list[float] = field(default_factory=list)
    in_t: list[float] = field(default_factory=list)
    t_seconds: list[float] = field(default_factory=list)
    confusion: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    mistakes: list[str] = field(default_factory=list)

    def add(self, label: RenderedLabel, result: VerificationResult, name: str) -> None:
        self.labels += 1
        self.correct += result.verdict is label.expected_verdict
        self.review += result.verdict is Verdict.NEEDS_REVIEW
        if label.expected_failures and result.verdict is Verdict.COMPLIANT:
            self.false_compliant += 1
        if not label.expected_failures:
            self.compliant_labels += 1
            self.compliant_rejected += result.verdict is Verdict.NON_COMPLIANT
        failed = {check.id for check in result.checks if check.outcome is Outcome.FAIL}
        reviewed = {check.id for check in result.checks if check.outcome is Outcome.REVIEW}
        for check_id in CHECK_IDS:
            expected = check_id in label.expected_failures
            if check_id in failed:
                self.confusion[check_id]["tp" if expected else "fp"] += 1
            elif expected:
                self.confusion[check_id]["fn"] += 1
            if check_id in reviewed:
                self.confusion[check_id]["review"] += 1
        # A wrong verdict, or a check failed that nothing was injected into: a fail
        # that is not confirmed, even where another failure made the verdict right.
        if result.verdict is not label.expected_verdict or failed - label.expected_failures:
            self.mistakes.append(
                f"  {name}: expected {label.expected_verdict.value} "
                f"{sorted(label.expected_failures)}, got {result.verdict.value} "
                f"fail={sorted(failed)} review={sorted(reviewed)}"
            )
            self.mistakes.extend(
                f"      {check.outcome.value:<6} {check.id}: {check.message}"
                for check in result.checks
                if check.outcome in (Outcome.FAIL, Outcome.REVIEW)
            )

    def timed(self, seconds: float, t: float, *, compliant: bool = False) -> None:
        self.seconds.append(seconds)
        if compliant:
            self.compliant_seconds.append(seconds)
        self.t_seconds.append(t)
        self.in_t.append(seconds / t if t > 0 else 0.0)

    def verdict_line(self, name: str) -> str:
        share = self.correct / self.labels if self.labels else 0.0
        rejected = self.compliant_rejected / self.compliant_labels if self.compliant_labels else 0
        return (
            f"{name:<18} {self.labels:>4} labels  verdict accuracy {share:6.1%}  "
            f"false COMPLIANT {self.false_compliant}  compliant called NON_COMPLIANT "
            f"{self.compliant_rejected}/{self.compliant_labels} ({rejected:.1%})  "
            f"needs review {self.review}"
        )

    def speed_line(self, name: str) -> str:
        return (
            f"{name:<18} engine p50 {percentile(self.seconds, 0.5):.2f} s  "
            f"p95 {percentile(self.seconds, 0.95):.2f} s  max {max(self.seconds, default=0):.2f} s"
            f"   T p50 {percentile(self.t_seconds, 0.5):.2f} s   in T: "
            f"p50 {percentile(self.in_t, 0.5):.1f}  p95 {percentile(self.in_t, 0.95):.1f}  "
            f"max {max(self.in_t, default=0):.1f}"
            + (
                f"   compliant labels p50 {percentile(self.compliant_seconds, 0.5):.2f} s"
                if self.compliant_seconds
                else ""
            )
        )

    def check_table(self) -> list[str]:
        rows = [
            f"    {'check':<22} {'prec':>5} {'recall':>6} {'tp':>4} {'fp':>4} {'fn':>4} {'rev':>4}"
        ]
        for check_id in CHECK_IDS:
            counts = self.confusion[check_id]
            tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
            precision = f"{tp / (tp + fp):.2f}" if tp + fp else "-"
            recall = f"{tp / (tp + fn):.2f}" if tp + fn else "-"
            rows.append(
                f"    {check_id:<22} {precision:>5} {recall:>6} {tp:>4} {fp:>4} {fn:>4} "
                f"{counts['review']:>4}"
            )
        return rows


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def plain_tesseract_seconds(image_bytes: bytes) -> float:
    """T: one plain single-threaded `tesseract` pass over the panel, as the CLI runs it."""
    image = Image.open(io.BytesIO(image_bytes))
    with tempfile.NamedTemporaryFile(suffix=".png") as handle:
        image.convert("RGB").save(handle.name)
        started = time.perf_counter()
        subprocess.run(
            ["tesseract", handle.name, "-", "--oem", "1"],
            check=True,
            capture_output=True,
            env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"},
        )
        return time.perf_counter() - started


def measured(panels: list[bytes], application: Application) -> tuple[VerificationResult, float]:
    """The engine's result and T for the label set's front panel."""
    t = plain_tesseract_seconds(panels[0])
    return verify_label(panels, application), t


def generator_labels(count: int, seed: int, degraded_share: float) -> Iterator[RenderedLabel]:
    rng = random.Random(seed)
    for index in range(count):
        failures = compatible_failures(rng, rng.randint(1, 3)) if index % 2 else ()
        degradations: tuple[str, ...] = ()
        if rng.random() < degraded_share:
            degradations = tuple(rng.sample(DEGRADATIONS, rng.randint(1, 2)))
        spec = spec_for_seed(seed * 1_000_003 + index, failures=failures, degradations=degradations)
        yield render_label(spec)


def run_generator(args: argparse.Namespace) -> dict[str, Tally]:
    tallies = {"generator clean": Tally(), "generator degraded": Tally()}
    labels = generator_labels(args.generator, args.seed, args.degraded_share)
    for label in tqdm(labels, total=args.generator, desc="generator", file=sys.stderr):
        result, t = measured(label.panels, label.application)
        name = "generator degraded" if label.spec.degradations else "generator clean"
        tallies[name].add(label, result, f"seed {label.spec.seed} {list(label.spec.degradations)}")
        tallies[name].timed(result.timings["total"], t, compliant=not label.expected_failures)
    return tallies


def run_studio(count: int, seed: int, name: str) -> Tally:
    tally = Tally()
    for label in tqdm(studio_corpus(count, seed), total=count, desc=name, file=sys.stderr):
        result, t = measured(label.panels, label.application)
        tally.add(label, result, f"studio seed {label.spec.seed}")
        tally.timed(result.timings["total"], t, compliant=not label.expected_failures)
    return tally


def save_crops(crops: Path, name: str, image_bytes: bytes, result: VerificationResult) -> None:
    """Each failing check's evidence on an approved label, cut out (the whole label where
    the check points at no place: a statement not found), and a line in index.txt, so
    a person can see whether the defect is in the picture."""
    crops.mkdir(parents=True, exist_ok=True)
    image = load_image(image_bytes).image.convert("RGB")
    stem = Path(name).stem
    with (crops / "index.txt").open("a") as index:
        for check in result.checks:
            if check.outcome is not Outcome.FAIL:
                continue
            around = union_of(item.box for item in check.evidence if item.box is not None)
            piece = image
            if around is not None:  # with a few lines of the print around it
                pad = max(60, 2 * around.height)
                right, bottom = around.left + around.width, around.top + around.height
                piece = image.crop((around.left - pad, around.top - pad, right + pad, bottom + pad))
            file = f"{stem}-{check.id}.png"
            piece.save(crops / file)
            index.write(f"{file}\t{check.message}\n")


def run_real(folder: Path, verbose: bool, crops: Path | None = None) -> None:
    if not (folder / "manifest.json").is_file():
        # The corpus is not part of the project: a machine without it skips this part.
        print(f"real: skipped, no manifest.json in {folder}")
        return
    manifest = json.loads((folder / "manifest.json").read_text())
    if crops is not None:
        (crops / "index.txt").unlink(missing_ok=True)  # this run's crops only
    tally = Tally()
    brand_present = brand_read = abv_present = abv_read = 0
    non_compliant: Counter[str] = Counter()
    failing_checks: Counter[str] = Counter()
    verdicts: Counter[str] = Counter()
    notes = []
    for entry in tqdm(manifest["labels"], desc="real", unit="label", file=sys.stderr):
        brand, abv = entry["brand"], entry["abv"]
        application = Application(
            brand_name=brand["accept"][0] if brand["present"] else None,
            alcohol_content=f"{abv['accept_percent'][0]:g}%" if abv["present"] else None,
            beverage_type=BeverageType(entry["beverage_type"]),
        )
        image_bytes = (folder / entry["image"]).read_bytes()
        result, t = measured([image_bytes], application)
        if crops is not None and result.verdict is Verdict.NON_COMPLIANT:
            save_crops(crops, entry["image"], image_bytes, result)
        tally.timed(result.timings["total"], t)
        verdicts[result.verdict.value] += 1
        brand_check, alcohol_check = result.check("brand_name"), result.check("alcohol_content")
        if brand["present"]:
            brand_present += 1
            brand_read += brand_check.outcome is Outcome.PASS
        if abv["present"]:
            abv_present += 1
            abv_read += alcohol_check.outcome is Outcome.PASS
        for check in result.checks:
            if check.outcome is Outcome.FAIL:
                failing_checks[check.id] += 1
                if check.id in ("brand_name", "alcohol_content"):
                    non_compliant[check.id] += 1
        if verbose or result.verdict is Verdict.NON_COMPLIANT:
            notes.append(f"  {entry['image']}: {result.verdict.value}")
            notes.extend(
                f"      {check.outcome.value:<6} {check.id}: {check.message}"
                for check in result.checks
                if check.outcome is Outcome.FAIL or (verbose and check.outcome is Outcome.REVIEW)
            )
    print(f"real               {sum(verdicts.values()):>4} labels  verdicts {dict(verdicts)}")
    print(
        f"    brand read {brand_read}/{brand_present} = {brand_read / max(brand_present, 1):.1%}"
        f"   alcohol read {abv_read}/{abv_present} = {abv_read / max(abv_present, 1):.1%}"
        f"   NON_COMPLIANT on brand {non_compliant['brand_name']}, "
        f"on alcohol {non_compliant['alcohol_content']}"
    )
    print(f"    failing checks on approved labels: {dict(failing_checks.most_common())}")
    print(tally.speed_line("real"))
    if notes:
        print("\n".join(notes))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--generator", type=int, default=200, help="labelgen labels (0: none)")
    parser.add_argument("--seed", type=int, default=1, help="labelgen corpus seed")
    parser.add_argument("--degraded-share", type=float, default=0.3)
    parser.add_argument("--studio", type=int, default=200, help="studio tuning labels")
    parser.add_argument("--studio-seed", type=int, default=STUDIO_TUNING_SEED)
    parser.add_argument("--held-out", type=int, default=200, help="studio held-out labels")
    parser.add_argument("--real", type=Path, default=REAL_DEV, help="real labels with manifest")
    parser.add_argument("--no-real", action="store_true")
    parser.add_argument(
        "--crops",
        type=Path,
        help="save the evidence of each failing check on a real label NON_COMPLIANT here "
        "(e.g. test-artifacts/real-noncompliant; not committed)",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="per-check tables")
    parser.add_argument(
        "--show-errors",
        action="store_true",
        help="each wrong verdict, and each check failed that was not injected, with the "
        "label's failing and review checks (never for held-out seeds)",
    )
    args = parser.parse_args(argv)
    plain_tesseract_seconds(_blank_png())  # warm: binary and language data in the page cache
    tallies: dict[str, Tally] = {}
    if args.generator:
        tallies.update(run_generator(args))
    if args.studio:
        tallies["studio"] = run_studio(args.studio, args.studio_seed, "studio")
    if args.held_out:
        tallies["held-out"] = run_studio(args.held_out, STUDIO_HELD_OUT_SEED, "held-out")
    for name, tally in tallies.items():
        print(tally.verdict_line(name))
    for name, tally in tallies.items():
        print(tally.speed_line(name))
    for name, tally in tallies.items():
        if args.verbose and name != "held-out":
            print(f"{name}:")
            print("\n".join(tally.check_table()))
        if args.show_errors and name != "held-out" and tally.mistakes:
            print(f"{name} wrong verdicts and false fails:")
            print("\n".join(tally.mistakes))
    if not args.no_real:
        run_real(args.real, args.verbose, args.crops)


def _blank_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 60), "white").save(buffer, "PNG")
    return buffer.getvalue()


if __name__ == "__main__":
    main()
