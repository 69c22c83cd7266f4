"""A progress bar on stderr for long commands, hidden when nobody watches."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

from tqdm import tqdm

Item = TypeVar("Item")


def progress(items: Iterable[Item], *, total: int, description: str) -> Iterator[Item]:
    yield from tqdm(
        items, total=total, desc=description, unit="artifact", disable=not sys.stderr.isatty()
    )
