"""manage.py restore_project FILE [--name N]: a project back from a backup_project archive, all or nothing."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.services.backups import InvalidArchive, project_restore

NOUNS = {
    "label": "labels",
    "member": "members",
    "document": "documents",
    "assignment": "assignments",
    "span": "spans",
    "gold": "gold spans",
    "relation_type": "relation types",
    "relation": "relations",
    "gold_relation": "gold relations",
    "question": "questions",
    "answer": "answers",
    "gold_answer": "gold answers",
    "suggestion": "suggestions",
    "suggestion_decision": "decisions on suggestions",
    "recommender": "recommenders",
    "audit": "audit events",
}


class Command(BaseCommand):
    help = (
        "Restore a project from an archive written by `manage.py backup_project`, in one transaction: a bad "
        "archive stores nothing. Users are matched by username; missing ones are created with no usable password."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the archive ('-': standard input)")
        parser.add_argument("--name", help="the restored project's name (default: its name in the archive, which "
                            "must not be taken)")  # fmt: skip

    def handle(self, *args, file, name, **options):
        if file == "-":
            restored = self._restore(sys.stdin.buffer, name, "")
        else:
            try:
                stream = Path(file).open("rb")  # noqa: SIM115 (closed by the with below)
            except OSError as error:
                raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
            with stream:
                restored = self._restore(stream, name, Path(file).name)
        counts = restored.counts
        rows = ", ".join(f"{counts[kind]} {noun}" for kind, noun in NOUNS.items())
        lines = [f"Restored project {restored.project.name!r} as id {restored.project.pk}: {rows}."]
        if restored.users_linked:
            lines.append(f"Linked to existing users: {', '.join(restored.users_linked)}.")
        if restored.users_created:
            lines.append(
                f"Created users with no usable password: {', '.join(restored.users_created)}. Set one with "
                "`manage.py changepassword USERNAME` before they sign in."
            )
        self.stdout.write("\n".join(lines))

    def _restore(self, stream, name, source_name):
        try:
            return project_restore(stream=stream, name=name, source_name=source_name)
        except InvalidArchive as error:
            raise CommandError(f"Nothing was restored. {error.detail}") from None
