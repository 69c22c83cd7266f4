"""Tesseract OCR backend: words with boxes and confidences, on the CPU.

An upright pass reads the panel, levelled. When it finds no health warning, or
finds text printed sideways (a side strip is the usual reason), the panel is
read again turned 90 and 270 degrees, levelled by the same angle (a label
photographed askew is askew all over), and confident lines from those passes
replace what the upright pass made of the vertical text. A pass over a panel
that a blank band parts between blocks reads its two halves at once, one per
core (`read_page`). A pass that read next to nothing is read again with the
print thresholded locally rather than once for the page.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from itertools import groupby

import cv2
import numpy as np
from PIL import Image
from rapidfuzz import fuzz

from verifier.engine.backends import Backend
from verifier.engine.models import Box, Line, PanelReading, Word, union_of
from verifier.engine.ocr.passes import best_lines, is_vertical, line_confidence, merge_readings
from verifier.engine.ocr.preprocessing import (
    PanelTransform,
    blank_band_cut,
    dark_on_light,
    estimate_skew,
    estimate_text_height,
    prepare,
    stretch_contrast,
    to_gray,
    upscale_factor,
)
from verifier.engine.ocr.tesseract_api import image_to_data, language_data, tesseract_version
from verifier.engine.reading_order import sideways_in_order

# Page segmentation modes. Automatic (3) for a panel, which mixes centred lines
# and blocks; sideways text is left to the turned passes.
PAGE = 3
PAGE_VARIABLES = {"textord_tabfind_vertical_text": "0"}
# Thresholded locally (Sauvola) rather than once for the page (Otsu): for a panel whose
# global threshold left next to nothing to read (`_COLLAPSED` words or fewer).
LOCAL_THRESHOLD = {**PAGE_VARIABLES, "thresholding_method": "2"}
_COLLAPSED = 10
SINGLE_LINE = 7
BLOCK = 6
ALTERNATE_SCALE = 2.0
# A rule across a region read again: this many letters and pixels long at least, and
# this many pixels thick at most.
_RULE_LETTERS = 4
_RULE_MIN_PX = 60
_RULE_MAX_PX = 8
FRAGMENT_HEIGHT_PX = 60  # a fragment's crop, letters plus a little margin
DOUBTFUL_LINE = 75.0
SHORT_LINE_CHARACTERS = 40
MAX_SECOND_LOOKS = 3  # mean word confidence for a line to outrank another reading
MAX_UPSCALED_PIXELS = 8_000_000  # beyond this a second, larger pass costs seconds
SMALL_WORD_HEIGHT_PX = 16
WARNING_WORDS = ("GOVERNMENT", "WARNING", "SURGEON", "PREGNANCY", "MACHINERY")


class TesseractBackend:
    name = Backend.TESSERACT

    @property
    def version(self) -> str:
        return tesseract_version() or "unknown"

    def read(self, image: Image.Image, *, panel: int, deadline: float | None) -> PanelReading:
        started = time.monotonic()
        language_data()  # before any work: BackendUnavailable without it
        gray = stretch_contrast(dark_on_light(to_gray(image)))
        letters = estimate_text_height(gray)
        scale = upscale_factor(letters)
        skew = estimate_skew(gray)

        def read_pass(rotation: int, skew: float, scale: float) -> list[Line]:
            letter_px = letters * scale if letters else None
            return self._read_pass(
                gray, rotation=rotation, skew=skew, scale=scale, letter_px=letter_px,
                deadline=deadline,
            )  # fmt: skip

        lines = read_pass(0, skew, scale)
        if needs_larger_scale(lines, scale) and gray.size * (2 * scale) ** 2 <= MAX_UPSCALED_PIXELS:
            # Small or blotchy print: the blob-size estimate was fooled (barcodes,
            # touching letters). A second look at twice the size often reads it.
            lines = best_lines(lines, read_pass(0, skew, 2 * scale))
        rotation = 0
        if not mentions_warning(lines) or any(is_vertical(line) for line in lines):
            # Side strips run bottom-to-top far more often than top-to-bottom. Turned a
            # quarter, a strip is as far off level as the rest of the panel was.
            for turn in (90, 270):
                turned = read_pass(turn, skew, scale)
                merged = merge_readings(lines, turned)
                if merged is not lines:
                    lines, rotation = merged, turn
                    if mentions_warning(lines):
                        break
        return PanelReading(
            panel=panel,
            backend=self.name,
            lines=sideways_in_order(lines),
            width=image.width,
            height=image.height,
            rotation=rotation,
            seconds=time.monotonic() - started,
        )

    def _read_pass(
        self,
        gray: np.ndarray,
        *,
        rotation: int,
        skew: float,
        scale: float,
        letter_px: float | None,
        deadline: float | None,
    ) -> list[Line]:
        prepared, transform = prepare(gray, rotation=rotation, skew=skew, scale=scale)
        lines = read_page(prepared, transform, letter_px=letter_px, deadline=deadline)
        if sum(len(line.words) for line in lines) <= _COLLAPSED:
            # Three tones, such as light print on a red label photographed on black (or a
            # pale surround, once levelling widened it): one threshold for the page falls
            # between the ground and the surround, and the print drowns in the ground.
            lines = read_page(prepared, transform, letter_px=letter_px, deadline=deadline,
                              variables=LOCAL_THRESHOLD)  # fmt: skip
        if rotation == 0:
            lines = self._second_look(prepared, transform, lines, deadline)
        return lines

    def _second_look(
        self,
        prepared: np.ndarray,
        transform: PanelTransform,
        lines: list[Line],
        deadline: float | None,
    ) -> list[Line]:
        """Re-read short, doubtful lines on their own as one text line.

        Page segmentation stumbles on short isolated lines ("1 L" read as
        "aL"); read alone with --psm 7 they usually come out right. A few
        tens of milliseconds each, and only for the doubtful ones.
        """
        doubtful = sorted(
            (
                index
                for index, line in enumerate(lines)
                if line.box is not None
                and line_confidence(line) < DOUBTFUL_LINE
                and len(line.text) <= SHORT_LINE_CHARACTERS
            ),
            key=lambda index: line_confidence(lines[index]),
        )[:MAX_SECOND_LOOKS]
        result = list(lines)
        for index in doubtful:
            best = lines[index]
            box = transform.box_to_prepared(best.box)
            pad = max(4, box.height // 2)
            left, top = max(0, box.left - pad), max(0, box.top - pad)
            right = min(prepared.shape[1], box.left + box.width + pad)
            bottom = min(prepared.shape[0], box.top + box.height + pad)
            # Enlarging the crop was tried: it fixes some low-resolution
            # lines and breaks as many clean ones ("1.5 L" -> "L5L").
            crop = prepared[top:bottom, left:right]
            data = image_to_data(crop, psm=SINGLE_LINE, deadline=deadline)
            within = transform.cropped(left, top, crop.shape[1], crop.shape[0])
            reread = lines_from_data(data, within)
            if len(reread) == 1 and line_confidence(reread[0]) > line_confidence(best) + 5:
                best = reread[0]
            result[index] = best
        return result


def read_page(
    prepared: np.ndarray,
    transform: PanelTransform,
    *,
    letter_px: float | None,
    deadline: float | None,
    variables: dict[str, str] = PAGE_VARIABLES,
) -> list[Line]:
    """The prepared panel read in page mode: in two halves at once where a blank band
    parts it between blocks (`blank_band_cut`), each half on its own core in about
    half the time, the upper half's lines first."""
    cut = blank_band_cut(prepared, letter_px)
    halves = [(0, prepared)] if cut is None else [(0, prepared[:cut]), (cut, prepared[cut:])]

    def read(half: tuple[int, np.ndarray]) -> list[Line]:
        top, pixels = half
        data = image_to_data(pixels, psm=PAGE, variables=variables, deadline=deadline)
        return lines_from_data(data, transform.cropped(0, top, pixels.shape[1], pixels.shape[0]))

    if len(halves) == 1:
        return read(halves[0])
    with ThreadPoolExecutor(max_workers=len(halves)) as pool:
        return [line for lines in pool.map(read, halves) for line in lines]


def read_region(rgb: np.ndarray, region: Box, *, deadline: float | None = None) -> list[Line]:
    """A region of the panel read again another way: the most contrasted colour channel,
    the background flattened out, binarised, at twice the scale, as a block of text.

    It is the same engine on different pixels: what it reads the same as before
    was no accident of one preprocessing.
    """
    top, left = max(0, region.top), max(0, region.left)
    bottom = min(rgb.shape[0], region.top + region.height)
    right = min(rgb.shape[1], region.left + region.width)
    if bottom - top < 8 or right - left < 8:
        return []
    crop = rgb[top:bottom, left:right]
    channel = max(
        (crop[:, :, index] for index in range(3)),
        key=lambda c: float(np.percentile(c, 95)) - float(np.percentile(c, 5)),
    )
    if np.median(channel) < 128:  # light print on a dark ground: make the print dark
        channel = 255 - channel
    # Dividing by a heavily blurred copy takes out gradients, paper grain and dots.
    background = cv2.medianBlur(channel, _odd(max(15, min(channel.shape[:2]) // 3)))
    flat = cv2.divide(channel, np.maximum(background, 1), scale=255)
    offset = PanelTransform.identity(rgb.shape[1], rgb.shape[0]).cropped(
        left, top, flat.shape[1], flat.shape[0]
    )
    # A side strip is read turned both ways; the turn that reads more, wins.
    turns = (90, 270) if flat.shape[0] > 1.5 * flat.shape[1] else (0,)
    best: list[Line] | None = None
    for turn in turns:
        prepared, transform = prepare(flat, rotation=turn, scale=ALTERNATE_SCALE)
        _, binary = cv2.threshold(prepared, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        data = image_to_data(_without_rules(binary), psm=BLOCK, deadline=deadline)
        lines = lines_from_data(
            data, offset.then(transform.matrix, transform.width, transform.height)
        )
        # Short words ("12 FL. OZ.") count for nothing in the quality: the first
        # turn's reading stands unless another reads more.
        if best is None or reading_quality(lines) > reading_quality(best):
            best = lines
    return best or []


def _without_rules(binary: np.ndarray) -> np.ndarray:
    """Dark print on white with the thin rules that run along or through its lines taken
    out: a rule ending on the top of a "t" reads "f", one struck through a line reads
    as noise. A rule is a run of ink four letters long at least (a quarter of the
    region when a rule through every letter left none to measure); a band as tall as
    `_RULE_MAX_PX` (a ribbon behind the text) is no rule and stays. Where a letter's
    stroke crossed the rule, with ink above and below it, the stroke goes on.

    Not `ink.without_long_lines` (made for a stroke-width measure, on 2x2 cells at
    fixed slopes): tried here, it left pieces of a rule that steps between its
    slopes across a whole warning, and the third look read "According tos" and
    "Consumption-of-alcoholic—" on a label this reads right (studio 14000152)."""
    ink = (binary == 0).astype(np.uint8)
    letters = estimate_text_height(binary)
    length = round(_RULE_LETTERS * letters) if letters else binary.shape[1] // 4
    # A rule a degree or two off level steps from row to row: its runs are sought on
    # the ink thickened by a pixel up and down.
    thickened = cv2.dilate(ink, np.ones((3, 1), np.uint8))
    along = np.ones((1, max(length, _RULE_MIN_PX)), np.uint8)
    runs = cv2.morphologyEx(thickened, cv2.MORPH_OPEN, along)
    bands = cv2.morphologyEx(runs, cv2.MORPH_OPEN, np.ones((_RULE_MAX_PX + 3, 1), np.uint8))
    # With two pixels either side: the rule's edges, ragged from anti-aliasing.
    rules = cv2.dilate(runs - bands, np.ones((5, 1), np.uint8)) & ink
    across = np.ones((2 * _RULE_MAX_PX + 1, 1), np.uint8)
    bridged = cv2.morphologyEx(ink - rules, cv2.MORPH_CLOSE, across)
    cleaned = binary.copy()
    cleaned[(rules > 0) & (bridged == 0)] = 255
    return cleaned


def _odd(value: int) -> int:
    return value if value % 2 else value + 1


def read_fragment(rgb: np.ndarray, *, deadline: float | None = None) -> tuple[str, float]:
    """One short upright piece of a line, read as a single text line: text and confidence
    (0..1). The piece is scaled so its letters stand about 40 px tall."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    factor = FRAGMENT_HEIGHT_PX / max(gray.shape[0], 1)
    if factor > 1:
        gray = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    data = image_to_data(gray, psm=SINGLE_LINE, deadline=deadline)
    words = [
        (text.strip(), float(confidence))
        for text, confidence in zip(data["text"], data["conf"], strict=True)
        if text and text.strip() and float(confidence) >= 0
    ]
    if not words:
        return "", 0.0
    return " ".join(text for text, _ in words), min(confidence for _, confidence in words) / 100


def lines_from_data(data: dict[str, list], transform: PanelTransform) -> list[Line]:
    """Group Tesseract's word rows into lines, boxes mapped to the original panel."""
    rows = [
        index
        for index, text in enumerate(data["text"])
        if text and text.strip() and float(data["conf"][index]) >= 0
    ]

    def line_key(index: int) -> tuple[int, int, int]:
        return (data["block_num"][index], data["par_num"][index], data["line_num"][index])

    lines = []
    for _, group in groupby(rows, key=line_key):
        members = list(group)
        spans = _own_spans(members, data)
        words = tuple(
            Word(
                text=data["text"][index].strip(),
                confidence=float(data["conf"][index]),
                box=transform.box_to_original(
                    left, data["top"][index], width, data["height"][index]
                ),
            )
            for index, (left, width) in zip(members, spans, strict=True)
        )
        lines.append(Line(words=words, box=union_of(word.box for word in words)))
    return lines


def _own_spans(members: list[int], data: dict[str, list]) -> list[tuple[int, int]]:
    """Each word's left edge and width along its line, cut back where its box reaches
    over a neighbour's middle: a rule or underline touching a word's letters joins
    them into one blob, and Tesseract boxes the word with the whole rule."""
    spans = []
    for position, index in enumerate(members):
        left, right = data["left"][index], data["left"][index] + data["width"][index]
        if position + 1 < len(members):
            following = members[position + 1]
            start = data["left"][following]
            if left < start and right > start + data["width"][following] / 2:
                right = start
        if position > 0:
            previous = members[position - 1]
            end = data["left"][previous] + data["width"][previous]
            if right > end and left < end - data["width"][previous] / 2:
                left = end
        spans.append((left, max(1, right - left)))
    return spans


def mentions_warning(lines: list[Line]) -> bool:
    """Whether any word looks like a word of the health warning, OCR noise allowed."""
    for line in lines:
        for word in line.words:
            letters = "".join(ch for ch in word.text.upper() if ch.isalpha())
            if len(letters) >= 5 and any(
                fuzz.ratio(letters, target) >= 80 for target in WARNING_WORDS
            ):
                return True
    return False


def reading_quality(lines: list[Line]) -> int:
    """How many real words were read confidently: the measure to compare passes by."""
    return sum(
        1
        for line in lines
        for word in line.words
        if word.confidence >= 80 and sum(ch.isalnum() for ch in word.text) >= 3
    )


def needs_larger_scale(lines: list[Line], scale: float) -> bool:
    """Whether the pass looks like print too small for Tesseract at this scale."""
    words = [word for line in lines for word in line.words if word.box is not None]
    if scale >= 2 or not words:
        return False
    confident_share = reading_quality(lines) / len(words)
    median_height = float(np.median([word.box.height for word in words])) * scale
    return confident_share < 0.6 or median_height < SMALL_WORD_HEIGHT_PX
