"""Codebook versions: each change to guidelines, labels, relation types or questions makes exactly one version with
readable lines; annotations record the version current when they are made or changed."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.errors import InvalidInput, LabelInUse, QuestionInUse
from annotator.models import AuditEvent, CodebookVersion, Label, Project, Span
from annotator.services.answers import answer_update
from annotator.services.codebook import codebook_changes, codebook_snapshot
from annotator.services.gold import gold_update
from annotator.services.imports import import_file
from annotator.services.labels import label_create, label_create_many, label_delete, label_update
from annotator.services.projects import project_create, project_update
from annotator.services.questions import question_delete, question_update
from annotator.services.relation_types import relation_type_delete, relation_type_update
from annotator.services.relations import relation_update
from annotator.services.reviews import span_review
from annotator.services.spans import span_update
from tests.arrange import answer, draw, draw_gold, make_question, make_relation_type, member_of, relate

pytestmark = pytest.mark.django_db


def versions(project):
    return list(CodebookVersion.objects.filter(project=project).order_by("number"))


def latest(project):
    return CodebookVersion.objects.filter(project=project).order_by("-number").first()


def bump_once(owner, project):
    """Make one codebook change (a new label), so that the project is at the next version."""
    label_create(member=member_of(owner, project), name=f"Extra {latest(project).number}")
    project.refresh_from_db()
    return project.codebook_version


class TestFirstVersion:
    def test_a_new_project_starts_at_version_1_with_its_preset_codebook(self, owner):
        project = project_create(user=owner, name="Fresh", label_preset="framing", guidelines="Mark quotes.")

        [first] = versions(project)

        assert (project.codebook_version, first.number, first.changes, first.created_by) == (1, 1, [], owner)
        assert first.snapshot == codebook_snapshot(project.pk)
        assert first.snapshot["guidelines"] == "Mark quotes."
        assert "Source attribution" in [label["name"] for label in first.snapshot["labels"]]


class TestEachChangeMakesOneVersion:
    def test_a_rename_of_a_label(self, owner, project, label):
        label_update(member=member_of(owner, project), label=label, name="Attribution")

        new = latest(project)
        assert (new.number, new.changes) == (2, ['label "Source attribution" renamed to "Attribution"'])
        assert new.created_by == owner
        assert Project.objects.get(pk=project.pk).codebook_version == 2
        assert new.snapshot == codebook_snapshot(project.pk)

    def test_a_patch_of_three_fields_is_one_version_with_three_lines(self, owner, project, label):
        label_update(member=member_of(owner, project), label=label, name="Attribution", color="#000000", active=False)

        assert [v.number for v in versions(project)] == [1, 2]
        assert latest(project).changes == [
            'label "Source attribution" renamed to "Attribution"',
            'label "Attribution" colour changed',
            'label "Attribution" deactivated',
        ]

    def test_adding_and_deleting_a_label(self, owner, project):
        member = member_of(owner, project)
        label = label_create(member=member, name="Cue")
        label_delete(member=member_of(owner, project), label=label)

        assert [v.changes for v in versions(project)[1:]] == [['label "Cue" added'], ['label "Cue" deleted']]

    def test_a_list_of_labels_is_one_version(self, owner, project):
        label_create_many(member=member_of(owner, project), items=[{"name": "Cue"}, {"name": "Content"}])

        assert [v.changes for v in versions(project)[1:]] == [['label "Cue" added', 'label "Content" added']]

    def test_editing_the_guidelines(self, owner, project):
        project_update(member=member_of(owner, project), guidelines="Mark every quote, however short.")

        assert latest(project).changes == ["guidelines edited"]
        assert latest(project).snapshot["guidelines"] == "Mark every quote, however short."

    def test_changing_only_other_project_fields_makes_no_version(self, owner, project):
        project_update(member=member_of(owner, project), name="Renamed project", guidelines=project.guidelines)

        assert [v.number for v in versions(project)] == [1]

    def test_a_question_gains_an_option_and_becomes_required(self, owner, project):
        question = make_question(owner, project, "Tone")
        question_update(
            member=member_of(owner, project), question=question, options=["pro", "neutral", "anti", "mixed"],
            required=True,
        )  # fmt: skip

        assert [v.changes for v in versions(project)[1:]] == [
            ['question "Tone" added'],
            ['question "Tone" gained option "mixed"', 'question "Tone" now required'],
        ]

    def test_deleting_a_question(self, owner, project):
        question = make_question(owner, project, "Tone")
        question_delete(member=member_of(owner, project), question=question)

        assert latest(project).changes == ['question "Tone" deleted']

    def test_a_relation_types_allowed_labels(self, owner, project, label):
        kind = make_relation_type(owner, project, "source")
        relation_type_update(member=member_of(owner, project), relation_type=kind, from_labels=[label.pk])

        assert latest(project).changes == ['relation type "source" allowed labels changed']
        assert latest(project).snapshot["relation_types"][-1]["from_labels"] == [label.pk]
        relation_type_delete(member=member_of(owner, project), relation_type=kind)
        assert latest(project).changes == ['relation type "source" deleted']

    def test_each_version_has_one_audit_event_naming_its_number_and_lines(self, owner, project, label):
        label_update(member=member_of(owner, project), label=label, description="Who said it.")

        [event] = AuditEvent.objects.filter(project_id=project.pk, action="codebook_version.create", object_id=latest(
            project).pk)  # fmt: skip
        assert event.after == {"number": 2, "changes": ['label "Source attribution" description changed']}
        assert event.actor_id == owner.pk


class TestRefusedChangesMakeNone:
    def test_a_taken_name(self, owner, project, label):
        with pytest.raises(InvalidInput):
            label_update(member=member_of(owner, project), label=label, name="Editorial appeal")

        assert [v.number for v in versions(project)] == [1]
        assert Project.objects.get(pk=project.pk).codebook_version == 1

    def test_deleting_a_label_in_use(self, owner, annotator, project, document, label):
        draw(annotator, document, label)

        with pytest.raises(LabelInUse):
            label_delete(member=member_of(owner, project), label=label)

        assert [v.number for v in versions(project)] == [1]

    def test_taking_away_an_option_answers_choose(self, owner, annotator, project, document):
        question = make_question(owner, project, "Tone")
        answer(annotator, document, question, "pro")

        with pytest.raises(QuestionInUse):
            question_update(member=member_of(owner, project), question=question, options=["neutral", "anti"])

        assert [v.number for v in versions(project)] == [1, 2]


class TestAnnotationsRecordTheirVersion:
    def test_a_span_records_the_version_when_made_and_when_changed(self, owner, annotator, project, document, label):
        old = draw(annotator, document, label, "told reporters")
        version = bump_once(owner, project)
        new = draw(annotator, document, label, "he said")

        assert (old.codebook_version, new.codebook_version, version) == (1, 2, 2)
        changed = span_update(member=member_of(annotator, project), span=old, note="checked")
        assert changed.codebook_version == 2
        assert Span.objects.get(pk=old.pk).codebook_version == 2

    def test_a_review_leaves_the_version_the_annotator_worked_under(self, owner, reviewer, annotator, project,
                                                                    document, label):  # fmt: skip
        span = draw(annotator, document, label)
        bump_once(owner, project)

        span_review(member=member_of(reviewer, project), span=span, decision="accepted")

        assert Span.objects.get(pk=span.pk).codebook_version == 1

    def test_relations_answers_and_gold_items_record_it(self, owner, reviewer, annotator, project, document, label):
        kind = make_relation_type(owner, project, "Says")  # version 2
        question = make_question(owner, project, "Tone")  # version 3
        cue, content = draw(annotator, document, label, "told reporters"), draw(annotator, document, label, "he said")
        relation = relate(annotator, kind, cue, content)
        given = answer(annotator, document, question, "pro")
        gold = draw_gold(reviewer, document, label, "he said")
        assert {relation.codebook_version, given.codebook_version, gold.codebook_version} == {3}

        bump_once(owner, project)  # version 4
        assert relation_update(member=member_of(annotator, project), relation=relation, note="x").codebook_version == 4
        assert answer_update(member=member_of(annotator, project), answer=given, value="anti").codebook_version == 4
        assert gold_update(member=member_of(reviewer, project), gold=gold, note="y").codebook_version == 4

    def test_a_codebook_change_touches_no_annotation(self, owner, annotator, project, document, label):
        draw(annotator, document, label)
        member = member_of(owner, project)

        with CaptureQueriesContext(connection) as queries:
            label_update(member=member, label=label, name="Attribution")

        span_table = Span._meta.db_table
        assert not [q["sql"] for q in queries if span_table in q["sql"] and "UPDATE" in q["sql"].upper()]
        assert Span.objects.get().codebook_version == 1

    def test_an_import_that_creates_labels_writes_its_spans_under_the_new_version(self, owner, project):
        data = b'{"text": "A quote here.", "spans": [{"start": 2, "end": 7, "label": "Brand new"}]}\n'

        import_file(member=member_of(owner, project), data=data, format="jsonl", create_labels=True)

        assert latest(project).changes == ['label "Brand new" added']
        assert Span.objects.get().codebook_version == 2 == Project.objects.get(pk=project.pk).codebook_version

    def test_an_import_whose_batches_create_labels_and_types_makes_one_version(self, owner, project, monkeypatch):
        monkeypatch.setattr("annotator.services.imports.BATCH_DOCUMENTS", 1)  # each document is its own batch
        data = (
            b'{"text": "First text.", "spans": [{"id": 1, "start": 0, "end": 5, "label": "Early"}]}\n'
            b'{"text": "Second text.", "spans": [{"id": 1, "start": 0, "end": 6, "label": "Late"},'
            b' {"id": 2, "start": 7, "end": 11, "label": "Early"}],'
            b' "relations": [{"type": "Cites", "from": 1, "to": 2}]}\n'
        )

        counts = import_file(member=member_of(owner, project), data=data, format="jsonl", create_labels=True)

        assert counts["spans"]["stored"] == 3 and counts["relations"]["stored"] == 1
        assert [v.number for v in versions(project)] == [1, 2]
        assert latest(project).changes == ['label "Early" added', 'label "Late" added', 'relation type "Cites" added']
        assert {label["name"] for label in latest(project).snapshot["labels"]} >= {"Early", "Late"}
        assert set(Span.objects.values_list("codebook_version", flat=True)) == {2}
        events = AuditEvent.objects.filter(action="codebook_version.create", project=project).order_by("id")
        assert [e.after for e in events][-1] == {"number": 2, "changes": latest(project).changes}
        assert events.filter(after__number=2).count() == 1


class TestChangeLines:
    def test_lines_between_two_snapshots(self):
        old = {
            "guidelines": "a",
            "labels": [{"id": 1, "name": "Appeal", "key": "a", "color": "#fff", "description": "", "active": True}],
            "relation_types": [],
            "questions": [
                {"id": 5, "name": "Tone", "kind": "single", "options": ["pro", "anti"], "min": None, "max": None,
                 "required": False, "description": "", "key": "", "active": True},
            ],
        }  # fmt: skip
        new = {
            "guidelines": "b",
            "labels": [{**old["labels"][0], "name": "Editorial appeal", "key": "e", "active": False}],
            "relation_types": [],
            "questions": [{**old["questions"][0], "options": ["pro", "mixed"]}],
        }

        assert codebook_changes(old, new) == [
            "guidelines edited",
            'label "Appeal" renamed to "Editorial appeal"',
            'label "Editorial appeal" key changed',
            'label "Editorial appeal" deactivated',
            'question "Tone" gained option "mixed"',
            'question "Tone" lost option "anti"',
        ]
        assert codebook_changes(new, new) == []


def test_the_label_model_has_no_field_the_snapshot_forgets():
    """A new Label field must be in the snapshot (label_json) or deliberately left out here."""
    shown = {"id", "name", "key", "color", "description", "active"}
    assert {f.name for f in Label._meta.concrete_fields} - shown == {"project", "created_at"}
