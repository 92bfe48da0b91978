import hashlib

from django.db import migrations, models

PAGE = 500


def fill_text_hashes(apps, schema_editor):
    """Hash the text of every document stored before the field existed, a page at a time (texts are long)."""
    Document = apps.get_model("annotator", "Document")
    last = 0
    while True:
        page = list(Document.objects.filter(pk__gt=last).order_by("pk").only("pk", "text")[:PAGE])
        if not page:
            return
        for document in page:
            # The same digest as annotator.text.text_hash, written out: a migration must not change with the code.
            document.text_hash = hashlib.sha256(document.text.encode("utf-8", "surrogatepass")).hexdigest()
        Document.objects.bulk_update(page, ["text_hash"])
        last = page[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("annotator", "0003_span_unique_per_annotator"),
    ]

    operations = [
        migrations.AddField(
            model_name="document",
            name="text_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(fill_text_hashes, migrations.RunPython.noop, elidable=True),
    ]
