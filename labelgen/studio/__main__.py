"""`python -m labelgen.studio --out DIR --count N --seed S`: write studio labels to look at.

Each label gives its panel images and a JSON file with what the applicant
filed and the failures the verifier must find.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from labelgen.studio import studio_corpus


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="directory to write into")
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for index, label in enumerate(studio_corpus(args.count, args.seed)):
        extension = {"jpeg": "jpg", "tiff": "tif"}.get(label.image_format, label.image_format)
        names = []
        for panel_index, data in enumerate(label.panels):
            name = f"studio-{index:04d}-panel{panel_index}.{extension}"
            (args.out / name).write_bytes(data)
            names.append(name)
        look = label.spec.look
        summary = {
            "seed": label.spec.seed,
            "panels": names,
            "verdict": label.expected_verdict.value,
            "failures": sorted(label.expected_failures),
            "application": label.application.to_dict(),
            "look": {
                "palette": look.palette.name,
                "layout": look.layout,
                "background": [look.base, look.texture, look.dots],
                "brand_font": look.brand_family,
                "text_font": look.text_family,
                "warning_fonts": [look.header_family, look.body_family],
                "print_dpi": label.spec.dpi,
            },
        }
        (args.out / f"studio-{index:04d}.json").write_text(json.dumps(summary, indent=2))
    print(f"wrote {args.count} labels to {args.out}")


if __name__ == "__main__":
    main()
