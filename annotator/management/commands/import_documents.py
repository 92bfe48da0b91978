"""manage.py import_documents PROJECT FILE --format F: the same import the API's POST …/imports/ makes."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator import formats
from annotator.errors import InvalidInput
from annotator.management.commands._project import project_and_member
from annotator.permissions import OWNERS, REVIEWERS
from annotator.services.imports import import_file
from annotator.services.suggestion_imports import DEFAULT_SOURCE, suggestion_import_file


class Command(BaseCommand):
    help = (
        "Import documents (and their spans) from a file into a project, all or nothing; --layer suggestions: the"
        " file's predictions as suggestions on the project's documents."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="the project's id or exact name")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", required=True, choices=[fmt.name for fmt in formats.IMPORT_FORMATS])
        parser.add_argument("--create-labels", action="store_true", help="create the labels the file names")
        parser.add_argument("--offsets", choices=formats.OFFSET_UNITS, help="the unit the file's offsets count in, "
                            "where the format has a choice (doccano: utf16, the default, or codepoints for data "
                            "written through its API)")  # fmt: skip
        parser.add_argument("--user", help="the owner who imports (spans with no annotator are theirs; a reviewer "
                            "may import suggestions); default: the project's first owner")  # fmt: skip
        parser.add_argument("--layer", choices=("annotations", "suggestions"), default="annotations",
                            help="suggestions: the file's spans (jsonl, with score and source) or predictions "
                            "(labelstudio) become suggestions on the documents it names")  # fmt: skip
        parser.add_argument("--source", help=f"--layer suggestions: the source of a prediction whose file names "
                            f"none (default {DEFAULT_SOURCE})")  # fmt: skip

    def handle(self, *args, project, file, format, create_labels, user, offsets, layer, source, **options):
        member = project_and_member(project, user)
        if layer == "suggestions" and member.role not in REVIEWERS:
            raise CommandError(f"{member.user.username} is neither an owner nor a reviewer of this project.")
        if layer != "suggestions" and member.role not in OWNERS:
            raise CommandError(f"{member.user.username} is not an owner of this project.")
        if layer == "suggestions" and create_labels:
            raise CommandError("Suggestions take the project's labels; add missing ones first.")
        if source is not None and layer != "suggestions":
            raise CommandError("--source goes with --layer suggestions.")
        if source is not None and not 0 < len(source) <= 100:
            raise CommandError("--source is 1 to 100 characters.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            if layer == "suggestions":
                counts = suggestion_import_file(
                    member=member, data=data, format=format, filename=file.name, source=source, offsets=offsets
                )
            else:
                counts = import_file(
                    member=member, data=data, format=format, filename=file.name, create_labels=create_labels,
                    offsets=offsets,
                )
        except InvalidInput as error:
            detail = json.dumps(error.detail, indent=2, ensure_ascii=False)
            raise CommandError(f"Nothing was imported.\n{detail}") from None
        self.stdout.write(json.dumps(counts, ensure_ascii=False))
