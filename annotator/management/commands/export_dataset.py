"""manage.py export_dataset PROJECT --format F: the same stream the API's GET …/export/ sends."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator import formats
from annotator.errors import InvalidInput
from annotator.management.commands._project import project_and_member
from annotator.selectors.exports import LAYERS, dataset_export


class Command(BaseCommand):
    help = "Export a project's documents and spans as a dataset file (streamed: memory stays flat)."

    def add_arguments(self, parser):
        parser.add_argument("project", help="the project's id or exact name")
        parser.add_argument("--format", default="jsonl", choices=[fmt.name for fmt in formats.EXPORT_FORMATS])
        parser.add_argument("--layer", default="annotations", choices=LAYERS)
        parser.add_argument("--annotator", help="keep one annotator's spans (a username)")
        parser.add_argument("--zip", action="store_true", help="a zip with the file and a dataset card README.md")
        parser.add_argument("--offsets", choices=formats.OFFSET_UNITS, help="the unit the export's offsets count in, "
                            "where the format has a choice (doccano: utf16, the default, or codepoints for data "
                            "written through its API)")  # fmt: skip
        parser.add_argument("--table", default="spans", help="csv only: spans (a span a row, the default), relations"
                            " (a relation a row) or answers (an answer a row)")  # fmt: skip
        parser.add_argument("--output", "-o", type=Path, help="the file to write (default: standard output)")

    def handle(self, *args, project, format, layer, annotator, zip, output, offsets, table, **options):
        member = project_and_member(project)
        try:
            export = dataset_export(
                project=member.project, format=format, layer=layer, annotator=annotator, as_zip=zip, offsets=offsets,
                table=table,
            )
        except InvalidInput as error:
            raise CommandError(str(error.detail)) from None
        target = output.open("wb") if output else sys.stdout.buffer
        try:
            for chunk in export.chunks:
                target.write(chunk)
        finally:
            if output:
                target.close()
        if output:
            self.stderr.write(f"wrote {output}")
