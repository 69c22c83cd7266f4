"""Text folding shared by extraction and the comparison rules.

Agents forgive case, punctuation, apostrophe style, spacing and diacritics
("STONE'S THROW" = "Stone’s Throw"), but not a different word; `fold()` is
that forgiveness written down once.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = "'’‘`´ʼ"
_NON_WORD = re.compile(r"[^0-9a-z]+")

# Glyphs OCR confuses in print (l/I/1/|, O/0, S/5, rn/m ...). Folding both
# sides through this map tells a misread glyph from a different word.
_SHAPE_PAIRS = (
    ("rn", "m"),
    ("vv", "w"),
    ("cl", "d"),
    ("li", "h"),
)
_SHAPE_CHARS = str.maketrans(
    {"1": "l", "i": "l", "|": "l", "!": "l", "0": "o", "5": "s", "8": "b", "2": "z", "6": "b"}
)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


# The warning's alignment folds the same few hundred words tens of thousands of times.
@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lowercase words separated by single spaces; apostrophes vanish, other punctuation splits."""
    text = strip_diacritics(text).lower()
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "")
    return _NON_WORD.sub(" ", text).strip()


def fold_token(text: str) -> str:
    """One word folded, with no inner spaces ("(1)" -> "1", "WARNING:" -> "warning")."""
    return fold(text).replace(" ", "")


@lru_cache(maxsize=16384)
def shape_fold(text: str) -> str:
    """Fold a token further so glyphs OCR confuses compare equal ("WARNlNG" ~ "WARNING")."""
    folded = fold_token(text).translate(_SHAPE_CHARS)
    for pair, single in _SHAPE_PAIRS:
        folded = folded.replace(pair, single.translate(_SHAPE_CHARS))
    return folded


def same_text(left: str, right: str) -> bool:
    """Equal once case, punctuation, apostrophes, spacing and diacritics are forgiven."""
    return fold(left).replace(" ", "") == fold(right).replace(" ", "")


# Glyphs no reader can tell apart in most faces: l, I, 1 and |; O and 0.
_SAME_GLYPHS = str.maketrans({"1": "l", "i": "l", "|": "l", "!": "l", "0": "o"})
# A decorative ampersand read with a stray mark of its flourish ("e&", "&_"), or as
# the "e" its loop looks like ("Lark e Lantern", "Cask _e Compass"); a word of its
# own "e" is "and" in Italian and Portuguese names, an ampersand too. An italic
# ampersand is the "Et" it was drawn from, its tail read as t, x or r ("Bell ex
# Thistle"); "et" is "and" in French names.
_AMPERSAND = re.compile(r"(?<!\S)(?:\S?&\S?|[^\sA-Za-z0-9]?[eE][^\sA-Za-z0-9]?|[eE][trx])(?!\S)")


def glyph_fold(text: str) -> str:
    """A token folded, with the glyphs that look alike in print made one (l/I/1, O/0):
    "(I)" and "(1)" are the same printed mark."""
    return fold_token(text).translate(_SAME_GLYPHS)


def same_glyphs(left: str, right: str) -> bool:
    """Equal once case, punctuation and spacing are forgiven, and the glyphs that look
    alike in print (l/I/1, O/0; an ampersand read as "e" or with its flourish as a mark
    beside it, or an italic one as "et", "ex", "er"): "lronbound" is how a reader sees
    "Ironbound", "Cask e& Compass" and "Bell ex Thistle" "Cask & Compass" and
    "Bell & Thistle"."""
    return glyph_fold(_AMPERSAND.sub("&", left)) == glyph_fold(_AMPERSAND.sub("&", right))


_MARK_IN_WORD = re.compile(r"(?<=[A-Za-z])[!|1](?![0-9])|(?<![A-Za-z0-9])[!|](?=[A-Za-z])")


def marks_as_letters(text: str) -> str:
    """ "Portuga!", "|taly", "Bott1ed": a mark or digit OCR read for an l/I inside or at
    the edge of a word, put back as the letter, so folding does not drop it."""
    return _MARK_IN_WORD.sub("l", text)
