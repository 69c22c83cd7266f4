"""The 27 CFR checks: one small module per topic, each rule citing its section.

`registry.CHECKS` names every check once (title, citation, the fields it
reads, whether `auto` may re-read it, its rule) and `run_checks` runs them.
Check ids are fixed; other tools depend on them.
"""

from verifier.engine.rules.registry import (
    CHECK_IDS,
    CHECKS,
    CheckInputs,
    CheckSpec,
    check_spec,
    fields_of,
    rereadable_ids,
    run_checks,
)
from verifier.engine.rules.verdict import decide_verdict

__all__ = [
    "CHECKS",
    "CHECK_IDS",
    "CheckInputs",
    "CheckSpec",
    "check_spec",
    "decide_verdict",
    "fields_of",
    "rereadable_ids",
    "run_checks",
]
