"""Plain data the engine takes and returns.

Nothing here imports Django: the API, the batch worker, the CLI and the web
page all build an `Application` and `Options`, call `verify_label()` and read
a `VerificationResult`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from verifier.engine.backends import Backend

# 2: every fail confirmed by a second look; 2.1: bold by coverage;
# 2.2: rules taken out of letters, light bold bodies, two readings of the warning combined;
# 2.3: Tesseract in the process (5.5), bodies weighed by how much of their letters they fill;
# 2.4: absence confirmed by the reading that read every region, unsure figures confirmed by
# another engine, word boxes cut off rules, slanted rules taken out of letters;
# 2.5: a body bold on its own measures, a header no heavier than the body by 1.1x, the third
# look keeps short words, lines in small type over large read in order;
# 2.6: tilted lines re-read along their slope, a designation read in part looked for afresh,
# the warning's unread places cut level and one line high;
# 2.7: side strips' letters weighed one by one and their columns read in order, unread
# gaps cut into their lines, an added word confirmed wherever each engine placed it,
# places too small to hold a missing warning passed over;
# 2.8: a side strip turned by the way its columns read, frames and rules left out of unread
# ink, rules painted out of a re-read place, a missing run judged wherever it may slide,
# a colon between a percentage's figures read as its point (2.8.1: words follow each other
# down a side strip; a statement that stops short may go on on the next line; 2.8.2: a re-read
# place catches up to five letters of its neighbours, a bowl cut by its left edge reads "o");
# 2.9: names agree where they differ from the filed one, a header's small letters compared,
# a type size one reading could not scale confirmed by one that could, a third look passing
# what another read less surely, no designation out of a bottler's name, an italic ampersand
# read "ex", one letter a piece of a short word, "FL, OZ" (2.9.1: marks between a bottler
# phrase's words, a brand sharing letters with the filed one, a neighbour read as required
# places a missing run, unsure alcohol findings kept, light bodies by coverage on wide strokes;
# 2.9.2: a side strip's lines detected with it turned, figures re-read with a digit's room,
# "ALC:13.5%", a "by" whose "y" was lost);
# 2.10: both engines in doubt settled by a third look, rules taken out of the third look's
# place, a warning read word for word beside mere doubts, a statement the detector cut at a
# wide space read whole, a designation stacked one word a line (2.10.1: a statement not found
# looked for again where the other reading doubted it, "ALC12%BYVOL", a U.S. unit whose figure
# was lost, malt units read by the other engine, type sizes agreeing within a fifth; 2.10.2: a
# word read again on its own over a line that holds it is read once; 2.10.3: the same verdicts
# sooner, a warning's alignment worked out once per reading; 2.10.4: a light body whose letters
# fill as much of their boxes as a Palatino-like bold face's is a doubt; 2.10.5: nor does a
# header far heavier make it regular; 2.10.6: a header as light as a body that heavy is no
# "not bold");
# 2.11: a panel parted by a blank band between blocks read as two halves at once; a header
# far heavier stands in for a body's letters filled by blur only on fine strokes;
# 2.12: a brand stands out by its letters' height, not its line box's; a word both readings
# find missing is confirmed within the longer run of missing words one of them found;
# 2.13: turned passes levelled by the panel's skew; a pass that read next to nothing read
# again thresholded locally (Sauvola);
# 2.14: words missing at a statement's end judged on ink within its column, letter-tall; a
# lone letter off the warning's lines is no word; a third look reading the same text less
# surely confirms; a brand confirmed among the other reading's prominent lines; the third
# look takes less room across the evidence; upright junk across a side strip gives way;
# "ALC.:12%"; 2.14.1: a failure whose evidence spans a line the first reading missed is
# read afresh on the whole panel
ENGINE_VERSION = "2.14.1"


class BeverageType(StrEnum):
    WINE = "wine"
    DISTILLED_SPIRITS = "distilled_spirits"
    MALT_BEVERAGE = "malt_beverage"


class Outcome(StrEnum):
    PASS = "pass"
    FAIL = "fail"
    REVIEW = "review"
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"


class Verdict(StrEnum):
    COMPLIANT = "COMPLIANT"
    NON_COMPLIANT = "NON_COMPLIANT"
    NEEDS_REVIEW = "NEEDS_REVIEW"


def intersects(first: Box, second: Box) -> bool:
    """Whether two boxes overlap (touching is not overlapping)."""
    return (
        first.left < second.left + second.width
        and second.left < first.left + first.width
        and first.top < second.top + second.height
        and second.top < first.top + first.height
    )


def share_inside(inner: Box | None, outer: Box | None) -> float:
    """The share of `inner`'s area that lies inside `outer` (0 when either is unknown)."""
    if inner is None or outer is None or inner.width * inner.height == 0:
        return 0.0
    width = min(inner.left + inner.width, outer.left + outer.width) - max(inner.left, outer.left)
    height = min(inner.top + inner.height, outer.top + outer.height) - max(inner.top, outer.top)
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / (inner.width * inner.height)


@dataclass(frozen=True)
class Application:
    """What the applicant filed. Every field is optional."""

    brand_name: str | None = None
    class_type: str | None = None
    alcohol_content: str | None = None
    net_contents: str | None = None
    bottler: str | None = None
    country_of_origin: str | None = None
    beverage_type: BeverageType | None = None
    is_import: bool | None = None

    def is_empty(self) -> bool:
        return all(value is None or value == "" for value in asdict(self).values())

    def to_dict(self) -> dict[str, Any]:
        return {key: value for key, value in asdict(self).items() if value not in (None, "")}


@dataclass(frozen=True)
class Options:
    backend: str = Backend.TESSERACT
    dpi: float | None = None  # physical scale when the caller knows it
    timeout_seconds: float = 30.0
    max_panels: int = 8  # images in one label set
    max_image_pixels: int = 50_000_000  # decoded pixels per image: a decompression-bomb guard


@dataclass(frozen=True)
class Box:
    """A rectangle in the panel's original pixel coordinates."""

    left: int
    top: int
    width: int
    height: int


def centre_in(inner: Box, outer: Box) -> bool:
    """Whether `inner`'s centre lies within `outer`."""
    x, y = inner.left + inner.width / 2, inner.top + inner.height / 2
    return (
        outer.left <= x <= outer.left + outer.width and outer.top <= y <= outer.top + outer.height
    )


def union_of(boxes: Iterable[Box | None]) -> Box | None:
    """The smallest box holding every given box; None when none is given."""
    present = [box for box in boxes if box is not None]
    if not present:
        return None
    left = min(box.left for box in present)
    top = min(box.top for box in present)
    right = max(box.left + box.width for box in present)
    bottom = max(box.top + box.height for box in present)
    return Box(left, top, right - left, bottom - top)


@dataclass(frozen=True)
class Word:
    text: str
    confidence: float  # 0..100; -1 when the backend gives none
    box: Box | None


@dataclass(frozen=True)
class Line:
    words: tuple[Word, ...]
    box: Box | None = None
    source: str = ""  # the engine that read it, when a reading mixes engines

    @property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)


@dataclass
class PanelReading:
    """What one backend read on one panel (one image of the label set)."""

    panel: int
    backend: str
    lines: list[Line]
    width: int
    height: int
    dpi: float | None = None
    rotation: int = 0  # degrees the panel was turned to be read
    seconds: float = 0.0
    # Text-like regions the reading saw but could not read (None: not looked
    # for). A statement not found is absent only where this is empty.
    unread: tuple[Box, ...] | None = None

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


@dataclass(frozen=True)
class Evidence:
    panel: int
    box: Box | None
    text: str = ""


@dataclass
class FoundText:
    """A piece of text located on the label, with the words that carry it."""

    text: str
    panel: int
    words: list[Word] = field(default_factory=list)
    confidence: float = 1.0  # 0..1: how sure the reading is (OCR confidence, fuzzy score)

    def box(self) -> Box | None:
        """The union of the words' boxes, or None when the backend gave none."""
        return union_of(word.box for word in self.words)


@dataclass
class LabelFields:
    """What extraction found on the label set (None: not found)."""

    brand_name: FoundText | None = None
    class_type: FoundText | None = None
    alcohol_content: FoundText | None = None
    abv: float | None = None
    proof: float | None = None
    net_contents: FoundText | None = None
    net_contents_ml: float | None = None
    bottler: FoundText | None = None
    country_of_origin: FoundText | None = None
    warning_header: FoundText | None = None  # the "GOVERNMENT WARNING:" words as read
    warning_body: FoundText | None = None  # "(1) According to ... health problems."
    beverage_type: BeverageType | None = None  # inferred from the label


@dataclass(frozen=True)
class WarningTypography:
    """Measurements of the printed warning, for §16.22 format checks.

    Stroke widths are in pixels of the panel image; None when not measurable
    (no boxes, or the words were not found).
    """

    header_stroke_px: float | None = None
    body_stroke_px: float | None = None
    letter_height_mm: float | None = None  # body text letter height; None without a scale
    characters_per_inch: float | None = None
    scale_source: str | None = None  # "caller" | "image_metadata" | None
    # Stroke width as a fraction of the type size (em), estimated from the
    # capital height (header) or x-height (body): comparable across sizes, so
    # a bold body is told apart from a regular header. On DejaVu and Liberation
    # renderings: regular 0.08-0.11, bold 0.115-0.17 (the font matters).
    header_stroke_em: float | None = None
    body_stroke_em: float | None = None
    # Header stroke over body stroke measured on the same capital letters
    # (the header's G and A against "General" and "According"): like with
    # like, whatever the case and shapes. ~1.0: the same weight.
    same_glyph_ratio: float | None = None
    # The same, by the share of each letter's box its ink covers (weight
    # relative to the letter's own height and width): a heavy condensed
    # header, whose narrow stems measure little above a wide regular face's,
    # still covers far more of its letters' boxes (bold 1.2-2.2, same weight ~1.0).
    same_glyph_coverage: float | None = None
    # The header capitals' own median coverage: regular capitals cover 0.3-0.47
    # of their boxes, bold ones 0.55-0.65, whatever the face's width.
    header_coverage: float | None = None
    # The body's small letters' own median coverage (glyphs.small_letter_coverage):
    # regular 0.39-0.50, bold 0.52-0.77.
    body_coverage: float | None = None
    # Blobs of ink around the statement that no read word covers, in panel
    # pixels: where they are not, a required word OCR did not report was not
    # printed. None when not examined (no image, or the statement not found).
    unread_ink: tuple[Box, ...] | None = None
    # Height of the alcohol statement's digits on the same scale. Mandatory
    # information is at least 2 mm high (27 CFR 4.38(b), 5.53, 7.53), so on an
    # approved label's true scale these digits are too: a scale that shrinks
    # them below it is an image's metadata, not the print's.
    alcohol_figure_height_mm: float | None = None


@dataclass
class Check:
    id: str
    outcome: Outcome
    message: str
    cfr: str
    expected: str | None = None
    found: str | None = None
    confidence: float = 1.0  # 0..1
    evidence: list[Evidence] = field(default_factory=list)
    backend: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PanelImage:
    """What the audit trail keeps of each panel's file (the image itself is not kept)."""

    sha256: str
    size_bytes: int
    format: str  # "jpeg" | "png" | "tiff" | "webp"
    width: int
    height: int


@dataclass
class VerificationResult:
    verdict: Verdict
    checks: list[Check]
    extracted_fields: dict[str, Any]
    readings: list[PanelReading]
    beverage_type: BeverageType | None
    backend: str  # the Backend that decided; `auto` results name each check's backend
    degraded: bool = False  # asked for a backend that was unavailable and fell back
    timings: dict[str, float] = field(default_factory=dict)
    engine_version: str = ENGINE_VERSION
    backend_versions: dict[str, str] = field(default_factory=dict)  # name -> what read
    images: list[PanelImage] = field(default_factory=list)  # one per panel, in order

    def check(self, check_id: str) -> Check:
        return next(check for check in self.checks if check.id == check_id)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
