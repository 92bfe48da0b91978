# The index and the rule come after the hashes are filled, in a migration of their own: PostgreSQL refuses to
# alter a table in the transaction that updated its rows while deferred foreign-key checks are pending.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0004_document_text_hash"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="document",
            index=models.Index(fields=["project", "text_hash"], name="document_text_hash"),
        ),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.CheckConstraint(
                condition=models.Q(("text_hash", ""), _negated=True), name="document_text_hash_set"
            ),
        ),
    ]
