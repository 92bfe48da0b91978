"""The import service with relations: stored between the spans they name by id, under the relation service's rules,
each problem with its line, all or nothing; repeats and documents already present skipped and counted."""

import json

import pytest

from annotator import formats
from annotator.access import access_project
from annotator.formats import FormatError
from annotator.models import AuditEvent, Document, Label, Relation, RelationType, Span
from annotator.services import imports
from annotator.services.relation_types import relation_type_update
from tests.arrange import make_relation_type

TEXT = "Peskov told reporters the talks would resume, Zakharova said."


def at(piece):
    start = TEXT.index(piece)
    return start, start + len(piece)


def span(id, piece, label="Source attribution", annotator="annotator"):  # noqa: A002 (the file's key)
    start, end = at(piece)
    return {"id": id, "start": start, "end": end, "label": label, "annotator": annotator}


def line(external_id="a-1", *, relations, spans=None):
    spans = spans if spans is not None else [
        span(1, "Peskov"),
        span(2, "told reporters", "Editorial appeal"),
        span(3, "the talks would resume", "Diplomatic claim"),
    ]  # fmt: skip
    return {"text": TEXT, "external_id": external_id, "spans": spans, "relations": relations}


def says(start, end, **fields):
    return {"type": "Says", "from": start, "to": end, **fields}


def document_import(*lines, **kwargs):
    """The import service fed as the API feeds it: the records of a JSON Lines file of `lines`, as they are read."""
    data = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode()
    return imports.document_import(records=formats.records("jsonl", data), **kwargs)


def problems_of(*lines, **kwargs):
    with pytest.raises(FormatError) as refused:
        document_import(*lines, **kwargs)
    return [(problem.line, problem.message) for problem in refused.value.problems]


def stored(project):
    return sorted(
        Relation.objects.filter(document__project=project).values_list(
            "type__name", "from_span__start", "to_span__start", "annotator__username", "from_span__annotator__username",
            "to_span__annotator__username", "review_status", "note",
        )
    )  # fmt: skip


def state():
    return (Document.objects.count(), Span.objects.count(), Relation.objects.count(), RelationType.objects.count(),
            AuditEvent.objects.count())  # fmt: skip


@pytest.fixture
def owner_member(project, owner):
    return access_project(owner, project.pk)


@pytest.fixture
def says_type(owner, project):
    """"Says": from a Source attribution to any label."""
    return make_relation_type(owner, project, "Says", from_labels=["Source attribution"])


class TestRelationImport:
    def test_relations_are_stored_between_the_spans_they_name(self, owner_member, project, says_type):
        relations = [says(1, 3, note="the main claim", review_status="accepted"), says(1, 2, annotator="annotator")]

        counts = document_import(line(relations=relations), member=owner_member)

        assert counts["relations"] == {"stored": 2, "skipped": 0}
        assert counts["spans"] == {"stored": 3, "skipped": 0}
        assert stored(project) == [
            ("Says", 0, at("told reporters")[0], "annotator", "annotator", "annotator", "pending", ""),
            ("Says", 0, at("the talks would resume")[0], "annotator", "annotator", "annotator", "accepted",
             "the main claim"),
        ]  # fmt: skip
        assert set(Relation.objects.values_list("document__external_id", flat=True)) == {"a-1"}

    def test_spans_without_annotator_and_their_relation_belong_to_the_importer(self, owner_member, project, says_type):
        spans = [span("src", "Peskov", annotator=None), span("claim", "the talks would resume", "Diplomatic claim",
                                                             annotator="a-stranger")]  # fmt: skip

        document_import(line(relations=[says("src", "claim")], spans=spans), member=owner_member)

        assert [row[3:6] for row in stored(project)] == [("owner", "owner", "owner")]

    def test_the_import_and_each_document_are_audited_with_their_relations(self, owner_member, project, says_type):
        document_import(line(relations=[says(1, 3)]), line("a-2", relations=[]), member=owner_member)

        imported = AuditEvent.objects.get(project=project, action="project.import")
        assert imported.after["relations"] == {"stored": 1, "skipped": 0}
        events = AuditEvent.objects.filter(project=project, action="document.import")
        assert sorted((event.after["external_id"], event.after["relations"]) for event in events) == [
            ("a-1", 1),
            ("a-2", 0),
        ]

    def test_a_repeated_relation_is_skipped_and_counted(self, owner_member, project, says_type):
        spans = [span(1, "Peskov"), span(2, "Peskov"), span(3, "the talks would resume", "Diplomatic claim")]

        counts = document_import(line(relations=[says(1, 3), says(1, 3), says(2, 3)], spans=spans),
                                 member=owner_member)  # fmt: skip

        assert counts["spans"] == {"stored": 2, "skipped": 1}
        assert counts["relations"] == {"stored": 1, "skipped": 2}
        assert len(stored(project)) == 1

    def test_a_document_already_present_is_skipped_with_its_relations(self, owner_member, project, says_type):
        document_import(line(relations=[says(1, 3)]), member=owner_member)
        before = state()

        again = document_import(line(relations=[says(1, 3), says(1, 2)]), member=owner_member)

        assert again["documents"] == {"stored": 0, "skipped": 1}
        assert again["relations"] == {"stored": 0, "skipped": 2}
        assert state()[:4] == before[:4]

    def test_relations_span_insert_batches(self, owner_member, project, says_type, monkeypatch):
        monkeypatch.setattr(imports, "BATCH_DOCUMENTS", 2)
        lines = [line(f"a-{n}", relations=[says(1, 3), says(1, 2)]) for n in range(5)]

        counts = document_import(*lines, member=owner_member)

        assert counts["relations"] == {"stored": 10, "skipped": 0}
        for relation in Relation.objects.select_related("from_span", "to_span"):
            assert relation.from_span.document_id == relation.to_span.document_id == relation.document_id
            assert TEXT[relation.from_span.start : relation.from_span.end] == "Peskov"


class TestRelationTypesByName:
    def test_an_unknown_type_is_a_problem_unless_create_labels_creates_it(self, owner_member, project):
        lines = [line(relations=[{"type": "Quotes", "from": 2, "to": 3}])]

        assert problems_of(*lines, member=owner_member) == [
            (1, "relation type 'Quotes' is not in this project (import with create_labels=true)")
        ]

        counts = document_import(*lines, member=owner_member, create_labels=True)
        assert counts["relation_types_created"] == ["Quotes"]
        created = RelationType.objects.get(project=project, name="Quotes")
        assert created.active and not created.end_labels.exists()
        assert AuditEvent.objects.filter(action="relation_type.create", object_id=created.pk).exists()
        assert stored(project)[0][0] == "Quotes"

    def test_a_label_created_by_the_import_is_not_one_a_type_allows(self, owner_member, project, says_type):
        spans = [span(1, "Peskov", "Speaker"), span(3, "the talks would resume", "Diplomatic claim")]

        problems = problems_of(line(relations=[says(1, 3)], spans=spans), member=owner_member, create_labels=True)

        assert problems == [
            (1, "relation 'Says' from span 1 to span 3: relation type 'Says' does not start at a span with this label")
        ]

    def test_a_deactivated_type_is_refused(self, owner, owner_member, project, says_type):
        relation_type_update(member=owner_member, relation_type=says_type, active=False)

        assert problems_of(line(relations=[says(1, 3)]), member=owner_member) == [
            (1, "relation type 'Says' is deactivated")
        ]


class TestRelationImportRefuses:
    def test_every_problem_is_reported_with_its_line_and_nothing_is_stored(self, owner_member, project, says_type):
        before = state()
        spans = [
            span(1, "Peskov"),
            span(2, "Zakharova", annotator="annotator2"),
            span(3, "the talks would resume", "Diplomatic claim"),
            span(4, "told reporters", "Editorial appeal"),
            span(5, "Peskov"),
        ]
        lines = [
            line("ok", relations=[says(1, 3)]),
            line("b", spans=spans, relations=[
                says(1, 2),  # two annotators' spans
                says(4, 3),  # the type starts at a Source attribution only
                says(1, 3, annotator="annotator2"),  # names someone else
                says(1, 5),  # span 5 repeats span 1: the same span twice
                {"type": "Says", "from": 1, "to": 99},  # no span 99 on this line
            ]),
        ]  # fmt: skip

        problems = problems_of(*lines, member=owner_member)

        assert problems == [
            (2, "relation 5: to 99 is not the id of a span of this document"),  # the file's own, first
            (2, "relation 'Says' from span 1 to span 2: joins spans of two annotators, 'annotator' and 'annotator2'"),
            (2, "relation 'Says' from span 4 to span 3: relation type 'Says' does not start at a span with this label"),
            (2, "relation 'Says' from span 1 to span 3: annotator 'annotator2' is not the one of its spans,"
                " 'annotator'"),
            (2, "relation 'Says' from span 1 to span 5: a relation joins two different spans; from_span and to_span"
                " are the same"),
        ]  # fmt: skip
        assert state() == before

    def test_a_file_wrong_only_in_a_relation_stores_no_document(self, owner_member, project, says_type):
        before = state()
        lines = [line(f"a-{n}", relations=[says(1, 3)]) for n in range(3)]
        lines.append(line("bad", relations=[says(2, 3)]))

        assert problems_of(*lines, member=owner_member) == [
            (4, "relation 'Says' from span 2 to span 3: relation type 'Says' does not start at a span with this label")
        ]
        assert state() == before
        assert not Label.objects.filter(project=project, name="Speaker").exists()
