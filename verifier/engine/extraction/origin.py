"""Name and address (§5.66–§5.68, §4.35, §7.66) and country of origin (19 CFR 134, §5.69, §7.69).

"Bottled by", "Distilled and bottled by", "Imported by" ... introduce the name
and address; when the rest of that line has no "City, ST" the next line is
taken too, because labels often break there.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from verifier.engine.extraction.normalize import fold
from verifier.engine.extraction.tokens import StreamLine, Token, found_text
from verifier.engine.models import FoundText

_VERBS = (
    r"(?:distilled|bottled|produced|brewed|imported|packed|packaged|vinted|cellared|blended"
    r"|made|crafted|canned|grown|aged|finished|rectified|manufactured)"
)
_BOTTLER = re.compile(
    rf"\b{_VERBS}(?:\s*(?:,|and|&)\s*{_VERBS})*\s+(?:for\s+and\s+)?by\b[\s:]*", re.IGNORECASE
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
    r"\s+(?:of|in|from|de|en|du|della|di)\s+(?:the\s+)?(" + "|".join(_COUNTRY_WORDS) + r")\b",
)


def canonical_country(text: str) -> str:
    """Country names compared by meaning: "U.S.A." and "USA" are "united states"."""
    folded = fold(text)
    return COUNTRY_ALIASES.get(folded, folded)


def canonical_address(text: str) -> str:
    """Folded, with state abbreviations spelled out ("KY" -> "kentucky")."""
    words = fold(text).split()
    return " ".join(
        _STATE_ABBREVIATIONS.get(word, word) if len(word) == 2 else word for word in words
    )


def _line_tokens(tokens: Sequence[Token], line: StreamLine) -> list[Token]:
    return [token for token in tokens if token.line == line.index]


def _after(line: StreamLine, tokens: Sequence[Token], offset: int) -> list[Token]:
    """Tokens of the line that start at or after character `offset` of its text."""
    picked, position = [], 0
    for token in _line_tokens(tokens, line):
        if position >= offset:
            picked.append(token)
        position += len(token.text) + 1
    return picked


def find_bottlers(lines: Sequence[StreamLine], tokens: Sequence[Token]) -> list[FoundText]:
    """Every name-and-address statement on the label, each without its "Bottled by" phrase."""
    found: list[FoundText] = []
    for position, line in enumerate(lines):
        match = _BOTTLER.search(line.text)
        if match is None:
            continue
        statement = _after(line, tokens, match.end())
        following = lines[position + 1 : position + 3]
        for extra in following:
            if extra.panel != line.panel or _CITY_STATE.search(" ".join(t.text for t in statement)):
                break
            if _BOTTLER.search(extra.text):
                break
            statement += _line_tokens(tokens, extra)
        if statement:
            found.append(found_text(statement))
    return found


def find_country(lines: Sequence[StreamLine], tokens: Sequence[Token]) -> FoundText | None:
    """A country of origin ("Product of France", "Made in Mexico", "Imported from Italy")."""
    for line in lines:
        match = _ORIGIN.search(fold(line.text))
        if match is None:
            continue
        country_words = match.group(1).split()
        line_tokens = _line_tokens(tokens, line)
        folded = [fold(t.text).replace(" ", "") for t in line_tokens]
        for start in range(len(folded) - len(country_words) + 1):
            if folded[start : start + len(country_words)] == [w for w in country_words]:
                return found_text(
                    line_tokens[start : start + len(country_words)], text=match.group(1).title()
                )
        return found_text(line_tokens, text=match.group(1).title())
    return None
