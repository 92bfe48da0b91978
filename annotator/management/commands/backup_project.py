"""manage.py backup_project PROJECT FILE: a full archive of one project (see annotator/services/backups.py)."""

import os
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from annotator.management.commands._project import project_and_member
from annotator.services.backups import project_backup


class Command(BaseCommand):
    help = (
        "Write a full-fidelity archive of one project (documents, labels, members, assignments, spans with their "
        "versions and reviews, gold, audit trail; users by username) to FILE, a gzip'd JSON Lines file. "
        "Restore it with `manage.py restore_project FILE`."
    )

    def add_arguments(self, parser):
        parser.add_argument("project", help="the project's id or exact name")
        parser.add_argument("file", help="the archive to write, e.g. project.slant.jsonl.gz ('-': standard output)")

    def handle(self, *args, project, file, **options):
        project = project_and_member(project).project
        if file == "-":
            for chunk in project_backup(project=project):
                sys.stdout.buffer.write(chunk)
            return
        path = Path(file)
        # Written beside the target, then moved over it: a failed backup never replaces a good one.
        partial = path.with_name(path.name + ".partial")
        try:
            with partial.open("wb") as target:
                for chunk in project_backup(project=project):
                    target.write(chunk)
            os.replace(partial, path)
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Cannot write {path}: {error.strerror}.") from None
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        size = path.stat().st_size
        self.stdout.write(f"Backed up project {project.name!r} (id {project.pk}) to {path} ({size} bytes).")
