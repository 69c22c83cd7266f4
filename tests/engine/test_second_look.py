"""A fail must survive a second look: how the readings' answers are settled.

First the rules of `second_look.settle` on checks as readings would decide
them; then the whole engine on rendered labels, both engines running for real.
"""

from __future__ import annotations

import dataclasses
import io

from PIL import Image, ImageDraw

from labelgen import render_label, spec_for_seed
from labelgen.studio import studio_label
from labelgen.studio.fonts import font
from verifier.engine import Outcome, Verdict, verify_label
from verifier.engine.assessment import assess, look_again
from verifier.engine.images import load_image
from verifier.engine.models import Box, Check, Evidence, Line, Options, PanelReading, Word
from verifier.engine.ocr import get_backend
from verifier.engine.reread import reread
from verifier.engine.rules.common import UNSURE_FINDING
from verifier.engine.rules.warning_format import SCALE_UNCHECKED
from verifier.engine.second_look import needs_third_look, questioned, settle

READERS = ("tesseract", "rapidocr", "tesseract (rescaled)")
HERE = [Evidence(0, Box(10, 10, 200, 20), "here")]


def _check(outcome: Outcome, check_id: str = "warning_text", **details) -> Check:
    evidence = [] if details.pop("nowhere", False) else HERE
    found = details.pop("found", "read")
    return Check(check_id, outcome, f"{outcome.value} by this reading", "27 CFR 16.21",
                 found=found, evidence=evidence, details=details)  # fmt: skip


WOMAN = {"kind": "changed", "expected": "women", "found": "woman", "confidence": 96}
WOMAN_UNSURE = {**WOMAN, "kind": "ocr_noise", "confidence": 70}
MISSING_THE = {"kind": "missing", "expected": "the", "found": "", "confidence": 0}


def _both_failed(first: dict, second: dict) -> Check:
    """The warning settled from two readings that each failed it on one difference."""
    return settle(
        _check(Outcome.FAIL, diff=[first]), _check(Outcome.FAIL, diff=[second]), readers=READERS
    )


def test_a_check_the_first_reading_skipped_is_the_second_readings() -> None:
    """The bold checks are skipped on a reading that found no warning. When the
    second reading finds it, its measure decides: a pass passes, and a failure on
    that one reading alone is a person's to confirm. Never a skip beside a
    warning that was found (which left a label with a regular header COMPLIANT)."""
    skipped = _check(Outcome.SKIPPED, "warning_header_bold", nowhere=True)
    assert (
        settle(skipped, _check(Outcome.PASS, "warning_header_bold"), readers=READERS).outcome
        is Outcome.PASS
    )
    failed = settle(skipped, _check(Outcome.FAIL, "warning_header_bold"), readers=READERS)
    assert failed.outcome is Outcome.REVIEW
    assert failed.evidence == HERE
    # A third look that fails the same way confirms the second reading's failure.
    caps = {"found": "Government Warning:"}
    skipped_caps = _check(Outcome.SKIPPED, "warning_header_caps", nowhere=True, found=None)
    second, third = (_check(Outcome.FAIL, "warning_header_caps", **caps) for _ in range(2))
    confirmed = settle(skipped_caps, second, third, readers=READERS)
    assert confirmed.outcome is Outcome.FAIL
    assert confirmed.backend == "rapidocr+tesseract (rescaled)"
    unsure = _check(Outcome.REVIEW, "warning_header_caps", found="GOVERNMENT WARNlNG:")
    assert settle(skipped_caps, second, unsure, readers=READERS).outcome is Outcome.REVIEW
    # Skipped by both: the first reading's skip (and its reader) stands.
    again = _check(Outcome.SKIPPED, "warning_header_bold", nowhere=True)
    assert settle(skipped, again, readers=READERS) is skipped


def test_agreement_gives_fail() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    second = _check(Outcome.FAIL, diff=[WOMAN])
    settled = settle(first, second, readers=READERS)
    assert settled.outcome is Outcome.FAIL
    assert settled.backend == "tesseract+rapidocr"
    assert "Confirmed by another reading (rapidocr)" in settled.message
    assert settled.details["second_look"]["outcome"] == "fail"


def test_disagreement_gives_review_with_both_readings() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    second = _check(Outcome.PASS)
    assert needs_third_look(first, second)
    settled = settle(first, second, readers=READERS)
    assert settled.outcome is Outcome.REVIEW
    assert "disagree" in settled.message
    assert settled.details["first_look"]["outcome"] == "fail"
    assert settled.details["second_look"]["outcome"] == "pass"


def test_the_other_engine_reading_the_same_word_less_surely_confirms() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    second = _check(Outcome.REVIEW, diff=[WOMAN_UNSURE])
    assert not needs_third_look(first, second)
    assert settle(first, second, readers=READERS).outcome is Outcome.FAIL


def test_a_different_reading_of_the_place_is_not_a_confirmation() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    second = _check(Outcome.REVIEW, diff=[{**WOMAN_UNSURE, "found": "wornen", "kind": "ocr_noise"}])
    assert settle(first, second, readers=READERS).outcome is Outcome.REVIEW


def test_failures_for_different_reasons_are_review() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    second = _check(Outcome.FAIL, diff=[MISSING_THE])
    assert settle(first, second, readers=READERS).outcome is Outcome.REVIEW


def test_only_shared_differences_are_reported() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN, MISSING_THE])
    second = _check(Outcome.FAIL, diff=[WOMAN])
    settled = settle(first, second, readers=READERS)
    assert settled.outcome is Outcome.FAIL
    assert [d["expected"] for d in settled.details["diff"]] == ["women"]
    assert "'the'" not in settled.message and "'woman'" in settled.message


def test_a_word_both_readings_found_missing_is_confirmed_within_a_longer_run() -> None:
    """Studio seed 21000181 ("drink alcohol during pregnancy"): Tesseract lost the last
    line as well, and found 'beverages cause health problems.' missing from 'beverages'
    on; the second engine found 'beverages' missing. Both found 'beverages' missing
    there: confirmed, and only it is reported. A word missing elsewhere is no
    confirmation, in either order."""
    wide = {"kind": "missing", "expected": "beverages cause health problems.", "found": "",
            "confidence": 0, "at": 13, "span": 4}  # fmt: skip
    narrow = {"kind": "missing", "expected": "beverages", "found": "", "confidence": 0,
              "at": 13, "span": 1}  # fmt: skip
    for first, second in ((wide, narrow), (narrow, wide)):
        settled = _both_failed(first, second)
        assert settled.outcome is Outcome.FAIL
        assert settled.details["diff"] == [narrow]
        assert "'beverages' is missing" in settled.message
    elsewhere = {**narrow, "expected": "impairs", "at": 20}
    for first, second in ((wide, elsewhere), (elsewhere, wide)):
        assert _both_failed(first, second).outcome is Outcome.REVIEW


def test_an_added_word_both_engines_read_is_confirmed_wherever_each_placed_it() -> None:
    """Studio seeds 9000053, 9000121: Tesseract read "seriously" added; the second
    engine read it too but lost the word beside it ("'seriously' where 'beverages'"),
    or ran it into its neighbours. Both saw the word added: confirmed, and only the
    added word is reported. Another difference elsewhere is no confirmation."""
    added = {"kind": "added", "expected": "", "found": "seriously", "confidence": 96}
    for placed in ("seriously", "seriouslyimpairsyour"):
        other = {"kind": "changed", "expected": "beverages", "found": placed, "confidence": 90}
        for first, second in ((added, other), (other, added)):
            settled = _both_failed(first, second)
            assert settled.outcome is Outcome.FAIL
            assert settled.details["diff"] == [added]
            assert "adds 'seriously'" in settled.message
    assert _both_failed(added, WOMAN).outcome is Outcome.REVIEW


def test_something_said_missing_that_the_second_engine_finds_passes() -> None:
    first = _check(Outcome.FAIL, "bottler", nowhere=True, found=None)
    second = _check(Outcome.PASS, "bottler", found="Red Brick Winery, Napa, CA")
    settled = settle(first, second, readers=READERS)
    assert settled.outcome is Outcome.PASS and settled.backend == "rapidocr"
    assert settled.details["first_look"]["outcome"] == "fail"


def test_missing_words_read_by_the_second_engine_pass() -> None:
    first = _check(Outcome.FAIL, diff=[MISSING_THE])
    assert settle(first, _check(Outcome.PASS), readers=READERS).outcome is Outcome.PASS


def test_absence_needs_both_readings_to_fail() -> None:
    first = _check(Outcome.FAIL, "warning_present", nowhere=True, found=None)
    unsure = _check(Outcome.REVIEW, "warning_present", nowhere=True, found=None)
    assert not needs_third_look(first, unsure)  # nothing to read again: no place
    assert settle(first, unsure, readers=READERS).outcome is Outcome.REVIEW
    absent = _check(Outcome.FAIL, "warning_present", nowhere=True, found=None)
    assert settle(first, absent, readers=READERS).outcome is Outcome.FAIL


def test_absence_the_second_reading_read_every_region_for_confirms_the_first_doubt() -> None:
    """Tesseract found no country statement but could not vouch for having read every
    panel; the second reading read each text-like region it left and found none
    either: absent. The other way round the second reading's unread regions stand."""
    doubt = _check(Outcome.REVIEW, "country_of_origin", nowhere=True, found=None, not_found=True)
    absent = _check(Outcome.FAIL, "country_of_origin", nowhere=True, found=None)
    settled = settle(doubt, absent, readers=READERS)
    assert settled.outcome is Outcome.FAIL and settled.backend == "tesseract+rapidocr"
    assert "Confirmed by another reading (tesseract)" in settled.message
    unsure = _check(Outcome.REVIEW, "country_of_origin", nowhere=True, found=None, not_found=True)
    assert settle(absent, unsure, readers=READERS).outcome is Outcome.REVIEW
    traced = _check(Outcome.REVIEW, "country_of_origin", nowhere=True, found=None)
    assert settle(traced, absent, readers=READERS).outcome is Outcome.REVIEW


def test_a_wrong_statement_one_reading_missed_is_confirmed_where_the_other_read_it() -> None:
    """Tesseract found no net contents; the second engine read 750 mL where 1.5 L was
    filed. A third look at that place reading 750 mL confirms it; another figure, or
    no third look, leaves it to a person."""
    missed = _check(Outcome.FAIL, "net_contents", nowhere=True, found=None)
    wrong = _check(Outcome.FAIL, "net_contents", found="750 mL", label_ml=750.0)
    assert needs_third_look(missed, wrong)
    again = _check(Outcome.FAIL, "net_contents", found="750 mL", label_ml=750.0)
    confirmed = settle(missed, wrong, again, readers=READERS)
    assert confirmed.outcome is Outcome.FAIL
    assert confirmed.backend == "rapidocr+tesseract (rescaled)"
    other = _check(Outcome.FAIL, "net_contents", found="150 mL", label_ml=150.0)
    assert settle(missed, wrong, other, readers=READERS).outcome is Outcome.REVIEW
    assert settle(missed, wrong, readers=READERS).outcome is Outcome.REVIEW


def test_a_wrong_designation_one_reading_missed_is_confirmed_by_a_less_sure_third_look() -> None:
    """Studio seed 9000021: Tesseract found no designation, the second engine read
    'STRAIGHT RYE WHISKEY' where 'Jamaica Rum' was filed, and the third look read
    '—STRAIGHT-RYE-WHISKEY—' there, too unsurely to fail on its own: the same words,
    two readings. A third look reading other words there leaves it to a person."""
    missed = _check(Outcome.FAIL, "class_type", nowhere=True, found=None)
    wrong = _check(Outcome.FAIL, "class_type", found="STRAIGHT RYE WHISKEY")
    unsure = _check(Outcome.REVIEW, "class_type", found="—STRAIGHT-RYE-WHISKEY—")
    confirmed = settle(missed, wrong, unsure, readers=READERS)
    assert confirmed.outcome is Outcome.FAIL
    assert confirmed.backend == "rapidocr+tesseract (rescaled)"
    other = _check(Outcome.REVIEW, "class_type", found="JAMAICA RUM")
    assert settle(missed, wrong, other, readers=READERS).outcome is Outcome.REVIEW


def test_a_wrong_figure_read_unsurely_is_confirmed_by_another_engine_reading_it() -> None:
    """Tesseract found no alcohol statement; the second engine read 12.5 % where 9 % was
    filed, too unsurely to fail (studio seed 1000193). A third look that reads 12.5 %
    confirms it; so does the first engine reading 12.5 % unsurely too. Another figure,
    or a first reading that read one of its own, leaves it to a person."""
    unsure = {"label_abv": 12.5, "label_proof": None, UNSURE_FINDING: "12.5 % against 9 %."}
    missed = _check(Outcome.REVIEW, "alcohol_content", nowhere=True, found=None)
    wrong = _check(Outcome.REVIEW, "alcohol_content", found="ALC.12.5%BYVOL", **unsure)
    assert needs_third_look(missed, wrong)
    again = _check(Outcome.FAIL, "alcohol_content", label_abv=12.5, label_proof=None)
    confirmed = settle(missed, wrong, again, readers=READERS)
    assert confirmed.outcome is Outcome.FAIL
    assert confirmed.message.endswith("Confirmed by another reading (rapidocr).")
    other = _check(Outcome.FAIL, "alcohol_content", label_abv=2.5, label_proof=None)
    assert settle(missed, wrong, other, readers=READERS).outcome is Outcome.REVIEW
    both = settle(_check(Outcome.REVIEW, "alcohol_content", **unsure), wrong, readers=READERS)
    assert both.outcome is Outcome.FAIL and both.message.startswith("12.5 % against 9 %.")
    assert UNSURE_FINDING not in both.details
    read_its_own = _check(Outcome.REVIEW, "alcohol_content", found="ALC 13.5%", label_abv=13.5)
    assert not needs_third_look(read_its_own, wrong)
    assert settle(read_its_own, wrong, again, readers=READERS).outcome is Outcome.REVIEW


def test_a_brand_both_engines_took_for_the_brand_less_surely_confirms_an_absent_one() -> None:
    """Tesseract read 'Red Meadow' clearly where 'Northern Lights' was filed; the second
    engine ran the words together, 'RedMeadow', at 88 %, too unsure to fail on its own.
    Both took the same text for the brand and found the filed one nowhere: they agree."""
    first = _check(Outcome.FAIL, "brand_name", found="Red Meadow", reason="absent")
    same = _check(Outcome.REVIEW, "brand_name", found="RedMeadow", filed_brand_absent=True)
    assert settle(first, same, readers=READERS).outcome is Outcome.FAIL
    other = _check(Outcome.REVIEW, "brand_name", found="Cabernet", filed_brand_absent=True)
    assert settle(first, other, readers=READERS).outcome is Outcome.REVIEW
    found = _check(Outcome.REVIEW, "brand_name", found="RedMeadow", filed_brand_absent=False)
    assert settle(first, found, readers=READERS).outcome is Outcome.REVIEW


def test_a_brand_on_two_lines_confirms_an_absent_one_whichever_line_each_engine_took() -> None:
    """Studio seed 23000133 prints 'Ferryman's / Rest' in script where 'Juniper & Ash'
    was filed. The second engine took 'Rest' for the brand, clearly; Tesseract took
    "Ferryman's", unsurely, and read 'Rest' among its most prominent lines."""
    first = _check(Outcome.FAIL, "brand_name", found="Rest", reason="absent")
    prominent = ["Ferryman s", "Rest", "INDIA PALE ALE"]
    other = _check(Outcome.REVIEW, "brand_name", found="Ferryman s", filed_brand_absent=True,
                   prominent=prominent)  # fmt: skip
    assert settle(first, other, readers=READERS).outcome is Outcome.FAIL
    smaller = _check(Outcome.REVIEW, "brand_name", found="Ferryman s", filed_brand_absent=True,
                     prominent=["Ferryman s", "INDIA PALE ALE", "Alc. 6.8% by Vol."])  # fmt: skip
    assert settle(first, smaller, readers=READERS).outcome is Outcome.REVIEW
    found = _check(Outcome.REVIEW, "brand_name", found="Ferryman s", filed_brand_absent=False,
                   prominent=prominent)  # fmt: skip
    assert settle(first, found, readers=READERS).outcome is Outcome.REVIEW


def test_a_third_look_reading_the_same_text_less_surely_confirms_a_failure() -> None:
    """Studio seed 23000007: the second engine read 'Brauhaus Kessler' clearly where
    'Villa Ardenza' was filed; Tesseract took a mark, 'IIL', for the brand. Read again,
    Tesseract read 'Brauhaus Kessler' too, in script too unsure to fail on its own: two
    readings took the same text for the brand and found the filed one nowhere."""
    first = _check(Outcome.REVIEW, "brand_name", found="IIL", filed_brand_absent=True)
    second = _check(Outcome.FAIL, "brand_name", found="Brauhaus Kessler", reason="absent")
    assert needs_third_look(first, second)
    third = _check(Outcome.REVIEW, "brand_name", found="Brauhaus Kessler", filed_brand_absent=True)
    settled = settle(first, second, third, readers=READERS)
    assert settled.outcome is Outcome.FAIL
    assert settled.backend == "rapidocr+tesseract (rescaled)"
    elsewhere = _check(Outcome.REVIEW, "brand_name", found="Lager", filed_brand_absent=True)
    assert settle(first, second, elsewhere, readers=READERS).outcome is Outcome.REVIEW
    unsure = _check(Outcome.REVIEW, "brand_name", found="Brauhaus Kessler")
    assert settle(first, second, unsure, readers=READERS).outcome is Outcome.REVIEW


def test_a_warning_each_reading_read_in_part_passes_when_together_they_read_it_all() -> None:
    """Tesseract could not make out '(1)' (word 2); the second engine read that but not
    'of' (word 25). Each unsure word the other read as required: the wording passes.
    Doubts in the same place, or a difference either reading is sure of, do not."""
    one = {"kind": "unclear", "expected": "(1)", "found": "", "at": 2, "span": 1}
    of = {"kind": "ocr_noise", "expected": "of", "found": "o", "at": 25, "span": 1}
    first = _check(Outcome.REVIEW, diff=[one], compared_from=0)
    second = _check(Outcome.REVIEW, diff=[of], compared_from=0)
    settled = settle(first, second, readers=READERS)
    assert settled.outcome is Outcome.PASS, settled.message
    assert settled.backend == "tesseract+rapidocr"
    assert settled.details["diff"] == []

    same_place = _check(Outcome.REVIEW, diff=[{**of, "at": 2}], compared_from=0)
    assert settle(first, same_place, readers=READERS).outcome is Outcome.REVIEW
    # The second began at the body (no header read): the header words are its doubts.
    headless = _check(Outcome.REVIEW, diff=[of], compared_from=2)
    unsure_header = _check(Outcome.REVIEW, diff=[{**one, "at": 0}], compared_from=0)
    assert settle(unsure_header, headless, readers=READERS).outcome is Outcome.REVIEW
    assert settle(first, headless, readers=READERS).outcome is Outcome.PASS
    # Added text between words 24 and 25 touches the doubt about word 25.
    stray = _check(Outcome.REVIEW, diff=[{**of, "expected": "", "at": 25, "span": 0}],
                   compared_from=0)  # fmt: skip
    assert settle(stray, second, readers=READERS).outcome is Outcome.REVIEW


def test_a_third_look_that_reads_as_the_second_settles_a_pass() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    passes = _check(Outcome.PASS)
    settled = settle(first, passes, _check(Outcome.PASS), readers=READERS)
    assert settled.outcome is Outcome.PASS
    assert settled.details["first_look"]["outcome"] == "fail"
    assert settled.details["third_look"]["reader"] == "tesseract (rescaled)"


def test_names_read_alike_but_not_where_they_differ_from_the_filed_name_do_not_agree() -> None:
    """Studio seed 11000021: a rule through "Trading Co." read "i" by one engine and
    "Tradir" by the other. The rest of the line reads alike, but what each read in
    place of the filed words differs: no confirmation. A name both read the same
    where it differs is confirmed, also when one engine runs its words together."""
    filed = "Old Harbor Trading Co., New York, NY"

    def read(outcome: Outcome, text: str) -> Check:
        return dataclasses.replace(_check(outcome, "bottler", found=text), expected=filed)

    first = read(Outcome.FAIL, "Old Harbor i New York, NY")
    assert settle(first, read(Outcome.FAIL, "Old Harbor Tradir New York, NY"),
                  readers=READERS).outcome is Outcome.REVIEW  # fmt: skip
    first = read(Outcome.FAIL, "Old Harbor Shipping Co., Boston, MA")
    for second in ("Old Harbor Shipping Co. Boston, MA", "OldHarborShippingCo. Boston,MA"):
        assert settle(first, read(Outcome.FAIL, second), readers=READERS).outcome is Outcome.FAIL


def test_a_header_both_engines_read_in_title_case_is_confirmed_though_read_in_part() -> None:
    """Studio seed 11000065: "overnment Warning:" and "Government Warning:" read the
    same letters small; that the first lost its "G" is no different problem."""
    first = _check(Outcome.FAIL, "warning_header_caps", found="overnment Warning:")
    second = _check(Outcome.FAIL, "warning_header_caps", found="Government Warning:")
    assert settle(first, second, readers=READERS).outcome is Outcome.FAIL
    capitals = _check(Outcome.FAIL, "warning_header_caps", found="GOVERNMENT Warning:")
    assert settle(first, capitals, readers=READERS).outcome is Outcome.REVIEW


def test_a_third_look_passing_what_the_second_read_less_surely_settles_a_pass() -> None:
    """The first reading took other text for the brand; the second read the filed
    brand with a letter in doubt, and the third read it as filed: two readings saw
    the filed brand there. A third look reading something else leaves it in doubt."""

    def read(outcome: Outcome, text: str) -> Check:
        return dataclasses.replace(_check(outcome, "brand_name", found=text),
                                   expected="Cask & Compass")  # fmt: skip

    first = read(Outcome.FAIL, "Hill Vineyards, Lodi, CA")
    second = read(Outcome.REVIEW, "Cask ez Compass")
    assert needs_third_look(first, second)
    settled = settle(first, second, read(Outcome.PASS, "Cask e& Compass"), readers=READERS)
    assert settled.outcome is Outcome.PASS
    assert settled.details["first_look"]["outcome"] == "fail"
    elsewhere = read(Outcome.PASS, "Quarry Hill Vineyards")
    assert settle(first, second, elsewhere, readers=READERS).outcome is Outcome.REVIEW


def test_a_third_look_reading_the_warning_word_for_word_beside_mere_doubts_settles_a_pass() -> None:
    """Tesseract lost 'health problems.'; the second engine read them, doubting only
    a stray "(1)"; the third look read the warning word for word (a compliant label
    in doubt, 14000052). A second reading that found no warning to compare, or that
    is sure of a difference, leaves it in doubt."""
    health = {"kind": "missing", "expected": "health problems.", "found": "", "confidence": 0}
    stray = {"kind": "ocr_noise", "expected": "", "found": "(1)", "confidence": 60}
    first = _check(Outcome.FAIL, diff=[health])
    doubting = _check(Outcome.REVIEW, diff=[stray], compared_from=0)
    assert needs_third_look(first, doubting)
    third = _check(Outcome.PASS, diff=[])
    assert settle(first, doubting, third, readers=READERS).outcome is Outcome.PASS
    no_warning = _check(Outcome.REVIEW, diff=[])
    assert settle(first, no_warning, third, readers=READERS).outcome is Outcome.REVIEW
    sure = _check(Outcome.REVIEW, diff=[stray, WOMAN], compared_from=0)
    assert settle(first, sure, third, readers=READERS).outcome is Outcome.REVIEW


def test_both_engines_in_doubt_about_one_word_are_settled_by_a_third_look() -> None:
    """A rule ended on the top of the "t" of "to": both engines read "fo", a doubt
    (14000152). The third look, with the rule taken out, read "to" and doubted
    "(1)", which both the others read: every word read as required by one reading.
    A third look in the same doubt leaves it to a person."""
    fo = {
        "kind": "ocr_noise",
        "expected": "to",
        "found": "fo",
        "confidence": 87,
        "at": 4,
        "span": 1,
    }
    marker = {**fo, "expected": "(1)", "found": "(1y", "at": 2}
    first, second = (_check(Outcome.REVIEW, diff=[fo], compared_from=0) for _ in range(2))
    assert needs_third_look(first, second)
    elsewhere = _check(Outcome.REVIEW, diff=[marker], compared_from=0)
    settled = settle(first, second, elsewhere, readers=READERS)
    assert settled.outcome is Outcome.PASS
    assert settled.backend == "tesseract+tesseract (rescaled)"
    assert settle(first, second, _check(Outcome.PASS), readers=READERS).outcome is Outcome.PASS
    same = _check(Outcome.REVIEW, diff=[fo], compared_from=0)
    assert settle(first, second, same, readers=READERS).outcome is Outcome.REVIEW
    assert settle(first, second, readers=READERS).outcome is Outcome.REVIEW
    weight = _check(Outcome.REVIEW, "warning_body_not_bold")
    assert not needs_third_look(weight, weight)  # Tesseract would measure the same strokes


def test_a_statement_not_found_is_looked_for_again_where_the_other_reading_doubted_it() -> None:
    """A rule through "BLENDED SCOTCH WHISKY": Tesseract read nothing there, and the
    designation "was not on the label"; the second engine read the words run together
    with a stray piece, in doubt (15000188). The third look reads that place: reading
    the designation there passes; not reading it confirms no absence."""

    def read(outcome: Outcome, text: str | None) -> Check:
        return dataclasses.replace(
            _check(outcome, "class_type", found=text, nowhere=text is None),
            expected="Blended Scotch Whisky",
        )

    first = read(Outcome.FAIL, None)
    second = read(Outcome.REVIEW, "BLENDEDSCOTCHWHISKY SNES")
    assert needs_third_look(first, second)
    third = read(Outcome.PASS, "BLENDED SCOTCH WHISKY")
    assert settle(first, second, third, readers=READERS).outcome is Outcome.PASS
    unread = read(Outcome.FAIL, None)
    assert settle(first, second, unread, readers=READERS).outcome is Outcome.REVIEW


def test_a_malt_statement_in_doubt_read_in_us_units_by_the_other_engine_is_settled() -> None:
    """ "| PINT (473 mL)": a U.S. unit whose figure Tesseract lost, a doubt; the second
    engine read the statement in U.S. units, which 7.70 asks and nothing more
    (15000102). A second reading that read no statement settles nothing."""
    first = _check(Outcome.REVIEW, "standard_of_fill", found="| PINT (473 mL)")
    us_units = _check(Outcome.NOT_APPLICABLE, "standard_of_fill", found="1 PINT (473 mL)")
    assert settle(first, us_units, readers=READERS).outcome is Outcome.NOT_APPLICABLE
    unread = _check(Outcome.NOT_APPLICABLE, "standard_of_fill", found=None, nowhere=True)
    assert settle(first, unread, readers=READERS).outcome is Outcome.REVIEW


def test_a_third_look_confirms_a_failure_the_second_engine_could_not_read() -> None:
    first = _check(Outcome.REVIEW, "net_contents", label_ml=None)
    second = _check(Outcome.FAIL, "net_contents", label_ml=750.0)
    assert needs_third_look(first, second)
    third = _check(Outcome.FAIL, "net_contents", label_ml=750.0)
    settled = settle(first, second, third, readers=READERS)
    assert settled.outcome is Outcome.FAIL
    assert "tesseract (rescaled)" in settled.backend
    other_value = _check(Outcome.FAIL, "net_contents", label_ml=36.0)
    assert settle(first, second, other_value, readers=READERS).outcome is Outcome.REVIEW


def test_a_third_look_cannot_outvote_the_second_engine_on_a_failure() -> None:
    first = _check(Outcome.FAIL, diff=[WOMAN])
    third = _check(Outcome.FAIL, diff=[WOMAN])
    settled = settle(first, _check(Outcome.PASS), third, readers=READERS)
    assert settled.outcome is Outcome.REVIEW


def test_measurements_need_both_readings_to_fail() -> None:
    first = _check(Outcome.FAIL, "warning_header_bold")
    second = _check(Outcome.REVIEW, "warning_header_bold")
    # Tesseract reading the place again measures the same strokes: no third look.
    assert not needs_third_look(first, second)
    assert settle(first, second, readers=READERS).outcome is Outcome.REVIEW
    both = _check(Outcome.FAIL, "warning_header_bold")
    assert settle(first, both, readers=READERS).outcome is Outcome.FAIL


def test_small_letters_one_reading_could_not_scale_are_confirmed_by_one_that_could() -> None:
    """Studio seeds 11000073, 11000091, 11000117: the warning measures 1 mm by the
    TIFF's DPI. Tesseract read no alcohol statement to bear that scale out, so it
    could only doubt; the second engine read it at a printed size that does. Both
    measured the same letters: confirmed. A reading that read the alcohol statement
    and found the scale wanting still disagrees; so does one measuring other letters."""
    fails = _check(Outcome.FAIL, "warning_type_size", letter_height_mm=1.05)
    unscaled = _check(Outcome.REVIEW, "warning_type_size", letter_height_mm=1.05,
                      **{SCALE_UNCHECKED: True})  # fmt: skip
    assert questioned([unscaled]) == [unscaled]
    assert settle(unscaled, fails, readers=READERS).outcome is Outcome.FAIL
    doubted = _check(Outcome.REVIEW, "warning_type_size", letter_height_mm=1.05)
    assert questioned([doubted]) == []
    assert settle(doubted, fails, readers=READERS).outcome is Outcome.REVIEW
    taller = _check(Outcome.REVIEW, "warning_type_size", letter_height_mm=1.6,
                    **{SCALE_UNCHECKED: True})  # fmt: skip
    assert settle(taller, fails, readers=READERS).outcome is Outcome.REVIEW
    # The engines' boxes hold the same letters more or less tightly (15000033).
    tighter = _check(Outcome.REVIEW, "warning_type_size", letter_height_mm=0.8,
                     **{SCALE_UNCHECKED: True})  # fmt: skip
    looser = _check(Outcome.FAIL, "warning_type_size", letter_height_mm=0.9)
    assert settle(tighter, looser, readers=READERS).outcome is Outcome.FAIL


# The whole engine, both OCR engines for real -----------------------------------------


def test_a_changed_word_on_the_label_is_confirmed_by_both_engines() -> None:
    spec = dataclasses.replace(spec_for_seed(11), warning_body=_body().replace("women", "woman"))
    label = render_label(dataclasses.replace(spec, failures=("warning_text",)))

    result = verify_label(label.panels, label.application)

    wording = result.check("warning_text")
    assert wording.outcome is Outcome.FAIL, wording.message
    assert wording.backend == "tesseract+rapidocr"
    assert "'woman'" in wording.message and "Confirmed" in wording.message
    assert result.verdict is Verdict.NON_COMPLIANT
    assert set(result.backend_versions) == {"tesseract", "rapidocr"}


def test_a_misread_first_reading_does_not_stand() -> None:
    """Tesseract's reading of a correct label, with one word made to read "woman" at 96:
    the second engine and the third look read "women" where it is printed."""
    label = render_label(spec_for_seed(11))
    loaded = load_image(label.panels[0])
    tesseract = get_backend("tesseract")
    reading = tesseract.read(loaded.image, panel=0, deadline=None)
    misread = _with_word_replaced(reading, "women", "woman", confidence=96.0)
    options = Options()
    first = assess([loaded.image], [misread], label.application, options,
                   versions={"tesseract": tesseract.version})  # fmt: skip
    assert first.checks[1].outcome is Outcome.FAIL  # warning_text on the misreading

    settled = look_again([loaded.image], first, label.application, options, timings={})

    wording = next(check for check in settled.checks if check.id == "warning_text")
    assert wording.outcome is Outcome.PASS, wording.message
    assert wording.details["first_look"]["outcome"] == "fail"
    assert "woman" in wording.details["first_look"]["message"]


def test_the_second_reading_never_repeats_the_first_where_it_is_questioned() -> None:
    """Where a questioned check points, the second engine's reading replaces the
    first's even when it reads nothing there: keeping the first reading's words
    made a failure 'confirmed by a second reading' that was the first reading again
    (a struck-through warning line, 'missing' twice)."""
    blank = Image.new("RGB", (800, 300), "white")
    here = Box(100, 100, 160, 30)
    invented = Line((Word("woman", 96.0, here),), here)
    first = PanelReading(panel=0, backend="tesseract", lines=[invented], width=800, height=300)
    for outcome in (Outcome.FAIL, Outcome.REVIEW):  # a failure read in place; a doubt afresh
        questioned = Check("warning_text", outcome, "", "27 CFR 16.21",
                           evidence=[Evidence(0, here, "woman")])  # fmt: skip
        (second,) = reread([blank], [first], [questioned])
        words = [word.text for line in second.lines for word in line.words]
        assert "woman" not in words, outcome


def test_a_failure_read_across_a_line_the_first_reading_missed_is_read_afresh() -> None:
    """Studio seed 24000031: Tesseract read nothing of 'Chicago, IL' between 'IMPORTED BY
    Atlantic Vine Imports' and 'Product of Mexico', and took the country's line for the
    importer's address: a different address, a fail. The second engine read again only
    Tesseract's two lines, skipped the third as well, and 'confirmed' it."""
    image = Image.new("RGB", (900, 260), (200, 214, 186))
    draw = ImageDraw.Draw(image)
    face = font("DejaVu Sans", False, 34)
    texts = ("IMPORTED BY Atlantic Vine Imports", "Chicago, IL", "Product of Mexico")
    for index, text in enumerate(texts):
        draw.text((60, 30 + 70 * index), text, font=face, fill=(30, 50, 30))

    def line(text: str, top: int) -> Line:
        box = Box(60, top, 26 * len(text), 40)
        return Line((Word(text, 96.0, box),), box)

    first = PanelReading(panel=0, backend="tesseract", width=900, height=260,
                         lines=[line(texts[0], 30), line(texts[2], 170)])  # fmt: skip
    across = Evidence(0, Box(60, 30, 800, 180), "Atlantic ... Mexico")
    failed = Check("bottler", Outcome.FAIL, "", "27 CFR 5.66", evidence=[across])
    (second,) = reread([image], [first], [failed])
    assert "Chicago" in " ".join(line.text for line in second.lines)


def test_a_figure_is_read_again_past_a_digit_the_first_reading_lost() -> None:
    """Studio seed 12000141: Tesseract read "750 mL" as "50 mL", its box starting after
    the "7"; the second engine, reading that box, lost the "7" too and "confirmed" a
    50 mL net contents. A figure is read again with a digit's room at either end."""
    image = Image.new("RGB", (600, 140), (120, 30, 50))
    draw = ImageDraw.Draw(image)
    face = font("DejaVu Sans", False, 44)
    draw.text((200, 40), "750 mL", font=face, fill=(245, 230, 200))
    seven = draw.textbbox((200, 40), "7", font=face)
    whole = draw.textbbox((200, 40), "750 mL", font=face)
    here = Box(seven[2] + 2, whole[1], whole[2] - seven[2] - 2, whole[3] - whole[1])
    read = Line((Word("50", 96.0, here), Word("mL", 96.0, here)), here)
    first = PanelReading(panel=0, backend="tesseract", lines=[read], width=600, height=140)
    questioned = Check("net_contents", Outcome.FAIL, "", "27 CFR 5.70",
                       evidence=[Evidence(0, here, "50 mL")])  # fmt: skip
    (second,) = reread([image], [first], [questioned])
    assert "750" in "".join(line.text for line in second.lines).replace(" ", "")


def test_words_put_into_a_line_from_the_row_below_are_read_again_in_their_own_row() -> None:
    """Words re-read around the warning are put into the line they continue, so a
    line can hold two rows of print under the box of one. Asked to look at that
    line, the second engine reads each row on its own; none of the first reading's
    words is kept (keeping them made 'pregnancy' the first reading's twice)."""
    image = Image.new("RGB", (900, 260), "white")
    draw = ImageDraw.Draw(image)
    face = font("DejaVu Sans", False, 30)
    draw.text((40, 60), "women should not drink alcoholic", font=face, fill="black")
    draw.text((40, 130), "during pregnancy because of the risk", font=face, fill="black")
    read = get_backend("tesseract").read(image, panel=0, deadline=None)
    top, below = read.lines
    joined = Line(top.words + below.words, top.box)
    first = dataclasses.replace(read, lines=[joined])
    questioned = Check("warning_text", Outcome.FAIL, "", "27 CFR 16.21",
                       evidence=[Evidence(0, top.box, "women")])  # fmt: skip
    (second,) = reread([image], [first], [questioned])
    sources = {word.text: line.source for line in second.lines for word in line.words}
    assert sources.get("pregnancy") == "rapidocr"
    assert set(sources.values()) == {"rapidocr"}


def test_a_tilted_line_is_read_again_along_its_slope() -> None:
    """A panel photographed 2.5 degrees off square: a long line of small print rises by
    more than its height, so its upright box holds pieces of the lines above and
    below, which the second engine read as nonsense ('gciul', 'defcts'). Re-read
    along the words' slope it reads the line (studio seed 8000117, a type-size
    failure left unconfirmed)."""
    image = Image.new("RGB", (1300, 300), "white")
    draw = ImageDraw.Draw(image)
    face = font("DejaVu Serif", False, 20)
    rows = (
        "GOVERNMENT WARNING: (1) According to the Surgeon General, women should not",
        "drink alcoholic beverages during pregnancy because of the risk of birth",
        "defects. (2) Consumption of alcoholic beverages impairs your ability to drive",
    )
    for index, row in enumerate(rows):
        draw.text((40, 90 + 30 * index), row, font=face, fill="black")
    image = image.rotate(2.5, resample=Image.Resampling.BICUBIC, fillcolor="white")
    first = get_backend("tesseract").read(image, panel=0, deadline=None)
    middle = next(line for line in first.lines if "pregnancy" in line.text)
    questioned = Check("warning_type_size", Outcome.FAIL, "", "27 CFR 16.22(b)",
                       evidence=[Evidence(0, middle.box, middle.text)])  # fmt: skip
    (second,) = reread([image], [first], [questioned])
    again = [line.text.split() for line in second.lines if line.source == "rapidocr"]
    assert rows[1].split() in again, again


def test_a_designation_read_in_part_is_looked_for_on_the_whole_panel() -> None:
    """Studio seed 8000040 (compliant) prints 'KENTUCKY STRAIGHT' under a hairline
    above 'BOURBON WHISKEY'. Tesseract reads the second line only; re-reading just
    that line, the second engine agreed, and the label was called NON_COMPLIANT.
    Words said to be missing are looked for afresh: the second engine reads both."""
    label = studio_label(8000040)

    designation = verify_label(label.panels, label.application).check("class_type")

    assert designation.outcome is Outcome.PASS, designation.message
    assert designation.found == "KENTUCKY STRAIGHT BOURBON WHISKEY"


def test_a_changed_word_in_a_sideways_warning_is_read_again_in_its_line() -> None:
    """A warning printed up the side: the changed word's line is re-read by the second
    engine in a box one line wide (it was padded by the line's length, took in every
    column, and read nothing)."""
    label = studio_label(1000085, ("warning_text",))

    result = verify_label(label.panels, label.application)

    wording = result.check("warning_text")
    assert wording.outcome is Outcome.FAIL, wording.message
    assert "'woman'" in wording.message and "rapidocr" in wording.backend


def test_a_wrong_figure_only_the_second_engine_read_is_confirmed_by_a_third_look() -> None:
    """Studio seed 1000193 prints 12.5 % where 9 % was filed; Tesseract finds no alcohol
    statement on it, the second engine reads the figure unsurely, and Tesseract reads
    it again in that place, rescaled: the same figure from two engines, a fail."""
    label = studio_label(1000193, ("alcohol_content",))

    alcohol = verify_label(label.panels, label.application).check("alcohol_content")

    assert alcohol.outcome is Outcome.FAIL, alcohol.message
    assert alcohol.details["label_abv"] == 12.5
    assert alcohol.details["first_look"]["outcome"] == "review"


def test_clean_labels_are_decided_without_the_second_engine() -> None:
    label = render_label(spec_for_seed(11))
    result = verify_label(label.panels, label.application)
    assert result.verdict is Verdict.COMPLIANT
    assert "second_reading" not in result.timings
    assert set(result.backend_versions) == {"tesseract"}


def _body() -> str:
    return spec_for_seed(11).warning_body


def _with_word_replaced(
    reading: PanelReading, old: str, new: str, *, confidence: float
) -> PanelReading:
    lines = [
        Line(
            tuple(
                Word(word.text.replace(old, new), confidence, word.box)
                if word.text == old
                else word
                for word in line.words
            ),
            line.box,
        )
        for line in reading.lines
    ]
    assert any(word.text == new for line in lines for word in line.words)
    return dataclasses.replace(reading, lines=lines)


def _image(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_word_added_down_a_side_strip_is_confirmed() -> None:
    """Studio seed 10000187 prints 'may cause serious health problems' down a side
    strip; both engines read 'serious' surely in its place."""
    label = studio_label(10000187, ("warning_text",))

    wording = verify_label(label.panels, label.application).check("warning_text")

    assert wording.outcome is Outcome.FAIL, wording.message
    assert "adds 'serious'" in wording.message
