"""Field extraction: from what OCR read on each panel to `LabelFields`.

Every field keeps the `Word`s that carry it, so rules can cite the panel and
box, and typography can measure exactly those words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from verifier.engine.extraction.alcohol import find_alcohol, parse_alcohol_text
from verifier.engine.extraction.names import (
    find_brand,
    find_class_type,
    similarity,
    vocabulary_class_type,
)
from verifier.engine.extraction.net_contents import find_net_contents
from verifier.engine.extraction.normalize import fold_token, shape_fold
from verifier.engine.extraction.origin import find_bottlers, find_country, without_bottler_phrase
from verifier.engine.extraction.tokens import StreamLine, Token, stream_lines, stream_tokens
from verifier.engine.extraction.vocabulary import CLASS_TYPES, TYPE_HINTS
from verifier.engine.extraction.warning import find_warning
from verifier.engine.extraction.warning_alignment import WARNING_WORDS
from verifier.engine.models import (
    Application,
    BeverageType,
    FoundText,
    LabelFields,
    PanelReading,
)

__all__ = ["extract_fields", "infer_beverage_type", "warning_word_ids"]


def infer_beverage_type(
    lines: Sequence[StreamLine], tokens: Sequence[Token]
) -> BeverageType | None:
    """The beverage type the label itself suggests: its designation first, then telling words."""
    designation = vocabulary_class_type(lines, tokens)
    if designation is not None:
        return CLASS_TYPES[designation[1]]
    votes = Counter(
        TYPE_HINTS[word] for token in tokens if (word := fold_token(token.text)) in TYPE_HINTS
    )
    if not votes:
        return None
    return votes.most_common(1)[0][0]


_WARNING_VOCABULARY = frozenset(shape_fold(word) for word in WARNING_WORDS)


def warning_word_ids(*parts: FoundText | None) -> frozenset[int]:
    """Ids of the warning statement's own words, to keep them out of other fields.

    Only words of the required text count: OCR sometimes runs other print
    into the statement's lines ("GENERAL, LUIGI & GIOVANNI"), and those
    words may well be the brand.
    """
    return frozenset(
        id(word)
        for part in parts
        if part is not None
        for word in part.words
        if shape_fold(word.text) in _WARNING_VOCABULARY
    )


def extract_fields(readings: list[PanelReading], application: Application) -> LabelFields:
    lines = stream_lines(readings)
    tokens = stream_tokens(lines)
    filed = parse_alcohol_text(application.alcohol_content)
    filed_abv = None
    if filed is not None:
        filed_abv = (
            filed.abv if filed.abv is not None else (filed.proof / 2 if filed.proof else None)
        )
    alcohol = find_alcohol(lines, tokens, filed_abv)
    net_contents = find_net_contents(lines, tokens)
    header, body = find_warning(tokens)
    bottlers = find_bottlers(lines, tokens)
    unnamed = _outside_names(tokens, bottlers)
    bottler = None
    if bottlers:
        sought = without_bottler_phrase(application.bottler) if application.bottler else None
        bottler = max(bottlers, key=lambda f: similarity(sought, f.text)) if sought else bottlers[0]
    return LabelFields(
        brand_name=find_brand(
            lines, tokens, readings, application.brand_name, warning_word_ids(header, body)
        ),
        class_type=find_class_type(lines, unnamed, application.class_type),
        alcohol_content=alcohol.found if alcohol else None,
        abv=alcohol.abv if alcohol else None,
        proof=alcohol.proof if alcohol else None,
        net_contents=net_contents.found if net_contents else None,
        net_contents_ml=round(net_contents.ml, 2) if net_contents else None,
        bottler=bottler,
        country_of_origin=find_country(lines, tokens, application.country_of_origin),
        warning_header=header,
        warning_body=body,
        beverage_type=infer_beverage_type(lines, unnamed),
    )


def _outside_names(tokens: Sequence[Token], bottlers: Sequence[FoundText]) -> list[Token]:
    """The tokens off the lines a name-and-address statement begins on: "Wine" in
    "Imported by Meridian Wine & Spirits" is part of a name, not a designation."""
    named = {id(word) for found in bottlers for word in found.words[:1]}
    name_lines = {token.line for token in tokens if id(token.word) in named}
    return [token for token in tokens if token.line not in name_lines]
