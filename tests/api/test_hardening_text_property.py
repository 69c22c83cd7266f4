"""Issue 15, finding 1, as properties (hypothesis), on the database the suite
runs on (PostgreSQL in CI, SQLite otherwise):

- any text the rule accepts is stored and read back unchanged, as text and
  inside JSON; anything it refuses holds a control character or a lone
  surrogate;
- a refused character anywhere in any text input (each application field,
  `application`, `ground_truth`, CSV and JSON manifests, API and admin query
  parameters, the web form) gets 400 and stores nothing.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
from django.db import connection
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.api.helpers import image_bytes, upload
from ttbsite.text_inputs import UnsafeText, check_text
from verifier.application_data import APPLICATION_FIELDS
from verifier.models import Batch, BatchItem, Verification

pytestmark = pytest.mark.django_db

ANY_CHARACTER = st.characters(exclude_categories=())  # surrogates included
SAFE_TEXT = st.text(
    st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\"'\\,"), max_size=12
)
CONTROL = st.characters(categories=("Cc",), exclude_characters="\t\n\r")
SURROGATE = st.characters(categories=("Cs",))
HYPOTHESIS = hypothesis_settings(
    max_examples=120,
    deadline=None,
    database=None,  # no example files in the work tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _refusable(character: str, *, multiline: bool) -> bool:
    if multiline and character in "\t\n\r":
        return False
    return unicodedata.category(character) in ("Cc", "Cs")


@HYPOTHESIS
@given(text=st.text(ANY_CHARACTER, max_size=40), multiline=st.booleans())
def test_accepted_text_is_stored_unchanged_and_refused_text_has_a_reason(text, multiline):
    try:
        check_text(text, field="brand_name", multiline=multiline)
    except UnsafeText:
        assert any(_refusable(c, multiline=multiline) for c in text)
        return
    assert not any(_refusable(c, multiline=multiline) for c in text)
    document = json.dumps({"brand_name": text}, ensure_ascii=False)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT %s::text, %s::jsonb ->> 'brand_name'", [text, document])
        else:
            cursor.execute("SELECT %s, json_extract(%s, '$.brand_name')", [text, document])
        stored, inside_json = cursor.fetchone()
    assert stored == text
    assert inside_json == text


def _with(bad: str, before: str, after: str) -> str:
    return f"{before}{bad}{after}"


FORM_TEXT = st.builds(_with, CONTROL, SAFE_TEXT, SAFE_TEXT)  # a form carries UTF-8 only
JSON_TEXT = st.builds(_with, st.one_of(CONTROL, SURROGATE), SAFE_TEXT, SAFE_TEXT)


def _rows() -> tuple[int, int, int]:
    return Verification.objects.count(), Batch.objects.count(), BatchItem.objects.count()


def _image() -> Any:
    return upload(image_bytes(), "a.png")


def _send(where: str, text: str, *, api: Any, staff: Any) -> Any:
    if where in APPLICATION_FIELDS:
        return api.post("/verify", {"image": _image(), where: text}, format="multipart")
    if where == "application":
        document = json.dumps({"brand_name": text})
        return api.post("/verify", {"image": _image(), where: document}, format="multipart")
    if where == "ground_truth":
        document = json.dumps({"bottler": text})
        return api.post("/verify", {"image": _image(), where: document}, format="multipart")
    if where == "manifest.csv":
        manifest = f"file,brand_name\na.png,{text}\n".encode("utf-8", "surrogatepass")
    elif where == "manifest.json":
        manifest = json.dumps([{"file": "a.png", "application": {"class_type": text}}]).encode()
    if where.startswith("manifest"):
        return api.post(
            "/verify/batch",
            {"image": [_image()], "manifest": upload(manifest, where)},
            format="multipart",
        )
    if where == "api query":
        return api.get("/artifacts", {"brand": text})
    if where == "admin query":
        return staff.get("/admin/verifier/verification/", {"q": text})
    if where == "web form":
        return staff.post("/", {"images": _image(), "bottler": text})
    raise AssertionError(where)


FORM_INPUTS = (*APPLICATION_FIELDS, "manifest.csv", "api query", "admin query", "web form")
JSON_INPUTS = ("application", "ground_truth", "manifest.json")


@pytest.fixture
def clients(client_for: Any, user: Any, django_user_model: Any, client: Any) -> dict[str, Any]:
    boss = django_user_model.objects.create_superuser(username="boss", password="pw-boss-123")
    client.force_login(boss)
    return {"api": client_for(user), "staff": client}


@pytest.fixture
def unthrottled(settings: Any) -> None:
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "batches": None}


@HYPOTHESIS
@given(
    where_and_text=st.one_of(
        st.tuples(st.sampled_from(FORM_INPUTS), FORM_TEXT),
        st.tuples(st.sampled_from(JSON_INPUTS), JSON_TEXT),
    )
)
def test_a_refused_character_in_any_text_input_stores_nothing(clients, unthrottled, where_and_text):
    where, text = where_and_text
    before = _rows()

    response = _send(where, text, api=clients["api"], staff=clients["staff"])

    assert response.status_code == 400, (where, text, response.content[:300])
    assert _rows() == before
