import pytest

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
