"""`python -m labelgen --out DIR --count N`: write sample labels to look at."""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from labelgen import DEGRADATIONS, compatible_failures, render_label, spec_for_seed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--count", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    for index in range(args.count):
        seed = args.seed * 100_000 + index
        failures = compatible_failures(rng, rng.randint(1, 3)) if rng.random() < 0.5 else ()
        degradations = tuple(d for d in DEGRADATIONS if rng.random() < 0.15)
        label = render_label(spec_for_seed(seed, failures=failures, degradations=degradations))
        for panel_index, data in enumerate(label.panels):
            name = f"label-{index:04d}-panel{panel_index}.{label.image_format}"
            (args.out / name).write_bytes(data)
        summary = {
            "failures": sorted(label.expected_failures),
            "degradations": list(degradations),
            "verdict": label.expected_verdict.value,
            "application": label.application.to_dict(),
        }
        (args.out / f"label-{index:04d}.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {args.count} labels to {args.out}")


if __name__ == "__main__":
    main()
