"""The API's orjson renderer must write the bytes DRF's JSONRenderer writes."""

import datetime
import decimal
import json
import uuid

import pytest
from django.utils.translation import gettext_lazy
from rest_framework import renderers
from rest_framework.exceptions import ErrorDetail
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from annotator.api.renderers import JSONRenderer
from annotator.models import ReviewStatus

SAMPLES = {
    "span list": {
        "count": 2,
        "next": None,
        "results": ReturnList(
            [{"id": 1, "text": "Кремль 👨‍👩‍👧 said", "note": "", "reviewer": None, "score": 0.1}], serializer=None
        ),
    },
    "errors": ReturnDict({"start": [ErrorDetail("must be less than 5.", code="invalid")]}, serializer=None),
    "line separators": {"text": "one\u2028two\u2029three", "key\u2028": 1},
    "datetimes": {
        "at": datetime.datetime(2026, 3, 1, 8, 30, 0, 250_000, tzinfo=datetime.UTC),
        "on": datetime.date(2026, 3, 1),
        "naive": datetime.datetime(2026, 3, 1, 8, 30),  # noqa: DTZ001 (a naive one renders too)
        "offset": datetime.datetime(2026, 3, 1, 8, 30, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
    },
    "other types": {
        "decimal": decimal.Decimal("1.50"),
        "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "lazy": gettext_lazy("Not found."),
        "choice": ReviewStatus.ACCEPTED,
        "tuple": (1, 2),
        "floats": [0.1, 2.5, -0.0, 1 / 3, 123456.789],
    },
    "big integer": {"n": 2**70},
    "integer keys": {1: "one"},
    "empty": [],
}


@pytest.mark.parametrize("name", SAMPLES)
def test_bytes_equal_drfs(name):
    data = SAMPLES[name]

    assert JSONRenderer().render(data) == renderers.JSONRenderer().render(data)


def test_floats_with_exponents_read_back_the_same():
    # json writes 1e-07 where orjson writes 1e-7: other bytes, the same numbers.
    data = {"alpha": [1e-7, 2.5e20, 5e-324, 1.7976931348623157e308]}

    assert json.loads(JSONRenderer().render(data)) == json.loads(renderers.JSONRenderer().render(data)) == data


def test_an_indent_asked_for_is_honoured():
    media_type = "application/json; indent=2"

    rendered = JSONRenderer().render({"a": [1]}, media_type, {})

    assert rendered == renderers.JSONRenderer().render({"a": [1]}, media_type, {})
    assert rendered.startswith(b"{\n  ")


def test_nothing_renders_as_no_body():
    assert JSONRenderer().render(None) == b""
