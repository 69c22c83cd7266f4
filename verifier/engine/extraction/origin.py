"""Name and address (§5.66–§5.68, §4.35, §7.66) and country of origin (19 CFR 134, §5.69, §7.69).

"Bottled by", "Distilled and bottled by", "Imported by" ... introduce the name
and address; when the rest of that line has no "City, ST" the next line is
taken too, because labels often break there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from verifier.engine.extraction.normalize import fold, glyph_fold, marks_as_letters, shape_fold
from verifier.engine.extraction.tokens import StreamLine, Token, found_text
from verifier.engine.models import FoundText

_VERBS = (
    r"(?:distilled|bottled|produced|brewed|imported|packed|packaged|vinted|cellared|blended"
    r"|made|crafted|canned|grown|aged|finished|rectified|manufactured)"
)
# Spaces are optional: the second engine runs small capitals together
# ("PRODUCEDANDBOTTLEDBY"); "by" (read "bv" or "py" on arched lettering)
# ends at a word break or where capitals go on; ending a line, its "y" may be
# lost ("Cellared and bottled b"). Between the words a dotted ground leaves
# marks ("Vinted:and bottled ‘by: Harrow").
_GAP = r"[\s:;.'‘’`]*"
_BOTTLER = re.compile(
    rf"\b{_VERBS}(?:{_GAP}(?:,|and|&){_GAP}{_VERBS})*{_GAP}(?:for{_GAP}and{_GAP})?"
    rf"(?:(?:by|bv|py)(?:\b|(?=(?-i:[A-Z])))|b$)[\s:]*",
    re.IGNORECASE,
)


def without_bottler_phrase(text: str) -> str:
    """ "Produced and bottled by Red Brick Winery, Napa, CA" -> "Red Brick Winery, Napa, CA"."""
    match = _BOTTLER.match(text.strip())
    return text.strip()[match.end() :] if match else text


_STATE_ABBREVIATIONS = {
    "al": "alabama", "ak": "alaska", "az": "arizona", "ar": "arkansas", "ca": "california",
    "co": "colorado", "ct": "connecticut", "de": "delaware", "fl": "florida", "ga": "georgia",
    "hi": "hawaii", "id": "idaho", "il": "illinois", "in": "indiana", "ia": "iowa", "ks": "kansas",
    "ky": "kentucky", "la": "louisiana", "me": "maine", "md": "maryland", "ma": "massachusetts",
    "mi": "michigan", "mn": "minnesota", "ms": "mississippi", "mo": "missouri", "mt": "montana",
    "ne": "nebraska", "nv": "nevada", "nh": "new hampshire", "nj": "new jersey", "nm": "new mexico",
    "ny": "new york", "nc": "north carolina", "nd": "north dakota", "oh": "ohio", "ok": "oklahoma",
    "or": "oregon", "pa": "pennsylvania", "ri": "rhode island", "sc": "south carolina",
    "sd": "south dakota", "tn": "tennessee", "tx": "texas", "ut": "utah", "vt": "vermont",
    "va": "virginia", "wa": "washington", "wv": "west virginia", "wi": "wisconsin", "wy": "wyoming",
    "dc": "district of columbia", "pr": "puerto rico",
}  # fmt: skip
_CITY_STATE = re.compile(
    r",\s*(?:"
    + "|".join(
        sorted(
            {
                *(a.upper() for a in _STATE_ABBREVIATIONS),
                *(s.title() for s in _STATE_ABBREVIATIONS.values()),
            },
            key=len,
            reverse=True,
        )
    )
    + r")\b",
    re.IGNORECASE,
)

COUNTRY_ALIASES = {
    "usa": "united states", "us": "united states", "u s a": "united states", "u s": "united states",
    "united states of america": "united states", "america": "united states",
    "united states": "united states",
    "uk": "united kingdom", "great britain": "united kingdom", "england": "united kingdom",
    "scotland": "united kingdom", "wales": "united kingdom", "holland": "netherlands",
    "korea": "south korea", "republic of korea": "south korea", "czechia": "czech republic",
    # Names as the producing country prints them.
    "italia": "italy", "espana": "spain", "deutschland": "germany", "osterreich": "austria",
    "mexique": "mexico", "grecia": "greece", "hellas": "greece",
}  # fmt: skip
_SINGLE_WORD_COUNTRIES = """
    france italy spain portugal germany austria greece hungary mexico scotland ireland england
    wales canada japan china korea australia chile argentina israel lebanon netherlands holland
    belgium poland russia sweden denmark finland norway jamaica barbados trinidad guatemala
    nicaragua venezuela peru brazil philippines india thailand vietnam taiwan croatia slovenia
    moldova romania bulgaria switzerland uruguay cuba haiti guyana cyprus turkey armenia ukraine
    estonia latvia lithuania iceland slovakia serbia luxembourg bolivia colombia ecuador panama
    honduras belize bahamas bermuda martinique guadeloupe georgia usa america czechia
"""
_MULTI_WORD_COUNTRIES = (
    "new zealand", "south africa", "dominican republic", "czech republic", "north macedonia",
    "el salvador", "costa rica", "united kingdom", "great britain", "united states",
    "united states of america", "u s a",
)  # fmt: skip
# Longest first, so "united states of america" is taken whole.
_COUNTRY_WORDS = sorted(
    {*_SINGLE_WORD_COUNTRIES.split(), *_MULTI_WORD_COUNTRIES}, key=len, reverse=True
)
_ORIGIN = re.compile(
    r"\b(?:product|produce|produced|made|imported|bottled|distilled|brewed|grown|wine"
    r"|produit|prodotto|producto|hecho|elaborado)"
    r"\s*(?:of|in|from|de|en|du|della|di)\s*(?:the\s+)?(?:republic\s+of\s+)?(?=\w)",
)
# Country names as OCR may garble them ("ltaly", "lfaly" for Italy): compared
# through the glyph folding, spaces left out.
_SHAPED_COUNTRIES = {shape_fold(name.replace(" ", "")): name for name in _COUNTRY_WORDS}
_LONGEST_COUNTRY = max(len(name.split()) for name in _COUNTRY_WORDS)


def _stated_country(folded: str) -> str | None:
    """The country an origin statement names, in folded text, or None."""
    for match in _ORIGIN.finditer(folded):
        words = folded[match.end() :].split()
        for size in range(min(_LONGEST_COUNTRY, len(words)), 0, -1):
            name = _SHAPED_COUNTRIES.get(shape_fold("".join(words[:size])))
            if name is not None:
                return name
    return None


def canonical_country(text: str) -> str:
    """Country names compared by meaning: "U.S.A." and "USA" are "united states", and
    "Product of Portugal", "Produce of Portugal", "Made in Portugal" all state "portugal"."""
    folded = fold(text)
    folded = _stated_country(folded) or folded
    return COUNTRY_ALIASES.get(folded, folded)


def canonical_address(text: str) -> str:
    """Folded, with state abbreviations spelled out ("KY" -> "kentucky")."""
    words = fold(text).split()
    return " ".join(
        _STATE_ABBREVIATIONS.get(word, word) if len(word) == 2 else word for word in words
    )


_HEADER_START = shape_fold("GOVERNM")


def _line_tokens(tokens: Sequence[Token], line: StreamLine) -> list[Token]:
    return [token for token in tokens if token.line == line.index]


def _after(line: StreamLine, tokens: Sequence[Token], offset: int) -> list[Token]:
    """Tokens of the line from character `offset` of its text on; a token the offset
    falls inside ("BYAtlanticVineImports", the phrase run into the name) keeps its rest."""
    picked, position = [], 0
    for token in _line_tokens(tokens, line):
        end = position + len(token.text)
        if position >= offset:
            picked.append(token)
        elif end > offset:
            rest = token.text[offset - position :]
            picked.append(replace(token, word=replace(token.word, text=rest)))
        position = end + 1
    return picked


def _phrase_match(
    lines: Sequence[StreamLine], position: int
) -> tuple[re.Match[str], StreamLine, int] | None:
    """A "Bottled by" phrase starting on line `position`, maybe ending on the next one.

    Returns the match, the line the phrase ends on, and the offset in that
    line's text where the statement begins.
    """
    line = lines[position]
    match = _BOTTLER.search(line.text)
    if match is not None:
        return match, line, match.end()
    following = lines[position + 1] if position + 1 < len(lines) else None
    if following is None or following.panel != line.panel:
        return None
    # "DISTILLED AND BOTTLED" / "BY LARKSPUR DISTILLING CO.": the phrase wraps.
    joined = f"{line.text} {following.text}"
    match = _BOTTLER.search(joined)
    if match is None or match.start() >= len(line.text) or match.end() <= len(line.text) + 1:
        return None
    return match, following, match.end() - len(line.text) - 1


def find_bottlers(lines: Sequence[StreamLine], tokens: Sequence[Token]) -> list[FoundText]:
    """Every name-and-address statement on the label, each without its "Bottled by" phrase."""
    found: list[FoundText] = []
    for position in range(len(lines)):
        phrase = _phrase_match(lines, position)
        if phrase is None:
            continue
        _, line, offset = phrase
        statement = _after(line, tokens, offset)
        following = lines[line.index + 1 : line.index + 3]
        for extra in following:
            if extra.panel != line.panel or _CITY_STATE.search(" ".join(t.text for t in statement)):
                break
            if _BOTTLER.search(extra.text):
                break
            statement += _line_tokens(tokens, extra)
        statement = _before_warning(statement)
        if statement:
            found.append(found_text(statement))
    return found


def _before_warning(statement: list[Token]) -> list[Token]:
    """The statement up to the warning's header, which no address runs into (a line
    read across from "Asheville, NC" into "GOVERNMENT WARNING: (1)" beside it)."""
    for position, token in enumerate(statement):
        if shape_fold(token.text).startswith(_HEADER_START):
            return statement[:position]
    return statement


def find_country(
    lines: Sequence[StreamLine], tokens: Sequence[Token], sought: str | None = None
) -> FoundText | None:
    """A country of origin statement ("Product of France", "Made in Mexico", "Imported from
    Italy"), also wrapped over two lines; else, when the application names a country, that
    country printed on its own line or ending an address ("Porto, Portugal")."""
    for line in lines:
        country = _stated_country(fold(marks_as_letters(line.text)))
        if country is not None:
            return _country_words(_line_tokens(tokens, line), country)
    for position, line in enumerate(lines):
        for following in _next_lines(lines, position):
            country = _stated_country(fold(marks_as_letters(f"{line.text} {following.text}")))
            if country is not None:
                tokens_of_both = _line_tokens(tokens, line) + _line_tokens(tokens, following)
                return _country_words(tokens_of_both, country)
    if sought:
        country = canonical_country(sought)
        printed = _in_glyphs(country)  # "lreland" is how a reader sees "Ireland"
        for line in lines:
            words = fold(line.text).split()
            if not printed or not words:
                continue
            # The country alone, or ending the line as an address does; not a name
            # that qualifies the words after it ("Jamaica Rum" is a class of rum).
            last = _in_glyphs(COUNTRY_ALIASES.get(words[-1], words[-1]))
            if f" {_in_glyphs(' '.join(words))}".endswith(f" {printed}") or last == printed:
                return _country_words(_line_tokens(tokens, line), country)
    return None


def _in_glyphs(text: str) -> str:
    return " ".join(glyph_fold(word) for word in text.split())


def _next_lines(lines: Sequence[StreamLine], position: int) -> list[StreamLine]:
    """The line after in reading order, and any line printed right under this one
    ("PRODUCT" over "OF ITALY" in a corner the reading order passed by)."""
    line = lines[position]
    found = [lines[position + 1]] if position + 1 < len(lines) else []
    box = line.line.box
    if box is None:
        return [other for other in found if other.panel == line.panel]
    for other in lines:
        below = other.line.box
        if other is line or other.panel != line.panel or below is None or other in found:
            continue
        gap = below.top - (box.top + box.height)
        overlap = min(box.left + box.width, below.left + below.width) - max(box.left, below.left)
        if -0.3 * box.height <= gap <= box.height and overlap > 0.5 * min(box.width, below.width):
            found.append(other)
    return [other for other in found if other.panel == line.panel]


def _country_words(line_tokens: list[Token], country: str) -> FoundText:
    """The tokens that spell `country`, or the whole line when they cannot be told apart."""
    country_words = [shape_fold(word) for word in country.split()]
    folded = [shape_fold(marks_as_letters(t.text)) for t in line_tokens]
    for start in range(len(folded) - len(country_words) + 1):
        if folded[start : start + len(country_words)] == country_words:
            return found_text(line_tokens[start : start + len(country_words)], text=country.title())
    return found_text(line_tokens, text=country.title())
