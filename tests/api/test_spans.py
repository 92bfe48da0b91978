import datetime

import pytest
from rest_framework import serializers

from annotator.access import access_project
from annotator.models import Assignment, AssignmentStatus, AuditEvent, Span
from annotator.selectors.spans import SpanRows, span_list
from annotator.services.audit import snapshot
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


class TestSpanCreateRows:
    """Span creation writes the span, its audit event and the assignment's start (on PostgreSQL in one statement,
    elsewhere through the ORM): the rows must be the same either way."""

    def test_the_span_its_event_and_the_assignment_are_written_together(self, client_for, annotator, document, label):
        assignment = Assignment.objects.get(document=document, user=annotator)
        assert assignment.status == AssignmentStatus.ASSIGNED
        body = span_body(label, "told reporters", note="quoted «as is»")

        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)

        assert response.status_code == 201, response.json()
        span = Span.objects.get(pk=response.json()["id"])
        assert (span.annotator, span.label, span.note, span.version) == (annotator, label, "quoted «as is»", 1)
        moment = span.created_at
        assert moment <= span.updated_at < moment + datetime.timedelta(seconds=5)
        assert response.json()["created_at"] == serializers.DateTimeField().to_representation(span.created_at)
        [event] = AuditEvent.objects.filter(action="span.create")
        assert (event.project_id, event.actor, event.actor_username) == (document.project_id, annotator, "annotator")
        assert (event.object_type, event.object_id, event.before) == ("span", span.pk, None)
        assert event.after == snapshot(span)
        assert moment <= event.created_at < moment + datetime.timedelta(seconds=5)
        assignment.refresh_from_db()
        assert assignment.status == AssignmentStatus.IN_PROGRESS
        assert moment <= assignment.updated_at < moment + datetime.timedelta(seconds=5)

    def test_a_second_span_leaves_the_assignment_alone(self, client_for, annotator, document, label):
        client, path = client_for(annotator), url(document.project, "documents", document, "spans")
        client.post(path, span_body(label, "told reporters"))
        assignment = Assignment.objects.get(document=document, user=annotator)
        Assignment.objects.filter(pk=assignment.pk).update(status=AssignmentStatus.SUBMITTED)

        response = client.post(path, span_body(label, "talks would resume"))

        assert response.status_code == 201
        assert Assignment.objects.get(pk=assignment.pk).status == AssignmentStatus.SUBMITTED
        assert AuditEvent.objects.filter(action="span.create").count() == 2


class TestSpanRows:
    """A span list without filters is read with SQL compiled once (SpanRows): it must give the queryset's rows,
    pages and counts, for every visibility rule."""

    @pytest.fixture
    def drawn(self, document, annotator, annotator2, labels):
        phrases = ["told reporters", "talks would resume", "We expect a result", "according to the outlet", "Monday"]
        for n, phrase in enumerate(phrases):
            start = ARTICLE.index(phrase)
            for user in (annotator, annotator2):
                Span.objects.create(document=document, annotator=user, label=labels[n % len(labels)], start=start,
                                    end=start + len(phrase), note=f"{user.username} {n}")  # fmt: skip
        return document

    @pytest.fixture
    def labels(self, project):
        return list(project.labels.order_by("id"))

    @pytest.mark.parametrize("who", ["owner", "annotator", "reviewer"])
    @pytest.mark.parametrize("blind", [True, False])
    def test_rows_pages_and_counts_equal_the_querysets(self, request, drawn, who, blind):
        project = drawn.project
        project.blind = blind
        project.save(update_fields=["blind"])
        member = access_project(request.getfixturevalue(who), project.pk)
        expected = list(span_list(member=member, document=drawn))
        rows = SpanRows(member=member, document=drawn)

        assert len(expected) == (5 if blind and who == "annotator" else 10)
        assert rows[0:100] == expected
        assert rows[3:7] == expected[3:7]
        assert rows[8:20] == expected[8:20]
        assert rows.count() == len(expected)

    def test_api_pages_are_the_filtered_lists_pages(self, client_for, owner, drawn):
        client, path = client_for(owner), url(drawn.project, "documents", drawn, "spans")

        pages = [client.get(path, {"page": page, "page_size": 3}).json() for page in (1, 2, 3, 4)]
        # A filter takes the queryset; the filter that keeps everything must list the same.
        everything = client.get(path, {"review_status": "pending", "page_size": 100}).json()

        assert [page["count"] for page in pages] == [10] * 4
        assert [span for page in pages for span in page["results"]] == everything["results"]
        assert len(everything["results"]) == 10
