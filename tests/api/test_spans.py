import datetime

import pytest
from rest_framework import serializers

from annotator.models import AuditEvent, Span
from tests.conftest import url
from tests.factories import ARTICLE


def span_body(label, phrase, **extra):
    start = ARTICLE.index(phrase)
    return {"label": label.pk, "start": start, "end": start + len(phrase), **extra}


class TestSpanCreate:
    def test_assigned_annotator_creates_a_span_with_code_point_offsets(self, client_for, annotator, document, label):
        body = span_body(label, "told reporters", text="told reporters")

        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)

        assert response.status_code == 201, response.json()
        span = Span.objects.get(pk=response.json()["id"])
        assert document.text[span.start : span.end] == "told reporters"
        assert response.json()["annotator"] == "annotator"
        assert response.json()["version"] == 1

    def test_text_that_does_not_match_is_refused_naming_text(self, client_for, annotator, document, label):
        body = span_body(label, "told reporters", text="told reporter")

        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)

        assert response.status_code == 400
        assert "text" in response.json()
        assert not Span.objects.exists()
        assert not AuditEvent.objects.filter(action="span.create").exists()

    @pytest.mark.parametrize(
        ("start", "end", "field"),
        [
            (-1, 3, "start"),
            (5, 5, "end"),
            (6, 2, "end"),
            (0, len(ARTICLE) + 1, "end"),
            (len(ARTICLE), len(ARTICLE) + 1, "start"),
        ],
    )
    def test_out_of_range_offsets_are_refused(self, client_for, annotator, document, label, start, end, field):
        body = {"label": label.pk, "start": start, "end": end}

        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)

        assert response.status_code == 400
        assert field in response.json()


class TestSpanTimestamps:
    """The list's timestamps are formatted by the database; they must read as DRF writes a datetime."""

    @pytest.mark.parametrize(
        "moment",
        [
            datetime.datetime(2026, 3, 1, 8, 30, 0, 250_000, tzinfo=datetime.UTC),
            datetime.datetime(2026, 3, 1, 8, 30, 0, tzinfo=datetime.UTC),
            datetime.datetime(2026, 12, 31, 23, 59, 59, 1, tzinfo=datetime.UTC),
            datetime.datetime(999, 1, 2, 3, 4, 5, 60, tzinfo=datetime.UTC),
        ],
    )
    def test_list_timestamps_equal_drfs_datetime_field(self, client_for, annotator, document, label, moment):
        span = Span.objects.create(document=document, annotator=annotator, label=label, start=0, end=4)
        Span.objects.filter(pk=span.pk).update(created_at=moment, updated_at=moment + datetime.timedelta(hours=1))
        span.refresh_from_db()

        listed = client_for(annotator).get(url(document.project, "documents", document, "spans")).json()["results"]
        shown = client_for(annotator).get(url(document.project, "documents", document, "spans", span)).json()

        field = serializers.DateTimeField()
        expected = {"created_at": field.to_representation(span.created_at),
                    "updated_at": field.to_representation(span.updated_at)}  # fmt: skip
        assert {name: listed[0][name] for name in expected} == expected
        assert {name: shown[name] for name in expected} == expected
