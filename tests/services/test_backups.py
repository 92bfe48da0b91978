"""Backups: a project archived by backup_project comes back from restore_project row for row, or not at all."""

import datetime
import gzip
import json
import random
import string
import threading
from io import BytesIO, StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.models import (
    Answer,
    Assignment,
    AssignmentStatus,
    AuditEvent,
    CodebookVersion,
    Document,
    GoldAnswer,
    GoldRelation,
    GoldSpan,
    Label,
    Member,
    Project,
    Question,
    Recommender,
    Relation,
    RelationType,
    RelationTypeLabel,
    ReviewStatus,
    Role,
    Span,
    Suggestion,
    SuggestionDecision,
)
from annotator.services.answers import answer_update
from annotator.services.assignments import document_submit
from annotator.services.backups import (
    FORMAT,
    SINCE_VERSION_2,
    SINCE_VERSION_3,
    SINCE_VERSION_4,
    SINCE_VERSION_5,
    VERSION,
    project_backup,
    project_restore,
)
from annotator.services.codebook import codebook_snapshot, guidelines_read
from annotator.services.documents import document_create_many
from annotator.services.gold import gold_create
from annotator.services.gold_answers import gold_answer_create
from annotator.services.gold_relations import gold_relation_create
from annotator.services.labels import label_create, label_update
from annotator.services.members import member_add
from annotator.services.projects import project_create, project_update
from annotator.services.questions import question_update
from annotator.services.recommenders import recommender_create
from annotator.services.relation_types import relation_type_update
from annotator.services.relations import relation_update
from annotator.services.reviews import answer_review, relation_review, span_review
from annotator.services.spans import span_delete, span_update
from annotator.services.suggestions import suggestion_accept, suggestion_reject
from tests.arrange import (
    answer,
    draw,
    make_question,
    make_recommender,
    make_relation_type,
    member_of,
    relate,
    suggest,
)
from tests.conftest import make_document, make_project, shared_by_class
from tests.factories import ARTICLE, UserFactory

User = get_user_model()
MODELS = [
    User,
    Project,
    Label,
    Member,
    Document,
    Assignment,
    Span,
    GoldSpan,
    RelationType,
    RelationTypeLabel,
    Relation,
    GoldRelation,
    Question,
    Answer,
    GoldAnswer,
    Suggestion,
    SuggestionDecision,
    Recommender,
    AuditEvent,
    CodebookVersion,
]
LONG_AGO = datetime.datetime(2024, 2, 29, 13, 45, 7, 123456, tzinfo=datetime.UTC)
EMOJI_TEXT = "Flags 🇺🇦🇷🇺 and a family 👨‍👩‍👧 before the claim: the envoy said talks were over.\nSecond line."


@pytest.fixture
def rich_project(project, document, owner, reviewer, annotator, annotator2):
    """Every kind of row a project has: edited settings, a custom and a deactivated label, an emoji document with
    metadata, spans by two annotators (edited, deleted, accepted, rejected), a submission, gold (one copied from a
    span), and times from long ago that a restore must keep."""
    return make_rich_project(project, document, owner, reviewer, annotator, annotator2)


@pytest.fixture(scope="class")
def rich_archive(django_db_setup, django_db_blocker, tmp_path_factory):
    """The bytes of a backup of rich_project, made once for a class and its rows rolled back at once: for the tests
    that only read or change the archive and restore it into an empty database. Making the project and its backup
    for each of the 24 tests of TestBrokenArchives that use it was most of their time."""

    def build():
        owner, reviewer, annotator, annotator2 = (
            UserFactory(username=name) for name in ("owner", "reviewer", "annotator", "annotator2")
        )
        project = make_project(owner, reviewer, annotator, annotator2)
        document = make_document(project, owner)
        rich = make_rich_project(project, document, owner, reviewer, annotator, annotator2)
        return backup(rich, tmp_path_factory.mktemp("rich") / "good.gz").read_bytes()

    rows = shared_by_class(django_db_blocker, build)
    archive = next(rows)
    rows.close()  # rolls the rows back
    return archive


def make_rich_project(project, document, owner, reviewer, annotator, annotator2):
    owner_member = access_project(owner, project.pk)
    project_update(member=owner_member, guidelines="# Guidelines\nMark every *source*.", description="Desk 🕊️")
    custom = label_create(member=owner_member, name="Scare quotes", key="x", description="Words that judge.")
    [emoji_document] = document_create_many(
        member=owner_member,
        items=[
            {
                "text": EMOJI_TEXT,
                "title": "Envoy 🇺🇦",
                "external_id": "talks-2",
                "source": "Wire Two",
                "url": "https://example.org/talks-2",
                "author": "Олена Петренко",
                "published_at": datetime.datetime(2025, 3, 1, 8, 30, tzinfo=datetime.UTC),
                "language": "en",
                "metadata": {"section": "world", "tags": ["talks", "🕊️"], "score": 0.5, "nested": {"a": [1, None]}},
            }
        ],
    )
    first = draw(annotator, document, "Source attribution", "told reporters", note="the verb")
    draw(annotator, document, "Editorial appeal", "donate to keep this reporting free")
    loaded = draw(annotator, emoji_document, "Scare quotes", "talks were over")
    rival = draw(annotator2, document, "Source attribution", "Ілля Коваль, told reporters")
    gone = draw(annotator2, document, "Diplomatic claim", "talks would resume")
    span_update(member=access_project(annotator, project.pk), span=first, note="the reporting verb")
    span_delete(member=access_project(annotator2, project.pk), span=gone, expected_version=gone.version)
    reviewer_member = access_project(reviewer, project.pk)
    span_review(member=reviewer_member, span=first, decision=ReviewStatus.ACCEPTED, comment="Exact 👍")
    span_review(member=reviewer_member, span=rival, decision=ReviewStatus.REJECTED, comment="Too wide.")
    document_submit(member=access_project(annotator, project.pk), document=document)
    gold_create(member=reviewer_member, document=document, from_span=first.pk)
    start = EMOJI_TEXT.index("the envoy said")
    gold_create(
        member=reviewer_member,
        document=emoji_document,
        label=Label.objects.get(project=project, name="Diplomatic claim").pk,
        start=start,
        end=start + len("the envoy said"),
        note="gold by hand",
    )
    says = make_relation_type(
        owner, project, "Says", key="q", from_labels=["Source attribution"], to_labels=["Official statement", "Denial"]
    )
    relation_type_update(member=owner_member, relation_type=says, to_labels=[*says.ends["to"], custom.pk])
    old = make_relation_type(owner, project, "Old", description="Replaced by Says.")
    relation_type_update(member=owner_member, relation_type=old, active=False)
    claim = draw(annotator, document, "Diplomatic claim", "talks would resume")
    said = relate(annotator, make_relation_type(owner, project, "Any"), first, claim, note="the claim's source")
    relation_update(member=access_project(annotator, project.pk), relation=said, note="who said it")
    relation_review(member=reviewer_member, relation=said, decision=ReviewStatus.ACCEPTED, comment="Yes")
    rival_claim = draw(annotator2, document, "Official statement", "talks would resume")
    relate(annotator2, says, rival, rival_claim)
    doomed = draw(annotator2, document, "Denial", "We expect a result within weeks")
    relate(annotator2, says, rival, doomed)
    span_delete(member=access_project(annotator2, project.pk), span=doomed)
    gold_relation_create(member=reviewer_member, document=document, from_relation=said.pk)
    tone = make_question(owner, project, "Tone", key="t", required=True, description="The article's lean.")
    frames = make_question(owner, project, "Frames", "multi", options=["Economic", "Political 🗳️", "Legal"])
    slant = make_question(owner, project, "Slant", "scale", min=-3, max=3)
    question_update(member=owner_member, question=frames, options=["Economic", "Political 🗳️", "Legal", "Other"])
    leaning = answer(annotator, document, tone, "pro")
    answer_update(member=access_project(annotator, project.pk), answer=leaning, value="anti")
    answer_review(member=reviewer_member, answer=leaning, decision=ReviewStatus.REJECTED, comment="Neutral, I think")
    answer(annotator2, document, tone, "neutral")
    answer(annotator, emoji_document, frames, ["Legal", "Political 🗳️"])
    answer(annotator2, document, slant, -3)
    gold_answer_create(member=reviewer_member, document=document, from_answer=leaning.pk)
    gold_answer_create(member=reviewer_member, document=emoji_document, question=slant.pk, value=0)
    cue = suggest(owner, document, "Official statement", "in a statement", source="lexicon:cues", score=0.25)
    hunch = suggest(reviewer, emoji_document, "Diplomatic claim", "the envoy said", source="team-model", score=None)
    suggestion_accept(member=member_of(annotator, project), suggestion=cue)
    suggestion_reject(member=member_of(annotator2, project), suggestion=cue)
    suggestion_reject(member=member_of(annotator, project), suggestion=hunch)
    make_recommender(owner, project, "cues", [(custom, "talks were over"), (first.label, "told reporters")])
    recommender_create(member=owner_member, name="quotes 🗨️", kind="memory", config={}, active=False)
    label_update(member=owner_member, label=custom, active=False)
    Span.objects.filter(pk=loaded.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    Document.objects.filter(pk=document.pk).update(created_at=LONG_AGO)
    AuditEvent.objects.filter(project=project, action="project.create").update(created_at=LONG_AGO)
    return Project.objects.get(pk=project.pk)


def backup(project, path):
    call_command("backup_project", str(project.pk), str(path), stdout=StringIO())
    return path


def restore(path, *args):
    out = StringIO()
    call_command("restore_project", str(path), *args, stdout=out)
    return out.getvalue()


def wipe_database():
    """Leave no row of any model the archive holds: the empty database a restore starts from."""
    Project.objects.all().delete()
    AuditEvent.objects.all().delete()
    User.objects.all().delete()


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def project_rows(project):
    """Every row of `project`, field by field, ids left out and every relation named by natural keys."""
    documents = dict(Document.objects.filter(project=project).values_list("id", "external_id"))
    labels = dict(Label.objects.filter(project=project).values_list("id", "name"))
    users = dict(User.objects.values_list("id", "username"))
    spans = {
        pk: (documents[doc], users[annotator], labels[label], start, end)
        for pk, doc, annotator, label, start, end in Span.objects.filter(document__project=project).values_list(
            "id", "document_id", "annotator_id", "label_id", "start", "end"
        )
    }
    gold_spans = {
        g.pk: (documents[g.document_id], labels[g.label_id], g.start, g.end)
        for g in GoldSpan.objects.filter(document__project=project)
    }
    relation_types = dict(RelationType.objects.filter(project=project).values_list("id", "name"))
    relations = {
        r.pk: (relation_types[r.type_id], spans[r.from_span_id], spans[r.to_span_id], users[r.annotator_id])
        for r in Relation.objects.filter(document__project=project)
    }
    questions = dict(Question.objects.filter(project=project).values_list("id", "name"))
    answers = {
        a.pk: (documents[a.document_id], questions[a.question_id], users[a.annotator_id])
        for a in Answer.objects.filter(document__project=project)
    }
    suggestions = {
        g.pk: (documents[g.document_id], labels[g.label_id], g.start, g.end, g.source)
        for g in Suggestion.objects.filter(document__project=project)
    }
    keys = {
        Suggestion: suggestions,
        User: users,
        Project: {project.pk: "this project"},
        Document: documents,
        Label: labels,
        Span: spans,
        GoldSpan: gold_spans,
        RelationType: relation_types,
        Relation: relations,
        Question: questions,
        Answer: answers,
    }
    objects = {
        "project": keys[Project],
        "document": documents,
        "label": labels,
        "span": spans,
        "member": dict(Member.objects.filter(project=project).values_list("id", "user__username")),
        "assignment": {
            a.pk: (documents[a.document_id], users[a.user_id])
            for a in Assignment.objects.filter(document__project=project)
        },
        "goldspan": gold_spans,
        "relationtype": relation_types,
        "relation": relations,
        "goldrelation": {
            g.pk: (relation_types[g.type_id], gold_spans[g.from_span_id], gold_spans[g.to_span_id])
            for g in GoldRelation.objects.filter(document__project=project)
        },
        "question": questions,
        "answer": answers,
        "goldanswer": {
            g.pk: (documents[g.document_id], questions[g.question_id])
            for g in GoldAnswer.objects.filter(document__project=project)
        },
        "suggestion": suggestions,
        "recommender": dict(Recommender.objects.filter(project=project).values_list("id", "name")),
        "suggestiondecision": {
            d.pk: (suggestions[d.suggestion_id], users[d.user_id])
            for d in SuggestionDecision.objects.filter(suggestion__document__project=project)
        },
    }

    def rows(queryset):
        found = []
        for obj in queryset:
            row = {}
            for field in obj._meta.concrete_fields:
                value = getattr(obj, field.attname)
                if field.primary_key:
                    continue
                if field.is_relation and value is not None:
                    value = keys[field.related_model].get(value, "missing")
                elif field.name == "object_id":
                    value = objects.get(obj.object_type, {}).get(value)
                row[field.name] = value
            found.append(row)
        return sorted(found, key=lambda row: json.dumps(row, sort_keys=True, default=str))

    return {
        "project": rows(Project.objects.filter(pk=project.pk)),
        "labels": rows(Label.objects.filter(project=project)),
        "members": rows(Member.objects.filter(project=project)),
        "documents": rows(Document.objects.filter(project=project)),
        "assignments": rows(Assignment.objects.filter(document__project=project)),
        "spans": rows(Span.objects.filter(document__project=project)),
        "gold": rows(GoldSpan.objects.filter(document__project=project)),
        "relation_types": rows(RelationType.objects.filter(project=project)),
        "relation_type_labels": rows(RelationTypeLabel.objects.filter(type__project=project)),
        "relations": rows(Relation.objects.filter(document__project=project)),
        "gold_relations": rows(GoldRelation.objects.filter(document__project=project)),
        "questions": rows(Question.objects.filter(project=project)),
        "answers": rows(Answer.objects.filter(document__project=project)),
        "gold_answers": rows(GoldAnswer.objects.filter(document__project=project)),
        "suggestions": rows(Suggestion.objects.filter(document__project=project)),
        "suggestion_decisions": rows(SuggestionDecision.objects.filter(suggestion__document__project=project)),
        "recommenders": [
            {**row, "config": named_labels(row["config"], labels)}
            for row in rows(Recommender.objects.filter(project=project))
        ],
        # Snapshots name rows by id, which a restore changes: TestCodebookRoundTrip compares them.
        "codebook_versions": [
            {name: value for name, value in row.items() if name != "snapshot"}
            for row in rows(CodebookVersion.objects.filter(project=project))
        ],
        "audit": rows(AuditEvent.objects.filter(project=project).exclude(action="project.restore")),
    }


def named_labels(config, labels):
    """A recommender's config with the labels a lexicon's entries name by name, as restored ones are compared."""
    if "entries" in config:
        return {**config, "entries": [{**entry, "label": labels[entry["label"]]} for entry in config["entries"]]}
    return config


def read_archive(data):
    return [json.loads(line) for line in gzip.decompress(data).splitlines()]


def write_archive(records):
    return gzip.compress("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records).encode())


class TestCodebookRoundTrip:
    def test_restored_snapshots_name_the_restored_labels_and_the_history_goes_on(self, rich_project, tmp_path):
        assert rich_project.codebook_version > 1  # the rich project's label and relation type changes made versions
        path = backup(rich_project, tmp_path / "codebook.gz")
        wipe_database()

        restore(path)

        restored = Project.objects.get()
        latest = CodebookVersion.objects.get(project=restored, number=restored.codebook_version)
        assert latest.snapshot == codebook_snapshot(restored.pk)
        owner = Member.objects.filter(project=restored, role="owner").select_related("user", "project").first()
        label = Label.objects.filter(project=restored).order_by("id").first()
        old_name = label.name

        label_update(member=owner, label=label, name="Renamed after restore")

        new = CodebookVersion.objects.get(project=restored, number=restored.codebook_version + 1)
        assert new.changes == [f'label "{old_name}" renamed to "Renamed after restore"']

    def test_the_version_whose_guidelines_each_member_last_read_comes_back(self, rich_project, annotator, tmp_path):
        guidelines_read(member=access_project(annotator, rich_project.pk), number=1)
        edited = Member.objects.get(project=rich_project, role="owner").guidelines_read_version
        assert edited > 1  # the owner wrote the rich project's guidelines, so has read them
        path = backup(rich_project, tmp_path / "read.gz")
        wipe_database()

        restore(path)

        read = dict(Member.objects.values_list("user__username", "guidelines_read_version"))
        assert read == {"owner": edited, "annotator": 1, "annotator2": None, "reviewer": None}


class TestRoundTrip:
    def test_a_restored_project_has_every_row_field_by_field(self, rich_project, tmp_path):
        before = project_rows(rich_project)
        path = backup(rich_project, tmp_path / "ceasefire.slant.jsonl.gz")
        wipe_database()

        output = restore(path)

        restored = Project.objects.get()
        assert project_rows(restored) == before
        assert restored.pk != rich_project.pk
        assert f"Restored project 'Ceasefire coverage' as id {restored.pk}" in output
        assert "2 suggestions, 3 decisions on suggestions" in output
        assert "2 documents, 4 assignments, 7 spans, 3 gold spans, 3 relation types, 2 relations, 1 gold relations" in (
            output
        )

    def test_the_rows_checked_are_the_rich_ones(self, rich_project):
        rows = project_rows(rich_project)

        assert {row["review_status"] for row in rows["spans"]} == {"pending", "accepted", "rejected"}
        assert {row["active"] for row in rows["labels"]} == {True, False}
        assert any(row["source_span"] for row in rows["gold"])
        assert any(row["created_at"] == LONG_AGO for row in rows["spans"])
        assert AssignmentStatus.SUBMITTED in {row["status"] for row in rows["assignments"]}
        assert {"span.delete", "span.review", "gold.create", "label.update"} <= {row["action"] for row in rows["audit"]}
        assert any(row["object_id"] is None for row in rows["audit"])  # the deleted span's events
        assert {row["review_status"] for row in rows["relations"]} == {"pending", "accepted"}
        assert {row["origin"] for row in rows["spans"]} == {None, "lexicon:cues"}
        assert {row["score"] for row in rows["suggestions"]} == {0.25, None}
        assert {(row["decision"], row["span"] is not None) for row in rows["suggestion_decisions"]} == {
            ("accepted", True),
            ("rejected", False),
        }
        assert {row["active"] for row in rows["relation_types"]} == {True, False}
        assert any(row["label"] == "Scare quotes" for row in rows["relation_type_labels"])
        assert [row["source_relation"] is not None for row in rows["gold_relations"]] == [True]
        assert {"relation.delete", "relation.review", "gold_relation.create", "relation_type.update"} <= {
            row["action"] for row in rows["audit"]
        }

    def test_missing_users_are_created_without_a_usable_password_and_named(self, rich_project, tmp_path):
        path = backup(rich_project, tmp_path / "backup.gz")
        wipe_database()

        output = restore(path)

        users = User.objects.order_by("username")
        assert [user.username for user in users] == ["annotator", "annotator2", "owner", "reviewer"]
        assert not any(user.has_usable_password() for user in users)
        assert not any(user.is_staff or user.is_superuser for user in users)
        assert "Created users with no usable password: owner, reviewer, annotator, annotator2." in output
        assert "changepassword" in output
        created = AuditEvent.objects.filter(action="user.create", project=None)
        assert sorted(created.values_list("after__username", flat=True)) == [user.username for user in users]

    def test_existing_users_are_linked_not_copied(self, rich_project, tmp_path):
        path = backup(rich_project, tmp_path / "backup.gz")
        users_before = User.objects.count()

        output = restore(path, "--name", "Ceasefire copy")

        copy = Project.objects.get(name="Ceasefire copy")
        assert User.objects.count() == users_before
        assert "Linked to existing users" in output and "Created users" not in output
        original, restored = project_rows(rich_project), project_rows(copy)
        assert restored["project"][0].pop("name") == "Ceasefire copy"
        assert original["project"][0].pop("name") == "Ceasefire coverage"
        assert restored == original
        assert set(Member.objects.filter(project=copy).values_list("user_id", flat=True)) == set(
            Member.objects.filter(project=rich_project).values_list("user_id", flat=True)
        )

    def test_a_restore_is_itself_audited(self, rich_project, tmp_path):
        path = backup(rich_project, tmp_path / "ceasefire.gz")

        restore(path, "--name", "Copy")

        copy = Project.objects.get(name="Copy")
        event = AuditEvent.objects.get(project=copy, action="project.restore")
        assert (event.object_type, event.object_id, event.actor) == ("project", copy.pk, None)
        assert event.after["archive"] == "ceasefire.gz"
        assert event.after["source_project"] == rich_project.pk
        assert (event.after["counts"]["span"], event.after["counts"]["relation"]) == (7, 2)

    def test_restoring_twice_without_a_new_name_is_refused_and_stores_nothing(self, rich_project, tmp_path):
        path = backup(rich_project, tmp_path / "backup.gz")
        wipe_database()
        restore(path)
        stored = counts()

        with pytest.raises(CommandError, match="A project named 'Ceasefire coverage' already exists.*--name"):
            restore(path)

        assert counts() == stored

    def test_a_name_given_that_is_taken_is_refused_too(self, rich_project, tmp_path):
        path = backup(rich_project, tmp_path / "backup.gz")
        stored = counts()

        with pytest.raises(CommandError, match="'Ceasefire coverage' already exists"):
            restore(path, "--name", "Ceasefire coverage")

        assert counts() == stored


class TestArchive:
    def test_the_archive_is_gzipd_json_lines_from_a_manifest_to_an_end_record(self, rich_project, tmp_path):
        records = read_archive(backup(rich_project, tmp_path / "backup.gz").read_bytes())

        manifest, *rows, end = records
        assert (manifest["format"], manifest["version"]) == (FORMAT, VERSION)
        assert manifest["source"]["project"] == rich_project.pk
        kinds = [row["kind"] for row in rows]
        order = [
            "user",
            "project",
            "label",
            "member",
            "document",
            "assignment",
            "span",
            "gold",
            "relation_type",
            "relation_type_label",
            "relation",
            "gold_relation",
            "question",
            "answer",
            "gold_answer",
            "suggestion",
            "suggestion_decision",
            "recommender",
            "codebook_version",
            "audit",
        ]
        assert kinds == sorted(kinds, key=order.index)
        assert end == {"kind": "end", "counts": {kind: kinds.count(kind) for kind in order}}
        [span] = [row for row in rows if row["kind"] == "span" and row["review_status"] == "rejected"]
        assert (span["annotator"], span["reviewed_by"], span["review_comment"]) == (
            "annotator2",
            "reviewer",
            "Too wide.",
        )

    def test_a_backup_reads_pages_so_its_queries_do_not_grow_with_the_rows(self, project, owner):
        member = access_project(owner, project.pk)
        document_create_many(member=member, items=[{"text": "One short article."}])
        with CaptureQueriesContext(connection) as one:
            b"".join(project_backup(project=project))
        document_create_many(member=member, items=[{"text": f"Article {n}."} for n in range(150)])

        with CaptureQueriesContext(connection) as many:
            archive = b"".join(project_backup(project=project))

        assert len(many) == len(one)
        assert read_archive(archive)[-1]["counts"]["document"] == 151

    def test_a_large_archive_is_streamed_in_chunks(self, project, owner):
        letters = random.Random(6).choices(string.ascii_letters + " ", k=400_000)
        text = "".join(letters)
        items = [{"text": text[n : n + 4000]} for n in range(0, len(text), 4000)]
        document_create_many(member=access_project(owner, project.pk), items=items)

        chunks = list(project_backup(project=project))

        assert len(chunks) > 3
        assert max(len(chunk) for chunk in chunks) < 200_000
        assert read_archive(b"".join(chunks))[-1]["counts"]["document"] == 100

    def test_a_missing_project_is_named_and_no_file_is_left(self, db, tmp_path):
        with pytest.raises(CommandError, match="No single project"):
            call_command("backup_project", "Nowhere", str(tmp_path / "out.gz"))

        assert list(tmp_path.iterdir()) == []


def drop_last_span_end(records):
    [*_, last_span] = [record for record in records if record.get("kind") == "span"]
    del last_span["end"]
    return records


def point_a_span_elsewhere(records):
    next(record for record in records if record.get("kind") == "span")["document"] = 999_999
    return records


def reverse_a_span(records):
    span = next(record for record in records if record.get("kind") == "span")
    span["start"], span["end"] = span["end"], span["start"]
    return records


def put_a_label_before_the_project(records):
    kinds = [record.get("kind") for record in records]
    project, label = kinds.index("project"), kinds.index("label")
    records[project], records[label] = records[label], records[project]
    return records


def set_first(kind, key, value):
    def change(records):
        next(record for record in records if record.get("kind", "manifest") == kind)[key] = value
        return records

    return change


FOREIGN_JSONL = write_archive([{"text": "An exported document.", "spans": []}])

BROKEN = {
    "not gzip": (lambda archive: b"PK\x03\x04 a zip, not a backup", "not gzip-compressed"),
    "a foreign gzip file": (lambda archive: FOREIGN_JSONL, "not a 'slant-backup' manifest"),
    "empty": (lambda archive: b"", "The archive is empty"),
    "a newer version": (
        set_first("manifest", "version", VERSION + 1),
        f"version {VERSION + 1} of the Slant backup format",
    ),
    "a record without a key": (drop_last_span_end, r"the span record lacks end"),
    "a span of a document it lacks": (point_a_span_elsewhere, "document 999999, which the archive does not hold"),
    "a value of the wrong type": (set_first("span", "start", "twelve"), "the span's start 'twelve' is not valid"),
    "a row the database refuses": (reverse_a_span, "the span records break a rule of the database"),
    "an unknown user": (set_first("span", "annotator", "mallory"), "'mallory' is not among the archive's users"),
    "an id that is not a number": (set_first("document", "id", "talks-1"), "the document's id 'talks-1' is not an"),
    "a kind it does not know": (lambda records: [*records[:-1], {"kind": "comment"}, records[-1]], "unknown record"),
    "no end record": (lambda records: records[:-1], "stops before its end record"),
    "a count that does not add up": (lambda records: [*records[:-2], records[-1]], "records are missing"),
    "records out of order": (put_a_label_before_the_project, "a project record after the label records"),
    "truncated": (lambda archive: archive[: len(archive) // 2], "truncated"),
    "a damaged byte": (lambda archive: archive[:200] + bytes([archive[200] ^ 0xFF]) + archive[201:], "damaged"),
}
BYTES_CHANGES = {"not gzip", "a foreign gzip file", "empty", "truncated", "a damaged byte"}


@pytest.mark.django_db
class TestBrokenArchives:
    @pytest.mark.parametrize("case", list(BROKEN))
    def test_a_broken_archive_is_named_and_stores_nothing(self, case, rich_archive, tmp_path):
        archive = rich_archive
        change, message = BROKEN[case]
        broken = change(archive) if case in BYTES_CHANGES else write_archive(change(read_archive(archive)))
        path = tmp_path / "broken.gz"
        path.write_bytes(broken)
        wipe_database()

        with pytest.raises(CommandError, match="Nothing was restored") as refused:
            restore(path)

        assert message in str(refused.value)
        assert set(counts().values()) == {0}

    def test_a_damaged_byte_anywhere_after_the_header_is_named_as_damage(self, rich_archive, tmp_path):
        archive = rich_archive
        wipe_database()
        positions = range(10, len(archive), max(1, len(archive) // 25))  # after gzip's 10-byte header
        messages = {}
        for at in positions:
            path = tmp_path / f"broken-{at}.gz"
            path.write_bytes(archive[:at] + bytes([archive[at] ^ 0xFF]) + archive[at + 1 :])
            with pytest.raises(CommandError, match="Nothing was restored") as refused:
                restore(path)
            messages[at] = str(refused.value)

        assert [at for at, message in messages.items() if "damaged" not in message] == []
        assert set(counts().values()) == {0}

    def test_an_archive_of_version_1_which_had_no_relations_restores(self, rich_archive, tmp_path):
        manifest, *rows, end = read_archive(rich_archive)
        newer = SINCE_VERSION_2 | SINCE_VERSION_3 | SINCE_VERSION_4 | SINCE_VERSION_5
        kept = [row for row in rows if row["kind"] not in newer]
        counts = {kind: n for kind, n in end["counts"].items() if kind not in newer}
        path = tmp_path / "version-1.gz"
        path.write_bytes(write_archive([{**manifest, "version": 1}, *kept, {"kind": "end", "counts": counts}]))
        wipe_database()

        restore(path)

        assert (Project.objects.count(), Span.objects.count(), Relation.objects.count()) == (1, 7, 0)

    def test_an_archive_of_version_2_which_had_no_questions_restores(self, rich_archive, tmp_path):
        manifest, *rows, end = read_archive(rich_archive)
        newer = SINCE_VERSION_3 | SINCE_VERSION_4 | SINCE_VERSION_5
        kept = [row for row in rows if row["kind"] not in newer]
        counts = {kind: n for kind, n in end["counts"].items() if kind not in newer}
        path = tmp_path / "version-2.gz"
        path.write_bytes(write_archive([{**manifest, "version": 2}, *kept, {"kind": "end", "counts": counts}]))
        wipe_database()

        restore(path)

        assert (Relation.objects.count(), Question.objects.count(), Answer.objects.count()) == (2, 0, 0)

    def test_an_archive_of_version_3_which_had_no_suggestions_nor_origins_restores(self, rich_archive, tmp_path):
        manifest, *rows, end = read_archive(rich_archive)
        kept = [
            {key: value for key, value in row.items() if not (row["kind"] == "span" and key == "origin")}
            for row in rows
            if row["kind"] not in SINCE_VERSION_4 | SINCE_VERSION_5
        ]
        counts = {kind: n for kind, n in end["counts"].items() if kind not in SINCE_VERSION_4 | SINCE_VERSION_5}
        path = tmp_path / "version-3.gz"
        path.write_bytes(write_archive([{**manifest, "version": 3}, *kept, {"kind": "end", "counts": counts}]))
        wipe_database()

        restore(path)

        assert (Span.objects.count(), Suggestion.objects.count(), SuggestionDecision.objects.count()) == (7, 0, 0)
        assert set(Span.objects.values_list("origin", flat=True)) == {None}

    def test_an_archive_of_version_4_restores_without_recommenders_at_codebook_version_1(self, rich_archive, tmp_path):
        manifest, *rows, end = read_archive(rich_archive)
        kept = [
            {key: value for key, value in row.items() if key != "codebook_version"}
            for row in rows
            if row["kind"] not in SINCE_VERSION_5
        ]
        counts = {kind: n for kind, n in end["counts"].items() if kind not in SINCE_VERSION_5}
        path = tmp_path / "version-4.gz"
        path.write_bytes(write_archive([{**manifest, "version": 4}, *kept, {"kind": "end", "counts": counts}]))
        wipe_database()

        restore(path)

        assert (Suggestion.objects.count(), Recommender.objects.count()) == (2, 0)
        restored = Project.objects.get()
        [first] = CodebookVersion.objects.filter(project=restored)
        assert (restored.codebook_version, first.number, first.snapshot) == (1, 1, codebook_snapshot(restored.pk))
        assert set(Span.objects.values_list("codebook_version", flat=True)) == {1}

    def test_an_archive_of_version_5_restores_every_member_as_never_having_read_the_guidelines(
        self, rich_archive, tmp_path
    ):
        manifest, *rows, end = read_archive(rich_archive)
        assert any(row["kind"] == "member" and row["guidelines_read_version"] for row in rows)
        kept = [
            {key: value for key, value in row.items() if (row["kind"], key) != ("member", "guidelines_read_version")}
            for row in rows
        ]
        path = tmp_path / "version-5.gz"
        path.write_bytes(write_archive([{**manifest, "version": 5}, *kept, end]))
        wipe_database()

        restore(path)

        assert Member.objects.count() == 4
        assert set(Member.objects.values_list("guidelines_read_version", flat=True)) == {None}

    def test_a_recommender_naming_a_label_the_archive_lacks_is_refused(self, rich_archive, tmp_path):
        manifest, *rows, end = read_archive(rich_archive)
        [lexicon] = [row for row in rows if row["kind"] == "recommender" and row["recommender_kind"] == "lexicon"]
        lexicon["config"]["entries"][0]["label"] = 999999
        path = tmp_path / "foreign-label.gz"
        path.write_bytes(write_archive([manifest, *rows, end]))
        wipe_database()

        with pytest.raises(CommandError, match="names label 999999, not archived"):
            restore(path)

        assert not Project.objects.exists()

    def test_the_untouched_archive_restores(self, rich_archive, tmp_path):
        path = tmp_path / "good.gz"
        path.write_bytes(rich_archive)
        wipe_database()

        restore(path)

        assert Project.objects.count() == 1

    def test_a_file_that_is_not_there_is_named(self, db, tmp_path):
        with pytest.raises(CommandError, match="Cannot read"):
            restore(tmp_path / "absent.gz")


@pytest.mark.django_db(transaction=True)
class TestSnapshot:
    def test_rows_written_while_a_backup_is_read_are_not_in_it(self, owner, annotator):
        project = project_create(user=owner, name="Busy desk", label_preset="framing")
        member = access_project(owner, project.pk)
        member_add(actor=member, username=annotator.username, role=Role.ANNOTATOR)
        letters = "".join(random.Random(7).choices(string.ascii_letters + " ", k=300_000))
        items = [{"text": letters[n : n + 3000], "external_id": f"d-{n}"} for n in range(0, 300_000, 3000)]
        document_create_many(member=member, items=items)
        chunks = project_backup(project=project)
        first = next(chunks)  # the snapshot is taken: the documents are being read

        def write_elsewhere():
            try:
                late = [{"text": ARTICLE, "external_id": "late"}]
                document_create_many(member=access_project(owner, project.pk), items=late)
            finally:
                connections.close_all()

        writer = threading.Thread(target=write_elsewhere)
        writer.start()
        writer.join(timeout=30)
        archive = first + b"".join(chunks)

        assert Document.objects.filter(project=project, external_id="late").exists()
        records = read_archive(archive)
        assert not any(record.get("external_id") == "late" for record in records)
        assert records[-1]["counts"]["document"] == 100
        assert records[-1]["counts"]["assignment"] == 100
        restored = project_restore(stream=BytesIO(archive), name="Busy desk, restored")
        assert restored.counts["document"] == 100
