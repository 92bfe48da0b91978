"""The import service: records from any codec are validated whole, then stored in one transaction, or not at all."""

import datetime
import json

import pytest

from annotator import formats
from annotator.access import access_project
from annotator.formats import FormatError
from annotator.models import Assignment, AssignmentStatus, AuditEvent, Document, Label, Span
from annotator.services import imports

TEXT = "Crowds 👨‍👩‍👧 gathered. Peskov told reporters the talks would resume."


def record(**fields):
    return {"text": TEXT, "title": "Talks", "external_id": "a-1", **fields}


def document_import(*, records, **kwargs):
    """The import service fed as the API feeds it: the records a JSON Lines file of `records` reads as."""
    data = "\n".join(json.dumps(item, ensure_ascii=False) for item in records).encode()
    return imports.document_import(records=formats.read("jsonl", data), **kwargs)


def span(start, end, label="Source attribution", **fields):
    return {"start": start, "end": end, "label": label, **fields}


@pytest.fixture
def owner_member(project, owner):
    return access_project(owner, project.pk)


def stored_spans(project):
    return sorted(
        Span.objects.filter(document__project=project).values_list("start", "end", "label__name", "annotator__username")
    )


class TestDocumentImport:
    def test_documents_and_spans_are_stored_with_the_named_annotators(self, owner_member, project):
        records = [
            record(
                spans=[span(20, 26, annotator="annotator"), span(20, 40, "Editorial appeal", annotator="annotator2")]
            ),
            record(external_id="a-2", text="Second text.", source="Wire Two", published_at="2026-03-01"),
        ]

        counts = document_import(member=owner_member, records=records)

        assert counts == {
            "documents": {"stored": 2, "skipped": 0},
            "spans": {"stored": 2, "skipped": 0},
            "labels_created": [],
        }
        assert stored_spans(project) == [
            (20, 26, "Source attribution", "annotator"),
            (20, 40, "Editorial appeal", "annotator2"),
        ]
        second = Document.objects.get(project=project, external_id="a-2")
        assert second.published_at == datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
        assert second.source == "Wire Two"

    def test_a_span_without_annotator_or_naming_a_stranger_belongs_to_the_importer(self, owner_member, project):
        records = [record(spans=[span(0, 6), span(7, 9, annotator="nobody-here")])]

        document_import(member=owner_member, records=records)

        assert {row[3] for row in stored_spans(project)} == {"owner"}

    def test_annotators_with_spans_have_their_assignment_submitted(self, owner_member, project, annotator):
        document_import(member=owner_member, records=[record(spans=[span(0, 6, annotator="annotator")])])

        document = Document.objects.get(project=project, external_id="a-1")
        statuses = dict(Assignment.objects.filter(document=document).values_list("user__username", "status"))
        assert statuses["annotator"] == AssignmentStatus.SUBMITTED
        assert len(statuses) == project.annotators_per_document

    def test_reimporting_the_same_external_ids_skips_them_and_counts_them(self, owner_member, project):
        records = [record(spans=[span(0, 6)]), record(external_id="a-2", spans=[span(1, 3), span(2, 4)])]
        document_import(member=owner_member, records=records)

        again = document_import(member=owner_member, records=[*records, record(external_id="a-3")])

        assert again["documents"] == {"stored": 1, "skipped": 2}
        assert again["spans"] == {"stored": 0, "skipped": 3}
        assert Document.objects.filter(project=project).count() == 3

    def test_unknown_labels_are_problems_unless_created(self, owner_member, project):
        records = [record(spans=[span(0, 6, "Whataboutism")])]

        with pytest.raises(FormatError) as refused:
            document_import(member=owner_member, records=records)
        assert "Whataboutism" in refused.value.problems[0].message
        assert not Document.objects.filter(project=project, external_id="a-1").exists()

        counts = document_import(member=owner_member, records=records, create_labels=True)
        assert counts["labels_created"] == ["Whataboutism"]
        assert Label.objects.filter(project=project, name="Whataboutism", active=True).exists()

    def test_every_unknown_label_is_reported_with_its_line_and_nothing_is_stored(self, owner_member, project):
        before = (Document.objects.count(), Span.objects.count(), Label.objects.count(), AuditEvent.objects.count())
        records = [
            record(spans=[span(0, 6)]),
            record(external_id="b", spans=[span(0, 6, "Whataboutism")]),
            record(external_id="c", spans=[span(0, 6, "Whataboutism"), span(1, 4, "x" * 101)]),
            record(external_id="d", spans=[span(0, 6, "Strawman")]),
        ]

        with pytest.raises(FormatError) as refused:
            document_import(member=owner_member, records=records, create_labels=False)

        assert [(p.line, p.message.split(" ")[1]) for p in refused.value.problems] == [
            (2, "'Whataboutism'"),
            (3, "name"),
            (4, "'Strawman'"),
        ]
        assert refused.value.detail["problems"][0] == {"line": 2, "message": refused.value.problems[0].message}
        after = (Document.objects.count(), Span.objects.count(), Label.objects.count(), AuditEvent.objects.count())
        assert after == before

    def test_a_deactivated_label_cannot_take_new_spans(self, owner_member, project, label):
        Label.objects.filter(pk=label.pk).update(active=False)

        with pytest.raises(FormatError):
            document_import(member=owner_member, records=[record(spans=[span(0, 6, label.name)])])

    def test_each_imported_document_and_the_import_itself_are_audited(self, owner_member, project):
        document_import(member=owner_member, records=[record(), record(external_id="a-2")], source_name="wire.jsonl")

        actions = list(AuditEvent.objects.filter(project=project).values_list("action", flat=True).order_by("id"))
        assert actions[-3:] == ["document.import", "document.import", "project.import"]
        last = AuditEvent.objects.filter(project=project).latest("id")
        assert last.after["file"] == "wire.jsonl"
        assert last.after["documents"] == {"stored": 2, "skipped": 0}
