"""Tesseract in this process, through its C API (tesserocr).

A `tesseract` subprocess per pass spent about 0.15 s starting and loading its
model before reading a pixel: on a clean label that was 40 % of the engine's
time. Engines are kept loaded in a small pool instead, one per thread reading
at the same time, and handed the image's pixels directly.

The language data (`eng.traineddata`) comes from the system's Tesseract
package, found where Debian and Ubuntu put it, or in `TESSDATA_PREFIX`.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import numpy as np

# Read once when the library loads; one thread per engine is faster overall on
# a small machine shared with the web workers.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

import tesserocr  # after the thread limit above

from verifier.engine.errors import BackendTimeout, BackendUnavailable

LANGUAGE = "eng"
_SYSTEM_TESSDATA = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
    "/usr/local/share/tessdata",
    "/opt/homebrew/share/tessdata",
)
_NUMBER_COLUMNS = (
    "level",
    "page_num",
    "block_num",
    "par_num",
    "line_num",
    "word_num",
    "left",
    "top",
    "width",
    "height",
)


@cache
def tessdata_dir() -> Path | None:
    """The directory holding the language data, or None when there is none."""
    configured = os.environ.get("TESSDATA_PREFIX")
    candidates = (configured,) if configured else _SYSTEM_TESSDATA
    for candidate in candidates:
        if (Path(candidate) / f"{LANGUAGE}.traineddata").is_file():
            return Path(candidate)
    return None


def language_data() -> Path:
    """The directory holding the language data; BackendUnavailable, saying where it
    was looked for, when there is none."""
    directory = tessdata_dir()
    if directory is None:
        where = os.environ.get("TESSDATA_PREFIX") or ", ".join(_SYSTEM_TESSDATA)
        raise BackendUnavailable(
            f"Tesseract's language data ({LANGUAGE}.traineddata) is not in {where}: "
            "install tesseract-ocr-eng or set TESSDATA_PREFIX."
        )
    return directory


@cache
def tesseract_version() -> str | None:
    """Tesseract's version ("5.5.4"), or None when it cannot read (no language data)."""
    if tessdata_dir() is None:
        return None
    first_line = tesserocr.tesseract_version().splitlines()[0]  # "tesseract 5.5.4"
    return first_line.split()[-1]


class _Pool:
    """Loaded engines, each lent to one thread at a time."""

    def __init__(self) -> None:
        self._idle: list[tesserocr.PyTessBaseAPI] = []
        self._lock = threading.Lock()

    def _new(self) -> tesserocr.PyTessBaseAPI:
        return tesserocr.PyTessBaseAPI(
            path=f"{language_data()}/", lang=LANGUAGE, oem=tesserocr.OEM.LSTM_ONLY
        )

    @contextmanager
    def engine(self) -> Iterator[tesserocr.PyTessBaseAPI]:
        with self._lock:
            api = self._idle.pop() if self._idle else None
        if api is None:
            api = self._new()
        try:
            yield api
        finally:
            with self._lock:
                self._idle.append(api)


_pool = _Pool()


@contextmanager
def _set_up(
    api: tesserocr.PyTessBaseAPI, psm: int, variables: dict[str, str]
) -> Iterator[tesserocr.PyTessBaseAPI]:
    """The engine in page-segmentation mode `psm` with `variables` set, and put back."""
    api.SetPageSegMode(psm)
    before = {name: api.GetVariableAsString(name) for name in variables}
    for name, value in variables.items():
        api.SetVariable(name, value)
    try:
        yield api
    finally:
        for name, value in before.items():
            api.SetVariable(name, value)


def image_to_data(
    gray: np.ndarray,
    *,
    psm: int,
    variables: dict[str, str] | None = None,
    deadline: float | None = None,
) -> dict[str, list]:
    """Tesseract's word table for an 8-bit grey image, column by column: `text`,
    `conf` (-1 on rows that are not words), `left`, `top`, `width`, `height`, and
    the `block_num`, `par_num`, `line_num` a word belongs to."""
    timeout_ms = 0
    if deadline is not None:
        timeout_ms = int((deadline - time.monotonic()) * 1000)
        if timeout_ms <= 0:
            raise BackendTimeout("Tesseract ran out of time reading the label.")
    pixels = np.ascontiguousarray(gray, dtype=np.uint8)
    height, width = pixels.shape
    with _pool.engine() as engine, _set_up(engine, psm, variables or {}) as api:
        api.SetImageBytes(pixels.tobytes(), width, height, 1, width)
        if not api.Recognize(timeout=timeout_ms):
            if deadline is not None:
                raise BackendTimeout("Tesseract ran out of time reading the label.")
            raise BackendUnavailable("Tesseract could not read the image.")
        tsv = api.GetTSVText(0)
    return _columns(tsv)


def _columns(tsv: str) -> dict[str, list]:
    data: dict[str, list] = {name: [] for name in (*_NUMBER_COLUMNS, "conf", "text")}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        for name, cell in zip(_NUMBER_COLUMNS, cells, strict=False):
            data[name].append(int(cell))
        data["conf"].append(float(cells[10]))
        data["text"].append("\t".join(cells[11:]))
    return data
