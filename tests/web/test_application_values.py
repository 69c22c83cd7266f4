"""Typed application values are checked: text with no figure gets an error next
to its field with an example that works, on the page, the API and a manifest."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.web.conftest import passing_label
from verifier.application_data import ApplicationDataError, application_from_mapping
from verifier.models import Verification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "typed", "example"),
    [
        ("alcohol_content", "strong", "for example 45% ABV"),
        ("net_contents", "a lot", "for example 750 mL"),
    ],
)
def test_a_value_without_a_figure_is_an_error_next_to_its_field(agent, field, typed, example):
    rendered = passing_label()
    picture = SimpleUploadedFile("front.png", rendered.panels[0], "image/png")
    response = agent.post("/", {"images": picture, field: typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert f'<p class="error-message" id="id_{field}-error">' in page
    error = page[page.index(f'id="id_{field}-error">') :]
    assert error.index(example) < error.index("</p>")
    assert f'value="{typed}"' in page  # what was typed stays
    assert not Verification.objects.exists()


@pytest.mark.parametrize(
    "values",
    [
        {"alcohol_content": "45% Alc./Vol. (90 Proof)", "net_contents": "750 mL"},
        {"alcohol_content": "90 proof", "net_contents": "1 pint"},
        {"alcohol_content": "12.5", "net_contents": "12 fl oz"},
        {"alcohol_content": "Table wine", "net_contents": "75 cL"},
    ],
)
def test_values_as_applications_write_them_pass(values):
    application = application_from_mapping(values)
    assert application.alcohol_content == values["alcohol_content"]


def test_the_same_check_guards_the_api_parser():
    with pytest.raises(ApplicationDataError) as refused:
        application_from_mapping({"alcohol_content": "strong"})
    assert refused.value.field == "alcohol_content"
