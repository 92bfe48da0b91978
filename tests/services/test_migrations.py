"""Data migrations: the rows stored before a migration come out of it as the services would have written them."""

import hashlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

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
