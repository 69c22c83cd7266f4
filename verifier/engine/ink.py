"""A word's ink, cut out of a panel, and the width of its strokes."""

from __future__ import annotations

import cv2
import numpy as np

from verifier.engine.models import Box


def crop_ink(gray: np.ndarray, box: Box) -> np.ndarray | None:
    """The word's ink as a 0/1 mask, or None.

    Which tone is ink is read off a thin ring just outside the box, which is
    background: heavy condensed capitals can cover more than half of their
    own box, so "ink is the minority" would measure the gaps between them.
    """
    top, left = max(0, box.top), max(0, box.left)
    bottom = min(gray.shape[0], box.top + box.height)
    right = min(gray.shape[1], box.left + box.width)
    crop = gray[top:bottom, left:right]
    if crop.size < 16 or min(crop.shape) < 4:
        return None
    threshold, binary = cv2.threshold(crop, 0, 1, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ring = _ring(gray, top, left, bottom, right)
    if ring.size:
        light_ground = np.count_nonzero(ring > threshold) > ring.size / 2
    else:
        light_ground = np.count_nonzero(binary) > binary.size / 2
    if light_ground:
        binary = 1 - binary
    return binary.astype(np.uint8)


def letters_ink(gray: np.ndarray, box: Box, *, sideways: bool = False) -> np.ndarray | None:
    """The word's ink with its letters side by side (a sideways word turned), without
    the rules printed across or under it (`without_rules`), or None.

    Rules are found on a crop a letter height longer at each end, where a rule
    goes on and a letter's bar at the word's end does not.
    """
    reach = min(box.width, box.height)
    if sideways:
        wider = Box(box.left, box.top - reach, box.width, box.height + 2 * reach)
    else:
        wider = Box(box.left - reach, box.top, box.width + 2 * reach, box.height)
    mask = crop_ink(gray, wider)
    if mask is None:
        return None
    if sideways:
        mask = np.ascontiguousarray(mask.T)
    start = box.top - max(0, wider.top) if sideways else box.left - max(0, wider.left)
    length = box.height if sideways else box.width
    return without_rules(mask)[:, start : start + length]


# Rules are printed level or, on a label photographed askew, a few degrees off.
_RULE_SLOPES = (0.0, 0.035, -0.035, 0.07, -0.07, 0.105, -0.105)


def without_rules(mask: np.ndarray) -> np.ndarray:
    """`mask` (letters side by side) without the rules printed across or under them:
    straight runs of ink along the line, level or a few degrees off, longer than one
    and a half times its height, which no letter's stroke is. A rule touching the
    letters joins them into one blob."""
    length = max(int(1.5 * mask.shape[0]), 12)
    if mask.shape[1] <= length:
        return mask
    if _longest_run(mask.any(axis=0)) < length:
        return mask  # a rule inks every column it crosses; most words have gaps
    # The rules run one way: the slope that finds the most of them. (Every slope at
    # once would take, beside a level rule, a slanting cut through a letter's bar.)
    rules = max((_runs_along(mask, length, slope) for slope in _RULE_SLOPES), key=np.count_nonzero)
    return cv2.subtract(mask, rules)


def rules_painted_out(rgb: np.ndarray) -> np.ndarray | None:
    """A piece of one line of print with the rules across or along it (`without_rules`)
    painted in the background's colour; None when it has none. A letter a rule
    crossed loses a rule's width of ink, which the engines read through; the rule
    itself they read as letters ("(T)" for a "(1)" under a frame's edge)."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    mask = crop_ink(gray, Box(0, 0, gray.shape[1], gray.shape[0]))
    if mask is None:
        return None
    rules = cv2.subtract(mask, without_rules(mask))
    if not rules.any():
        return None
    painted = rgb.copy()
    painted[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = np.median(rgb[mask == 0], axis=0)
    return painted


def without_long_lines(mask: np.ndarray, length: int) -> np.ndarray:
    """`mask` without straight runs of ink longer than `length` in any direction near
    level or plumb: frames, rules and borders around a block of text, which no
    letter's stroke is as long as (`length` a few letter heights). The ink is
    thickened by a pixel first, so that a hairline between the slopes tried
    still holds a straight run, and looked at in 2x2 cells (a whole panel's ink
    took 0.4 s at full size, 0.1 s so); only when some blob is as long as a line."""
    height, width = mask.shape
    thick = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    _, _, stats, _ = cv2.connectedComponentsWithStats(thick, connectivity=8)
    longest = max(
        stats[1:, cv2.CC_STAT_WIDTH].max(initial=0), stats[1:, cv2.CC_STAT_HEIGHT].max(initial=0)
    )
    if longest < length - 3:  # a run of length // 2 cells spans length - 3 pixels at least
        return mask
    thick = np.pad(thick, ((0, height % 2), (0, width % 2)))
    cells = thick.reshape(thick.shape[0] // 2, 2, thick.shape[1] // 2, 2).max(axis=(1, 3))
    cells = np.ascontiguousarray(cells)
    lines = np.zeros_like(cells)
    for slope in _RULE_SLOPES:
        lines |= _runs_along(cells, max(2, length // 2), slope)
        lines |= _runs_along(np.ascontiguousarray(cells.T), max(2, length // 2), slope).T
    full = lines.repeat(2, axis=0).repeat(2, axis=1)[:height, :width]
    return cv2.subtract(mask, full & mask)


def _longest_run(flags: np.ndarray) -> int:
    """The length of the longest run of True in a 1-D array."""
    edges = np.diff(np.concatenate(([0], flags.astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return int((ends - starts).max(initial=0))


def _runs_along(mask: np.ndarray, length: int, slope: float) -> np.ndarray:
    """The ink on straight runs `length` long at `slope` (rows per column)."""
    rise = round(abs(slope) * (length - 1))
    kernel = np.zeros((rise + 1, length), np.uint8)
    start, end = (0, rise) if slope >= 0 else (rise, 0)
    cv2.line(kernel, (0, start), (length - 1, end), 1, 1)
    # Beyond the crop is no ink: a letter's bar at its edge is no rule.
    return cv2.morphologyEx(
        mask, cv2.MORPH_OPEN, kernel, borderType=cv2.BORDER_CONSTANT, borderValue=0
    )


def _ring(gray: np.ndarray, top: int, left: int, bottom: int, right: int) -> np.ndarray:
    """Pixels in a 2 px band around a box, inside the image."""
    pad = 2
    outer = gray[max(0, top - pad) : bottom + pad, max(0, left - pad) : right + pad]
    parts = [
        gray[max(0, top - pad) : top, max(0, left - pad) : right + pad],
        gray[bottom : bottom + pad, max(0, left - pad) : right + pad],
        gray[top:bottom, max(0, left - pad) : left],
        gray[top:bottom, right : right + pad],
    ]
    flat = [part.ravel() for part in parts if part.size]
    return np.concatenate(flat) if flat and outer.size else np.empty(0, dtype=gray.dtype)


def stroke_width(mask: np.ndarray) -> float | None:
    """Twice the mean distance-to-background along the strokes' centre lines."""
    padded = cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0)
    distance = cv2.distanceTransform(padded, cv2.DIST_L2, 5)
    ridge = (distance > 0) & (distance >= cv2.dilate(distance, np.ones((3, 3), np.uint8)) - 1e-6)
    if np.count_nonzero(ridge) < 3:
        return None
    # Distances run between pixel centres: an odd-width stroke's centre pixel
    # reads half a pixel wide on average, which matters at 3-5 px strokes.
    return float(2.0 * distance[ridge].mean() - 0.5)
