"""The import service: records from any codec are validated whole, then stored in one transaction, or not at all."""

import datetime
import hashlib
import io
import json
import zipfile

import pytest
from django.db import IntegrityError, connection, connections

from annotator import formats
from annotator.access import access_project
from annotator.formats import FormatError, unzip
from annotator.models import Assignment, AssignmentStatus, AuditEvent, Document, Label, Span
from annotator.services import imports
from annotator.services.documents import document_create_many, document_update
from annotator.text import text_hash

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
            "relations": {"stored": 0, "skipped": 0},
            "answers": {"stored": 0, "skipped": 0},
            "labels_created": [],
            "relation_types_created": [],
            "lines_skipped": 0,
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

        with pytest.raises(FormatError, match="label 'Whataboutism' is not in this project") as refused:
            document_import(member=owner_member, records=records)
        assert [problem.line for problem in refused.value.problems] == [1]
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

        with pytest.raises(FormatError) as refused:
            document_import(member=owner_member, records=[record(spans=[span(0, 6, label.name)])])

        assert [(p.line, p.message) for p in refused.value.problems] == [
            (1, "label 'Source attribution' is deactivated")
        ]

    def test_each_imported_document_and_the_import_itself_are_audited(self, owner_member, project):
        document_import(member=owner_member, records=[record(), record(external_id="a-2")], source_name="wire.jsonl")

        actions = list(AuditEvent.objects.filter(project=project).values_list("action", flat=True).order_by("id"))
        assert actions[-3:] == ["document.import", "document.import", "project.import"]
        last = AuditEvent.objects.filter(project=project).latest("id")
        assert last.after["file"] == "wire.jsonl"
        assert last.after["documents"] == {"stored": 2, "skipped": 0}


class TestBulkWrites:
    """The import writes rows past the ORM (COPY on PostgreSQL, multi-row INSERTs on SQLite): every field must
    come back as the file gave it, on the document it belongs to."""

    def test_every_field_comes_back_as_the_file_gave_it(self, owner_member, project, annotator):
        metadata = {"desk": "Kyiv", "tags": ["ceasefire", "Олена", None, 3, 1.5, True], "raw": "tab\there \\ back"}
        text = "Crowds 👨‍👩‍👧 gathered.\tPeskov\\said the talks would resume."
        fields = {
            "text": text,
            "external_id": "wire-7",
            "title": "Talks « resume »",
            "source": "Wire Two",
            "url": "https://example.org/a?b=1",
            "author": "Zoë Ferrant",
            "language": "uk",
            "published_at": "2025-03-05T08:30:00+02:00",
            "metadata": metadata,
        }
        peskov = text.index("Peskov")
        spans = [
            span(peskov, peskov + 6, annotator="annotator", note="a note\\with a backslash\nand a line",
                 review_status="accepted"),
            span(0, 6, "Editorial appeal"),
        ]  # fmt: skip

        document_import(member=owner_member, records=[{**fields, "spans": spans}])

        stored = Document.objects.get(project=project, external_id="wire-7")
        assert {name: getattr(stored, name) for name in fields if name != "published_at"} == {
            name: value for name, value in fields.items() if name != "published_at"
        }
        assert stored.published_at == datetime.datetime(2025, 3, 5, 6, 30, tzinfo=datetime.UTC)
        assert stored.created_at is not None
        assert stored.updated_at == stored.created_at
        rows = list(
            Span.objects.filter(document=stored)
            .order_by("start")
            .values_list("start", "end", "label__name", "annotator__username", "note", "review_status", "version")
        )
        assert rows == [
            (0, 6, "Editorial appeal", "owner", "", "pending", 1),
            (peskov, peskov + 6, "Source attribution", "annotator", spans[0]["note"], "accepted", 1),
        ]

    def test_spans_land_on_their_own_documents_across_insert_batches(self, owner_member, project):
        # More documents than one multi-row INSERT holds on SQLite (32,766 parameters / 12 columns).
        records = [{"external_id": f"n-{i}", "text": f"Story {i} ends.", "spans": [span(6, 6 + len(str(i)))]}
                   for i in range(3000)]  # fmt: skip

        document_import(member=owner_member, records=records)

        rows = Span.objects.filter(document__project=project).values_list("document__external_id", "document__text",
                                                                           "start", "end")  # fmt: skip
        assert len(rows) == 3000
        assert all(f"n-{text[6:end]}" == external_id for external_id, text, _, end in rows)

    def test_each_document_import_event_names_its_document(self, owner_member, project):
        document_import(member=owner_member, records=[record(spans=[span(0, 6)]), record(external_id="a-2")])

        events = AuditEvent.objects.filter(project=project, action="document.import")
        by_document = {event.object_id: event.after for event in events}
        documents = dict(Document.objects.filter(project=project).values_list("id", "external_id"))
        assert {documents[pk]: after for pk, after in by_document.items()} == {
            "a-1": {"external_id": "a-1", "title": "Talks", "spans": 1, "relations": 0, "answers": 0},
            "a-2": {"external_id": "a-2", "title": "Talks", "spans": 0, "relations": 0, "answers": 0},
        }
        assert {event.actor_username for event in events} == {"owner"}
        assert all(event.object_type == "document" and event.before is None for event in events)

    def test_unassigned_documents_go_to_the_least_loaded_annotators(self, owner, project, annotator, annotator2):
        project.annotators_per_document = 1
        project.save(update_fields=["annotators_per_document"])
        owner_member = access_project(owner, project.pk)
        records = [
            record(spans=[span(0, 6, annotator="annotator")]),
            record(external_id="a-2"),
            record(external_id="a-3"),
        ]

        document_import(member=owner_member, records=records)

        assignments = dict(
            Assignment.objects.filter(document__project=project).values_list("document__external_id", "user__username")
        )
        # a-1 is annotator's (submitted, they drew on it); a-2 goes to annotator2, who had none; a-3 to the tie's
        # lower user id.
        assert assignments == {"a-1": "annotator", "a-2": "annotator2", "a-3": "annotator"}

    def test_a_unique_rule_the_database_enforces_fails_the_whole_import(self, owner_member, project):
        # A concurrent import stores "a-1" after this one read what the project had: the database's rule refuses.
        def records():
            yield from formats.records("jsonl", json.dumps(record(external_id="a-0")).encode())
            Document.objects.create(
                project=project, external_id="a-1", text="Stored meanwhile.", text_hash=text_hash("Stored meanwhile.")
            )
            yield from formats.records("jsonl", json.dumps(record(text="Two.")).encode())

        before = (Document.objects.count(), AuditEvent.objects.count())

        with pytest.raises(IntegrityError):
            imports.document_import(member=owner_member, records=records())

        assert (Document.objects.count(), AuditEvent.objects.count()) == before


def counts_of_everything():
    return tuple(model.objects.count() for model in (Document, Span, Assignment, Label, AuditEvent))


class TestStreamedImport:
    """A file is read and written a batch of documents at a time, in one transaction: the result must be the one
    a single batch gives, and a problem anywhere, even after batches were written, must leave nothing behind."""

    @pytest.fixture(autouse=True)
    def small_batches(self, monkeypatch):
        monkeypatch.setattr(imports, "BATCH_DOCUMENTS", 2)

    def test_documents_of_several_batches_keep_file_order_and_share_the_load_as_one(
        self, owner, project, annotator, annotator2
    ):
        project.annotators_per_document = 1
        project.save(update_fields=["annotators_per_document"])
        records = [record(external_id=f"n-{i}", text=f"Story {i}.") for i in range(7)]

        counts = document_import(member=access_project(owner, project.pk), records=records)

        assert counts["documents"] == {"stored": 7, "skipped": 0}
        stored = list(Document.objects.filter(project=project).order_by("id").values_list("external_id", flat=True))
        assert stored == [f"n-{i}" for i in range(7)]
        assigned = list(
            Assignment.objects.filter(document__project=project)
            .order_by("document_id")
            .values_list("user__username", flat=True)
        )
        # Least loaded first, ties to the lower user id, counted across batches: they alternate.
        assert assigned == ["annotator", "annotator2"] * 3 + ["annotator"]
        assert AuditEvent.objects.filter(project=project, action="document.import").count() == 7

    def test_labels_are_created_in_the_order_the_file_first_names_them(self, owner_member, project):
        records = [
            record(external_id="a", spans=[span(0, 6, "Whataboutism")]),
            record(external_id="b"),
            record(external_id="c", spans=[span(0, 6, "Strawman"), span(1, 6, "Whataboutism")]),
        ]

        counts = document_import(member=owner_member, records=records, create_labels=True)

        assert counts["labels_created"] == ["Whataboutism", "Strawman"]
        created = Label.objects.filter(project=project, name__in=counts["labels_created"])
        assert len({label.color for label in created}) == 2
        assert stored_spans(project) == [
            (0, 6, "Strawman", "owner"),
            (0, 6, "Whataboutism", "owner"),
            (1, 6, "Whataboutism", "owner"),
        ]

    def test_a_problem_after_batches_were_written_stores_nothing(self, owner_member, project):
        before = counts_of_everything()
        records = [record(external_id=f"n-{i}", spans=[span(0, 6)]) for i in range(5)]
        records.append(record(external_id="late", spans=[span(0, 6, "Whataboutism")]))

        with pytest.raises(FormatError) as refused:
            document_import(member=owner_member, records=records)

        assert [(p.line, p.message) for p in refused.value.problems] == [
            (6, "label 'Whataboutism' is not in this project (import with create_labels=true)")
        ]
        assert counts_of_everything() == before

    def test_the_files_problems_and_the_projects_come_in_one_answer(self, owner_member, project):
        before = counts_of_everything()
        lines = [
            json.dumps(record(external_id="a", spans=[span(0, 6, "Whataboutism")])),
            json.dumps(record(external_id="b")),
            json.dumps(record(external_id="c")),
            '{"text": "cut off',
            json.dumps(record(external_id="d", spans=[span(0, 600)])),
        ]

        with pytest.raises(FormatError) as refused:
            imports.import_file(member=owner_member, data="\n".join(lines).encode(), format="jsonl")

        problems = [(problem.line, problem.message) for problem in refused.value.problems]
        assert [line for line, _ in problems] == [1, 4, 5]
        assert "Whataboutism" in problems[0][1]
        assert "not valid JSON" in problems[1][1]
        assert "past the end of the text" in problems[2][1]
        assert counts_of_everything() == before

    def test_a_file_the_codec_refuses_after_its_last_record_stores_nothing(self, owner_member, project):
        before = counts_of_everything()
        lines = [json.dumps(record(external_id=f"n-{i}", spans=[span(0, 6)])) for i in range(5)]
        lines.append(json.dumps(record(external_id="n-0")))

        with pytest.raises(FormatError) as refused:
            imports.import_file(member=owner_member, data="\n".join(lines).encode(), format="jsonl")

        assert [(p.line, p.message) for p in refused.value.problems] == [
            (6, "external_id 'n-0' repeats the one on line 1")
        ]
        assert counts_of_everything() == before


def zipped(*members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


def import_txt(member, data, filename="ferry.txt"):
    return imports.import_file(member=member, data=data, format="txt", filename=filename)


def stored_documents(project):
    return sorted(Document.objects.filter(project=project).values_list("title", "text"))


FERRY = "Ferry vote delayed\n\nThe harbour council put off its vote."


class TestTextHash:
    def test_every_way_a_document_gets_its_text_stores_the_texts_hash(self, owner_member, project):
        [created] = document_create_many(member=owner_member, items=[{"text": "By the API.\r\n"}])
        import_txt(owner_member, b"By a file.")
        document_import(member=owner_member, records=[record(external_id="j-1", text="By JSON Lines.")])
        [edited] = document_create_many(member=owner_member, items=[{"text": "Before."}])
        document_update(member=owner_member, document=edited, text="After.\r\n")

        hashes = dict(Document.objects.filter(project=project).values_list("text", "text_hash"))

        assert created.text == "By the API.\n"
        assert hashes == {text: hashlib.sha256(text.encode()).hexdigest() for text in hashes}
        assert set(hashes) == {"By the API.\n", "By a file.", "By JSON Lines.", "After.\n"}

    def test_a_document_without_its_hash_is_refused_by_the_database(self, project):
        with pytest.raises(IntegrityError):
            Document.objects.create(project=project, text="Forgotten.")


class TestPlainTextImport:
    def test_a_headline_becomes_the_title_and_the_rest_the_text(self, owner_member, project):
        import_txt(owner_member, FERRY.encode())

        assert stored_documents(project) == [("Ferry vote delayed", "The harbour council put off its vote.")]

    def test_importing_the_same_file_twice_skips_it_the_second_time(self, owner_member, project):
        first = import_txt(owner_member, FERRY.encode())
        second = import_txt(owner_member, FERRY.encode(), filename="copy of ferry.txt")

        assert first["documents"] == {"stored": 1, "skipped": 0}
        assert second["documents"] == {"stored": 0, "skipped": 1}
        assert Document.objects.filter(project=project).count() == 1

    def test_a_text_the_api_stored_is_skipped_too(self, owner_member, project):
        document_create_many(member=owner_member, items=[{"text": "The harbour council put off its vote."}])

        counts = import_txt(owner_member, FERRY.encode())

        assert counts["documents"] == {"stored": 0, "skipped": 1}

    def test_texts_repeated_in_one_zip_are_stored_once(self, owner_member, project):
        data = zipped(("a.txt", "Same words."), ("b/a copy.txt", "Same words."), ("c.txt", "Other words."))

        counts = import_txt(owner_member, data, filename="batch.zip")

        assert counts["documents"] == {"stored": 2, "skipped": 1}
        assert stored_documents(project) == [("a", "Same words."), ("c", "Other words.")]

    def test_a_record_with_an_external_id_is_matched_by_its_id_not_its_text(self, owner_member, project):
        import_txt(owner_member, b"Shared text.")

        counts = document_import(member=owner_member, records=[record(external_id="x-1", text="Shared text.")])

        assert counts["documents"] == {"stored": 1, "skipped": 0}

    def test_a_text_edited_since_is_no_longer_a_match(self, owner_member, project):
        import_txt(owner_member, b"First draft.")
        document_update(member=owner_member, document=Document.objects.get(project=project), text="Second draft.")

        again = import_txt(owner_member, b"First draft.")
        edited = import_txt(owner_member, b"Second draft.")

        assert (again["documents"]["stored"], edited["documents"]["skipped"]) == (1, 1)

    def test_the_same_text_in_another_project_is_not_a_match(self, outsider, owner_member, other_project):
        import_txt(owner_member, b"Shared text.")

        counts = import_txt(access_project(outsider, other_project.pk), b"Shared text.")

        assert counts["documents"] == {"stored": 1, "skipped": 0}

    def test_matches_across_insert_batches_of_one_file_are_skipped(self, owner_member, project, monkeypatch):
        monkeypatch.setattr(imports, "BATCH_DOCUMENTS", 2)
        import_txt(owner_member, b"Stored before.")
        texts = ["One.", "Stored before.", "Two.", "Three.", "One."]

        counts = document_import(member=owner_member, records=[{"text": text} for text in texts])

        assert counts["documents"] == {"stored": 3, "skipped": 2}
        assert Document.objects.filter(project=project).count() == 4


@pytest.mark.django_db(transaction=True)
class TestForeignKeysCheckedABatchAtATime:
    """PostgreSQL checks a batch's foreign keys while the next batch is read (imports._Import._check_written): a
    check that fails still fails the import, with the error the commit gave, and leaves nothing behind."""

    @pytest.fixture(autouse=True)
    def small_batches(self, monkeypatch):
        monkeypatch.setattr(imports, "BATCH_DOCUMENTS", 2)

    def test_a_label_deleted_by_someone_else_mid_import_is_an_integrity_error(self, owner_member, project):
        if connection.vendor != "postgresql":
            pytest.skip("SQLite has one writer at a time: nobody deletes a label while an import writes")
        label = Label.objects.create(project=project, name="Deleted midway", color="#123456")
        lines = [record(external_id=f"n-{i}", spans=[span(0, 6, "Deleted midway" if i >= 2 else "Editorial appeal")])
                 for i in range(4)]  # fmt: skip
        data = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode()

        def deleting_the_label_after_the_first_batch():
            for number, item in enumerate(formats.records("jsonl", data)):
                if number == 2:  # the first batch is written, its checks under way
                    other = connections.create_connection("default")
                    with other.cursor() as cursor:
                        cursor.execute("DELETE FROM annotator_label WHERE id = %s", [label.pk])
                    other.close()
                yield item

        before = counts_of_everything()
        with pytest.raises(IntegrityError):
            imports.document_import(member=owner_member, records=deleting_the_label_after_the_first_batch())

        assert counts_of_everything()[:3] == before[:3]  # documents, spans, assignments
        assert not Label.objects.filter(pk=label.pk).exists()
        assert Document.objects.filter(project=project).count() == 0


class TestStatisticsAfterALargeImport:
    """PostgreSQL's statistics of the tables a large import wrote are refreshed once it commits (imports'
    _analyze_imported): planned on the old ones, reading a grown project went quadratic."""

    def run(self, owner_member, documents, django_capture_on_commit_callbacks):
        lines = [record(external_id=f"s-{i}", spans=[span(0, 6), span(7, 12)]) for i in range(documents)]
        data = "\n".join(json.dumps(item, ensure_ascii=False) for item in lines).encode()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            imports.document_import(member=owner_member, records=formats.records("jsonl", data))
        return [callback for callback in callbacks if callback is imports._analyze_imported]

    def test_a_large_import_has_them_refreshed_on_postgresql(
        self, owner_member, project, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(imports, "ANALYZE_AFTER_DOCUMENTS", 3)

        analyzed = self.run(owner_member, 3, django_capture_on_commit_callbacks)

        if connection.vendor != "postgresql":
            assert analyzed == []  # SQLite keeps no statistics unless asked (ANALYZE): nothing to refresh
            return
        assert len(analyzed) == 1
        with connection.cursor() as cursor:
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [Span._meta.db_table])
            assert cursor.fetchone()[0] == Span.objects.count() >= 6

    def test_a_smaller_one_leaves_them_to_autovacuum(
        self, owner_member, project, monkeypatch, django_capture_on_commit_callbacks
    ):
        monkeypatch.setattr(imports, "ANALYZE_AFTER_DOCUMENTS", 3)

        assert self.run(owner_member, 2, django_capture_on_commit_callbacks) == []


class TestZipImport:
    def test_each_txt_member_becomes_a_document(self, owner_member, project):
        data = zipped(("ferry.txt", FERRY), ("2024/strike.txt", "Dockers walk out. Talks failed."))

        counts = import_txt(owner_member, data, filename="articles.zip")

        assert counts["documents"] == {"stored": 2, "skipped": 0}
        assert stored_documents(project) == [
            ("Ferry vote delayed", "The harbour council put off its vote."),
            ("strike", "Dockers walk out. Talks failed."),
        ]

    def test_a_bad_member_stores_nothing_and_is_named(self, owner_member, project):
        before = counts_of_everything()
        data = zipped(("good.txt", "Fine."), ("bad.txt", b"\xff\xfe\x00"))

        with pytest.raises(FormatError) as refused:
            import_txt(owner_member, data, filename="articles.zip")

        assert [p.message.split(":")[0] for p in refused.value.problems] == ["bad.txt"]
        assert counts_of_everything() == before

    def test_a_zip_bomb_stores_nothing(self, owner_member, project, monkeypatch):
        monkeypatch.setattr(unzip, "MAX_UNPACKED_BYTES", 1024 * 1024)
        before = counts_of_everything()
        data = zipped(("fine.txt", "Fine."), ("bomb.txt", "a" * (2 * 1024 * 1024)))
        assert len(data) < 10_000

        with pytest.raises(FormatError) as refused:
            import_txt(owner_member, data, filename="articles.zip")

        assert "unpack to more than 1 MB" in refused.value.problems[0].message
        assert counts_of_everything() == before

    def test_a_corrupt_zip_stores_nothing(self, owner_member, project):
        before = counts_of_everything()
        data = zipped(("a.txt", "Text. " * 200))

        with pytest.raises(FormatError):
            import_txt(owner_member, data[:-30], filename="articles.zip")

        assert counts_of_everything() == before
