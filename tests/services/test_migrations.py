"""Data migrations: the rows stored before a migration come out of it as the services would have written them; and
`migrate` makes the shared cache's table."""

import hashlib

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from annotator.services.codebook import codebook_snapshot

BEFORE_HASHES = [("annotator", "0003_span_unique_per_annotator")]
WITH_HASHES = [("annotator", "0005_document_text_hash_rules")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_the_latest(transactional_db):
    """Leave the database as the other tests expect it: every migration applied."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.usefixtures("back_to_the_latest")
class TestTextHashMigration:
    def test_documents_stored_before_get_the_hash_of_their_text(self):
        old = migrate(BEFORE_HASHES)
        project = old.get_model("annotator", "Project").objects.create(name="Older")
        texts = ["Stored long ago.", "Café 👍🏽 with a second line.\n", "Stored long ago."]
        Document = old.get_model("annotator", "Document")
        Document.objects.bulk_create(Document(project=project, text=text) for text in texts)

        new = migrate(WITH_HASHES)

        rows = new.get_model("annotator", "Document").objects.filter(project_id=project.pk).order_by("pk")
        assert [row.text_hash for row in rows] == [hashlib.sha256(text.encode()).hexdigest() for text in texts]


BEFORE_CODEBOOK = [("annotator", "0009_jobs_recommenders")]
WITH_CODEBOOK = [("annotator", "0010_codebook_versions")]


@pytest.mark.usefixtures("back_to_the_latest")
class TestCodebookVersionsMigration:
    def test_a_project_stored_before_gets_version_1_of_its_codebook_as_the_service_shapes_it(self):
        old = migrate(BEFORE_CODEBOOK)
        project = old.get_model("annotator", "Project").objects.create(name="Older", guidelines="Mark quotes.")
        Label = old.get_model("annotator", "Label")
        cue = Label.objects.create(project=project, name="Cue", key="c", color="#ffd966")
        content = Label.objects.create(project=project, name="Content", active=False)
        kind = old.get_model("annotator", "RelationType").objects.create(project=project, name="says")
        old.get_model("annotator", "RelationTypeLabel").objects.create(type=kind, end="from", label=cue)
        old.get_model("annotator", "Question").objects.create(
            project=project, name="Tone", kind="single", options=["pro", "anti"]
        )

        new = migrate(WITH_CODEBOOK)

        [version] = new.get_model("annotator", "CodebookVersion").objects.filter(project_id=project.pk)
        assert (version.number, version.changes, version.created_by_id) == (1, [], None)
        assert new.get_model("annotator", "Project").objects.get(pk=project.pk).codebook_version == 1
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        assert version.snapshot == codebook_snapshot(project.pk)
        assert [label["name"] for label in version.snapshot["labels"]] == ["Cue", "Content"]
        assert version.snapshot["relation_types"][0]["from_labels"] == [cue.pk]
        assert content.pk in [label["id"] for label in version.snapshot["labels"]]


@pytest.mark.django_db(transaction=True)
class TestCacheTable:
    def test_migrate_makes_the_shared_cache_table_on_a_database_without_it(self):
        table = settings.CACHES["default"]["LOCATION"]
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
        try:
            assert table not in connection.introspection.table_names()

            call_command("migrate", verbosity=0)

            assert table in connection.introspection.table_names()
            cache.set("made-by-migrate", "yes", 60)
            assert cache.get("made-by-migrate") == "yes"
        finally:
            call_command("createcachetable", verbosity=0)
            cache.delete("made-by-migrate")
