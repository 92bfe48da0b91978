"""The shortcuts past the ORM take their columns from the models, so a new field cannot be forgotten by one of them."""

import pytest
from django.apps import apps

from annotator.access import DocumentScope
from annotator.models import Assignment, AuditEvent, Document, Relation, Span, SuggestionDecision
from annotator.selectors.relations import RELATION_ROW_FIELDS
from annotator.selectors.spans import SPAN_ROW_FIELDS
from annotator.services.audit import snapshot
from annotator.services.backups import KINDS, NOT_ARCHIVED
from annotator.services.imports import Columns
from annotator.services.suggestions import suggestion_accept, suggestion_reject
from tests.arrange import answer, draw, make_question, make_relation_type, member_of, relate, suggest

pytestmark = pytest.mark.django_db


def columns_but_id(model):
    return {field.attname for field in model._meta.concrete_fields if not field.primary_key}


class TestImportColumns:
    @pytest.mark.parametrize(
        ("model", "given"),
        [
            (Document, ("project_id", "text", "text_hash", "published_at")),
            (Span, ("document_id", "annotator_id", "label_id", "start", "end")),
            (Assignment, ("document_id", "user_id")),
            (AuditEvent, ()),
        ],
    )
    def test_every_column_but_the_id_is_written(self, model, given):
        columns = Columns(model, given, now=None)
        assert set(columns.fields) == columns_but_id(model)
        assert columns.fields[: len(given)] == given

    def test_a_field_without_a_default_must_be_given(self):
        with pytest.raises(TypeError, match=r"Span\.start has no default"):
            Columns(Span, ("document_id", "annotator_id", "label_id"), now=None)

    def test_the_others_take_the_models_defaults(self):
        columns = Columns(Span, ("document_id", "annotator_id", "label_id", "start", "end"), now=None)
        defaults = dict(zip(columns.fields[5:], columns.tail, strict=True))
        assert defaults["version"] == 1
        assert defaults["review_status"] == "pending"
        assert defaults["reviewed_by_id"] is None


class TestSpanRows:
    def test_a_span_row_carries_every_span_column_but_users_and_times(self):
        users_and_times = {"annotator_id", "reviewed_by_id", "reviewed_at", "created_at", "updated_at"}
        assert set(SPAN_ROW_FIELDS) == columns_but_id(Span) - users_and_times | {"id"}


class TestRelationRows:
    def test_a_relation_row_carries_every_relation_column_but_users_and_times(self):
        users_and_times = {"annotator_id", "reviewed_by_id", "reviewed_at", "created_at", "updated_at"}
        assert set(RELATION_ROW_FIELDS) == columns_but_id(Relation) - users_and_times | {"id"}


class TestBackupKinds:
    def test_every_model_of_the_app_is_a_kind_of_the_archive(self):
        archived = {spec.model for spec in KINDS.values()}
        assert archived | NOT_ARCHIVED == set(apps.get_app_config("annotator").get_models())
        assert not archived & NOT_ARCHIVED

    @pytest.mark.parametrize("kind", sorted(KINDS))
    def test_every_column_of_a_kind_is_archived(self, kind):
        spec = KINDS[kind]
        archived = {*spec.fields, *spec.derived, *(f"{name}_id" for name in (*spec.users, *spec.refs))}
        if spec.in_project:
            archived.add("project_id")
        assert archived == columns_but_id(spec.model)


class TestDocumentScope:
    def test_only_urls_inside_one_document_take_the_fast_path(self):
        assert DocumentScope.of({"project_id": 3, "document_id": 7}) == (3, 7, None)
        assert DocumentScope.of({"project_id": 3}) is None
        assert DocumentScope.of({}) is None


def assert_stored_as_returned_and_audited(obj, action):
    """The row stored for the new `obj` is the object the service returned, and its one `action` event keeps it."""
    stored = type(obj).objects.get(pk=obj.pk)
    [event] = AuditEvent.objects.filter(action=action, object_id=obj.pk)
    assert snapshot(obj) == snapshot(stored)
    assert event.after == snapshot(stored)


class TestCreatesWithTheirEvents:
    """On PostgreSQL a span, relation, answer or suggestion decision and its audit event are one statement
    (services.audit.insert_audited, its columns from the models); elsewhere the ORM writes them. Either way they hold
    every column of the row."""

    def test_a_span_is_stored_as_returned_and_its_event_keeps_every_column(self, annotator, document, label):
        assert_stored_as_returned_and_audited(draw(annotator, document, label), "span.create")

    def test_a_relation_is_stored_as_returned_and_its_event_keeps_every_column(
        self, owner, annotator, project, document, label
    ):
        source = draw(annotator, document, label, "told reporters")
        claim = draw(annotator, document, label, "talks would resume")
        relation = relate(annotator, make_relation_type(owner, project, "Says"), source, claim, note="who says")

        assert_stored_as_returned_and_audited(relation, "relation.create")

    @pytest.mark.parametrize(
        ("kind", "fields", "value"),
        [
            ("single", {"options": ["pro", "anti"]}, "anti"),
            ("multi", {"options": ["Economic", "Political 🗳️", "Legal"]}, ["Legal", "Political 🗳️"]),
            ("scale", {"min": -3, "max": 3}, -3),
        ],
    )
    def test_an_answer_is_stored_as_returned_and_its_event_keeps_every_column(
        self, owner, annotator, project, document, kind, fields, value
    ):
        question = make_question(owner, project, "Asked", kind, **fields)

        given = answer(annotator, document, question, value)

        assert_stored_as_returned_and_audited(given, "answer.create")
        assert type(given).objects.get(pk=given.pk).value == given.value

    @pytest.mark.parametrize(("decide", "action"), [(suggestion_accept, "suggestion.accept"),
                                                    (suggestion_reject, "suggestion.reject")])  # fmt: skip
    def test_a_suggestion_decision_is_stored_as_made_and_its_event_keeps_every_column(
        self, owner, annotator, document, decide, action
    ):
        suggestion = suggest(owner, document, "Diplomatic claim", "talks would resume")

        decide(member=member_of(annotator, document.project), suggestion=suggestion)

        [decision] = SuggestionDecision.objects.all()
        [event] = AuditEvent.objects.filter(action=action)
        assert event.object_id == decision.pk
        assert event.after == snapshot(decision)
        assert decision.span_id == (Span.objects.get(origin__isnull=False).pk if decide is suggestion_accept else None)
