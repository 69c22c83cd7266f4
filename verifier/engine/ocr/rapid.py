"""The second OCR engine: PP-OCRv4 text detection and recognition on ONNX Runtime.

`rapidocr-onnxruntime` ships its models inside the wheel, so nothing is
downloaded at run time. It reads scene text, which labels are: coloured and
patterned grounds, seals and rules crossing the print, tight leading, where
Tesseract's page segmentation loses whole lines. It is a different model
family from Tesseract's LSTM, so where the two agree the reading is
independent evidence, which is what the second look needs.

A panel is read in two steps, each under our control:

- detection finds text lines on a copy scaled so the letters stand about
  `DETECTION_TEXT_PX` tall, within `DETECTION_PIXELS`;
- each line is cut out of the full-resolution panel, scaled so its letters
  are about `RECOGNITION_HEIGHT` px tall (cubic; the model's own linear
  resize of small crops runs words together), turned upright when it runs
  sideways, and recognised.

Recognition gives a confidence per character and the column each character
was read at, so every word gets a box and a confidence like Tesseract's.
"""

from __future__ import annotations

import math
import re
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import metadata

import cv2
import numpy as np
from PIL import Image

from verifier.engine.errors import BackendTimeout, BackendUnavailable
from verifier.engine.models import Box, Line, PanelReading, Word, union_of
from verifier.engine.ocr.preprocessing import dark_on_light, estimate_text_height

NAME = "rapidocr"
DETECTION_TEXT_PX = 24.0  # letter height the detector is given (see `detect`)
MIN_DETECTION_TEXT_PX = 14.0
MAX_DETECTION_SCALE = 2.0
DETECTION_PIXELS = 1_000_000
RECOGNITION_HEIGHT = 48
# Lines whose recognition is this unsure are not reported: they are texture,
# seals and flourishes that detection took for text.
MIN_LINE_SCORE = 0.5
SURE_LINE_SCORE = 0.8
# ONNX Runtime threads per call (`configure`). One engine per process serves
# every request, so requests queue on the lock rather than fight for the cores.
THREADS = 2
SIDEWAYS = 1.5  # a detected line this much taller than wide runs sideways
_COLUMN_PX = 8  # recognition decodes one character position per 8 px of its input


@dataclass(frozen=True)
class _Models:
    detector: object
    recogniser: object
    classifier: object


_lock = threading.Lock()


@cache
def rapidocr_version() -> str | None:
    """The installed package version, or None when the engine cannot load (health check)."""
    try:
        return metadata.version("rapidocr-onnxruntime")
    except metadata.PackageNotFoundError:
        return None


_threads = THREADS


def configure(*, threads: int) -> None:
    """Threads per call from now on (the models load again when this changes)."""
    global _threads
    if threads != _threads:
        _threads = threads
        _models.cache_clear()


@cache
def _models() -> _Models:
    try:
        from rapidocr_onnxruntime.ch_ppocr_cls import TextClassifier
        from rapidocr_onnxruntime.ch_ppocr_det import TextDetector
        from rapidocr_onnxruntime.ch_ppocr_rec import TextRecognizer
        from rapidocr_onnxruntime.utils import read_yaml, update_model_path
    except ImportError as error:  # pragma: no cover - the package is a requirement
        raise BackendUnavailable(f"The second OCR engine is not installed: {error}") from error
    from rapidocr_onnxruntime.main import DEFAULT_CFG_PATH

    config = update_model_path(read_yaml(str(DEFAULT_CFG_PATH)))
    for part in ("Det", "Cls", "Rec"):
        config[part]["intra_op_num_threads"] = _threads
        config[part]["inter_op_num_threads"] = 1
    # We scale the panel ourselves; detection takes it as it comes.
    config["Det"]["limit_type"] = "max"
    config["Det"]["limit_side_len"] = 8192  # `detect` has scaled the panel already
    return _Models(
        detector=TextDetector(config["Det"]),
        recogniser=TextRecognizer(config["Rec"]),
        classifier=TextClassifier(config["Cls"]),
    )


class RapidOcrBackend:
    """Reads a whole panel: every detected line, words with boxes and confidences."""

    name = NAME

    @property
    def version(self) -> str:
        _models()  # raises BackendUnavailable when the engine cannot load
        return f"rapidocr-onnxruntime {rapidocr_version() or 'unknown'} (PP-OCRv4)"

    def read(self, image: Image.Image, *, panel: int, deadline: float | None) -> PanelReading:
        started = time.monotonic()
        rgb = np.asarray(image.convert("RGB"))
        lines = read_lines(rgb, deadline=deadline)
        return PanelReading(
            panel=panel,
            backend=NAME,
            lines=lines,
            width=image.width,
            height=image.height,
            seconds=time.monotonic() - started,
        )


def read_lines(rgb: np.ndarray, *, deadline: float | None = None) -> list[Line]:
    """Detect and recognise every text line of a panel, in panel pixels."""
    found = detect(rgb, deadline=deadline)
    return [line for line in recognise(rgb, found, deadline=deadline) if line is not None]


@dataclass(frozen=True)
class DetectedLine:
    """A text line the detector found: its corners and its upright bounding box."""

    quad: np.ndarray  # top-left, top-right, bottom-right, bottom-left, panel pixels
    box: Box


def detect(rgb: np.ndarray, *, deadline: float | None = None) -> list[DetectedLine]:
    """The panel's text lines, top to bottom, left to right.

    The detector finds lines best when their letters stand 20-30 px tall: a
    panel with smaller type is enlarged for it (two tightly set 20 px lines
    are found as two at 1.5x, as one or none at 1x), as far as the pixel
    budget allows.
    """
    if rgb.size == 0 or min(rgb.shape[:2]) < 8:
        return []
    _check_time(deadline)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    scale = _detection_scale(bgr)
    if scale != 1.0:
        shrink = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
        bgr = cv2.resize(bgr, None, fx=scale, fy=scale, interpolation=shrink)
    with _lock:
        quads, _ = _models().detector(bgr)  # type: ignore[operator]
    if quads is None or len(quads) == 0:
        return []
    found = []
    for quad in quads:
        quad = np.asarray(quad, dtype=np.float32) / scale
        x0, y0 = np.floor(quad.min(axis=0)).astype(int)
        x1, y1 = np.ceil(quad.max(axis=0)).astype(int)
        found.append(DetectedLine(quad, Box(int(x0), int(y0), int(x1 - x0), int(y1 - y0))))
    return sorted(found, key=lambda line: (round(line.box.top / 8), line.box.left))


def _detection_scale(bgr: np.ndarray) -> float:
    """Letters about `DETECTION_TEXT_PX` tall, within `DETECTION_PIXELS` (its time and
    memory grow with the area), never so small that letters fall under 14 px."""
    pixels = bgr.shape[0] * bgr.shape[1]
    budget = math.sqrt(DETECTION_PIXELS / pixels)
    height = estimate_text_height(dark_on_light(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)))
    if not height:
        return round(min(1.0, budget), 2)
    wanted = min(DETECTION_TEXT_PX / height, MAX_DETECTION_SCALE, budget)
    return round(max(wanted, min(1.0, MIN_DETECTION_TEXT_PX / height)), 2)


def recognise(
    rgb: np.ndarray, lines: Sequence[DetectedLine], *, deadline: float | None = None
) -> list[Line | None]:
    """Each detected line read into words; None where nothing could be read."""
    if not lines:
        return []
    _check_time(deadline)
    bgr = np.ascontiguousarray(rgb[:, :, ::-1])
    crops = [_cut_line(bgr, line.quad) for line in lines]
    models = _models()
    with _lock:
        upright = _turn_upright(models, crops)
        recognised, _ = models.recogniser(  # type: ignore[operator]
            [crop.image for crop in upright], return_word_box=True
        )
        # The orientation classifier is unsure on some side strips: a sideways
        # line read poorly is read turned the other way too, and the better kept.
        doubtful = [
            index
            for index, crop in enumerate(upright)
            if crop.sideways and recognised[index][1] < SURE_LINE_SCORE
        ]
        if doubtful:
            turned = [_turned_over(upright[index]) for index in doubtful]
            again, _ = models.recogniser(  # type: ignore[operator]
                [crop.image for crop in turned], return_word_box=True
            )
            for index, crop, result in zip(doubtful, turned, again, strict=True):
                if result[1] > recognised[index][1]:
                    upright[index], recognised[index] = crop, result
    result: list[Line | None] = []
    for crop, (text, score, word_info) in zip(upright, recognised, strict=True):
        words = _words(text, word_info, crop) if text.strip() and score >= MIN_LINE_SCORE else []
        result.append(Line(tuple(words), union_of(w.box for w in words)) if words else None)
    return result


def recognise_images(
    images: Sequence[np.ndarray], *, deadline: float | None = None
) -> list[tuple[str, float]]:
    """Upright RGB crops of single lines, each read as text with its confidence (0..1)."""
    if not images:
        return []
    _check_time(deadline)
    prepared = []
    for image in images:
        bgr = np.ascontiguousarray(image[:, :, ::-1])
        if bgr.shape[0] < RECOGNITION_HEIGHT:
            factor = RECOGNITION_HEIGHT / max(bgr.shape[0], 1)
            bgr = cv2.resize(bgr, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        prepared.append(bgr)
    with _lock:
        recognised, _ = _models().recogniser(prepared)  # type: ignore[operator]
    return [(text, float(score)) for text, score in recognised]


def _check_time(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise BackendTimeout("The second OCR engine ran out of time reading the label.")


@dataclass(frozen=True)
class _Crop:
    """A detected line cut out and scaled for recognition, and how to map back."""

    image: np.ndarray
    quad: np.ndarray  # corners in the source image: top-left, top-right, bottom-right, bottom-left
    sideways: bool  # the line runs along the quad's height
    flipped: bool = False  # turned 180 degrees before recognition


def _cut_line(bgr: np.ndarray, quad: np.ndarray) -> _Crop:
    width = int(max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3])))
    height = int(max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2])))
    width, height = max(width, 1), max(height, 1)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(quad, target)
    crop = cv2.warpPerspective(
        bgr, matrix, (width, height), borderMode=cv2.BORDER_REPLICATE, flags=cv2.INTER_CUBIC
    )
    sideways = height >= SIDEWAYS * width
    if sideways:
        crop = np.ascontiguousarray(np.rot90(crop))
    letters = crop.shape[0]
    if letters < RECOGNITION_HEIGHT:
        factor = RECOGNITION_HEIGHT / letters
        crop = cv2.resize(crop, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    return _Crop(crop, quad, sideways)


def _turned_over(crop: _Crop) -> _Crop:
    return _Crop(np.ascontiguousarray(np.rot90(crop.image, 2)), crop.quad, True, not crop.flipped)


def _turn_upright(models: _Models, crops: list[_Crop]) -> list[_Crop]:
    """Sideways lines may run either way: the classifier says which are upside down."""
    sideways = [index for index, crop in enumerate(crops) if crop.sideways]
    if not sideways:
        return crops
    images, _, _ = models.classifier([crops[index].image for index in sideways])  # type: ignore[operator]
    turned = list(crops)
    for index, image in zip(sideways, images, strict=True):
        flipped = not np.array_equal(image, crops[index].image)
        turned[index] = _Crop(np.ascontiguousarray(image), crops[index].quad, True, flipped)
    return turned


def _words(text: str, word_info: list, crop: _Crop) -> list[Word]:
    """Split a recognised line at its spaces; each word's box from its characters' columns."""
    _, _, _, _, probabilities = word_info
    height, width = crop.image.shape[:2]
    # The model reads its input (letters scaled to 48 px) in columns of 8 px.
    step = _COLUMN_PX / math.ceil(48 * width / height)
    columns = _character_columns(text, word_info)
    words: list[Word] = []
    for span in word_spans(text):
        token = text[span.start : span.stop]
        # A character is decoded near its centre: widen by a column either side.
        start = max(0.0, (columns[span.start] - 1) * step)
        end = min(1.0, (columns[span.stop - 1] + 2) * step)
        chances = [probabilities[i] for i in span if i < len(probabilities)] or [0.0]
        # The weakest letter matters: one misread glyph makes a different word.
        confidence = 100.0 * (min(chances) + sum(chances) / len(chances)) / 2
        box = _span_box(crop, start, max(end, start + step))
        words.append(Word(token, round(confidence, 1), box))
    return words


# Where a space went missing after punctuation: "GOVERNMENT:WARNING:(1)",
# "According.to.the", "General;women". Not inside "ALC./VOL.", "U.S.A." or
# "13.5%": both sides must be letters (or an opening bracket), two or more.
_LOST_SPACE = re.compile(r"(?<=[A-Za-z]{2}[.,:;])(?=\(|[A-Za-z]{2})")


def word_spans(text: str) -> list[range]:
    """Character ranges of the words of a recognised line: split at spaces, and after
    punctuation that the model ran into the next word."""
    spans = []
    for match in re.finditer(r"\S+", text):
        start = match.start()
        for cut in _LOST_SPACE.finditer(match.group(0)):
            spans.append(range(start, match.start() + cut.start()))
            start = match.start() + cut.start()
        spans.append(range(start, match.end()))
    return [span for span in spans if len(span)]


def _character_columns(text: str, word_info: list) -> list[int]:
    """The decoding column of each character of `text`, spaces included."""
    columns, groups, group_columns, _, _ = word_info
    flat = [column for group in group_columns for column in group]
    if len("".join(char for group in groups for char in group)) == len(text) == len(flat):
        return flat
    # The grouping did not cover the text: spread the characters evenly.
    return [round(i * columns / max(len(text), 1)) for i in range(len(text))]


def _span_box(crop: _Crop, start: float, end: float) -> Box:
    """The panel box of the part [start, end) (shares of reading direction) of a line."""
    quad = crop.quad
    if crop.flipped:
        start, end = 1.0 - end, 1.0 - start
    if crop.sideways:
        # Turned counter-clockwise to be read, the crop reads down the quad's
        # sides (top-right to bottom-right); turned back 180 degrees, up them.
        along = (quad[1], quad[2], quad[0], quad[3])
    else:
        along = (quad[0], quad[1], quad[3], quad[2])
    first_a, first_b, second_a, second_b = along
    points = [
        first_a + (first_b - first_a) * start,
        first_a + (first_b - first_a) * end,
        second_a + (second_b - second_a) * start,
        second_a + (second_b - second_a) * end,
    ]
    xs = [float(p[0]) for p in points]
    ys = [float(p[1]) for p in points]
    x0, y0 = math.floor(min(xs)), math.floor(min(ys))
    x1, y1 = math.ceil(max(xs)), math.ceil(max(ys))
    return Box(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
