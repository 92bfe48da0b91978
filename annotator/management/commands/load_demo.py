"""Load the demo project of annotator/demo_data.py through the same services the API calls."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils.dateparse import parse_datetime

from annotator.access import access_project
from annotator.choices import Role
from annotator.demo_data import (
    ARTICLES,
    DEMO_ANSWER_REVIEWS,
    DEMO_ANSWERS,
    DEMO_GOLD,
    DEMO_GOLD_ANSWERS,
    DEMO_GOLD_RELATIONS,
    DEMO_PROJECT,
    DEMO_QUESTIONS,
    DEMO_RELATION_REVIEWS,
    DEMO_RELATION_TYPES,
    DEMO_RELATIONS,
    DEMO_REVIEWER,
    DEMO_REVIEWS,
    DEMO_SPANS,
    DEMO_SUGGESTIONS,
    DEMO_USERS,
)
from annotator.errors import InvalidInput
from annotator.models import Member, Project
from annotator.services.answers import answer_create
from annotator.services.assignments import document_submit
from annotator.services.documents import document_create_many
from annotator.services.gold import gold_create
from annotator.services.gold_answers import gold_answer_create
from annotator.services.gold_relations import gold_relation_create
from annotator.services.members import member_add
from annotator.services.projects import project_create, project_delete
from annotator.services.questions import question_create
from annotator.services.relation_types import relation_type_create
from annotator.services.relations import relation_create
from annotator.services.reviews import answer_review, relation_review, span_review
from annotator.services.spans import span_create
from annotator.services.suggestions import suggestion_create_many
from annotator.services.users import user_create

LOGIN_URL = "http://127.0.0.1:8000/accounts/login/"
PASSWORD_VARIABLE = "SLANT_DEMO_PASSWORD"  # noqa: S105 (the name of a variable)
USERNAMES = [username for username, _ in DEMO_USERS]


def demo_projects():
    return Project.objects.filter(name=DEMO_PROJECT["name"])


def demo_users():
    return get_user_model().objects.filter(username__in=USERNAMES)


class Command(BaseCommand):
    help = (
        "Load the demo project (invented articles, four demo users, spans and relations by two annotators, a few "
        "reviews, gold spans and a gold relation, open suggestions). Passwords are random and printed once, or all "
        f"set to ${PASSWORD_VARIABLE} when it is set."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--once", action="store_true", help="Do nothing if the demo is already loaded.")
        group.add_argument(
            "--reset",
            action="store_true",
            help=f"Delete the demo project and the demo users ({', '.join(USERNAMES)}) first, then load afresh.",
        )

    def handle(self, *args, once, reset, **options):
        if not reset and (demo_projects().exists() or demo_users().exists()):
            if once:
                self.stdout.write(
                    "The demo is already loaded; nothing to do (`manage.py load_demo --reset` rebuilds it)."
                )
                return
            raise CommandError(
                f"The demo project {DEMO_PROJECT['name']!r} or its users ({', '.join(USERNAMES)}) already exist; "
                "run `python manage.py load_demo --reset` to delete them and load the demo afresh."
            )
        fixed = os.environ.get(PASSWORD_VARIABLE) or None
        passwords = {username: fixed or secrets.token_urlsafe(12) for username in USERNAMES}
        with transaction.atomic():
            if reset:
                self._delete_demo()
            project, counts = self._load(passwords)
        self._report(project, counts, passwords, fixed=fixed is not None)

    def _delete_demo(self):
        for project in demo_projects():
            owner = Member.objects.filter(project=project, role=Role.OWNER).order_by("id").first()
            project_delete(member=access_project(owner.user, project.pk))
        try:
            demo_users().delete()
        except ProtectedError:
            raise CommandError(
                "A demo user has spans in another project; delete those spans or rename the user first."
            ) from None

    def _load(self, passwords):
        users = {}
        for username in USERNAMES:
            try:
                users[username] = user_create(actor=None, username=username, password=passwords[username])
            except InvalidInput as exc:
                problems = " ".join(msg for messages in exc.detail.values() for msg in messages)
                hint = f" Pick another ${PASSWORD_VARIABLE}." if "password" in exc.detail else ""
                raise CommandError(f"Cannot create the demo user {username!r}: {problems}{hint}") from None
        roles = dict(DEMO_USERS)
        [owner_name] = [username for username, role in DEMO_USERS if role == Role.OWNER]
        project = project_create(
            user=users[owner_name], label_preset="framing", annotators_per_document=2, **DEMO_PROJECT
        )
        members = {owner_name: access_project(users[owner_name], project.pk)}
        for username in USERNAMES:
            if username != owner_name:
                member_add(actor=members[owner_name], username=username, role=roles[username])
                members[username] = access_project(users[username], project.pk)
        documents = document_create_many(
            member=members[owner_name],
            items=[{**article, "published_at": parse_datetime(article["published_at"])} for article in ARTICLES],
        )
        for spec in DEMO_RELATION_TYPES:
            names = dict(project.labels.values_list("name", "id"))
            ends = {end: [names[name] for name in spec[end]] for end in ("from_labels", "to_labels")}
            relation_type_create(member=members[owner_name], **{**spec, **ends})
        for spec in DEMO_QUESTIONS:
            question_create(member=members[owner_name], **spec)
        by_id = {document.external_id: document for document in documents}
        spans, relations, answers = self._annotate(project, members, by_id)
        self._review(project, members[DEMO_REVIEWER], by_id, spans, relations, answers)
        suggested = self._suggest(project, members[owner_name], by_id)
        counts = {"spans": len(spans), "relations": len(relations), "answers": len(answers), "suggestions": suggested}
        return project, counts

    def _suggest(self, project, owner, by_id):
        """Post DEMO_SUGGESTIONS as a recommender would (each at its phrase's first occurrence), undecided by
        anyone, so the annotate page shows open suggestions; return how many."""
        labels = dict(project.labels.values_list("name", "id"))
        stored = 0
        for external_id, rows in DEMO_SUGGESTIONS.items():
            document = by_id[external_id]
            items = []
            for phrase, label, score, source in rows:
                start = document.text.index(phrase)
                span = {"label": labels[label], "start": start, "end": start + len(phrase)}
                items.append({**span, "score": score, "source": source})
            stored += len(suggestion_create_many(member=owner, document=document, items=items))
        return stored

    def _annotate(self, project, members, by_id):
        """Draw every span of DEMO_SPANS at its phrase's first occurrence and every relation of DEMO_RELATIONS
        between them, give every answer of DEMO_ANSWERS; submit the articles both annotated."""
        labels = dict(project.labels.values_list("name", "id"))
        spans = {}
        for external_id, per_annotator in DEMO_SPANS.items():
            document = by_id[external_id]
            for username, phrases in per_annotator.items():
                for phrase, label in phrases:
                    start = document.text.index(phrase)
                    spans[(external_id, username, phrase)] = span_create(
                        member=members[username],
                        document=document,
                        label=labels[label],
                        start=start,
                        end=start + len(phrase),
                        text=phrase,
                    )
        types = dict(project.relation_types.values_list("name", "id"))
        relations = {}
        for external_id, per_annotator in DEMO_RELATIONS.items():
            for username, links in per_annotator.items():
                for source, target, name in links:
                    relations[(external_id, username, source, target)] = relation_create(
                        member=members[username],
                        document=by_id[external_id],
                        type=types[name],
                        from_span=spans[(external_id, username, source)].pk,
                        to_span=spans[(external_id, username, target)].pk,
                    )
        questions = dict(project.questions.values_list("name", "id"))
        answers = {}
        for external_id, per_annotator in DEMO_ANSWERS.items():
            for username, given in per_annotator.items():
                for name, value in given.items():
                    answers[(external_id, username, name)] = answer_create(
                        member=members[username], document=by_id[external_id], question=questions[name], value=value
                    )
        annotators = {username for username, role in DEMO_USERS if role == Role.ANNOTATOR}
        for external_id, per_annotator in DEMO_SPANS.items():
            if set(per_annotator) == annotators:
                for username in sorted(annotators):
                    document_submit(member=members[username], document=by_id[external_id])
        return spans, relations, answers

    def _review(self, project, reviewer, by_id, spans, relations, answers):
        """Accept and reject a few spans and relations and fill a gold layer, so the review screens show every
        state."""
        for external_id, username, phrase, decision, comment in DEMO_REVIEWS:
            span_review(
                member=reviewer, span=spans[(external_id, username, phrase)], decision=decision, comment=comment
            )
        labels = dict(project.labels.values_list("name", "id"))
        for external_id, phrase, label, username in DEMO_GOLD:
            document = by_id[external_id]
            if username is None:
                start = document.text.index(phrase)
                gold_create(
                    member=reviewer, document=document, label=labels[label], start=start, end=start + len(phrase)
                )
            else:
                gold_create(member=reviewer, document=document, from_span=spans[(external_id, username, phrase)].pk)
        for external_id, username, source, target, decision, comment in DEMO_RELATION_REVIEWS:
            relation_review(
                member=reviewer,
                relation=relations[(external_id, username, source, target)],
                decision=decision,
                comment=comment,
            )
        for external_id, username, source, target in DEMO_GOLD_RELATIONS:
            relation = relations[(external_id, username, source, target)]
            gold_relation_create(member=reviewer, document=by_id[external_id], from_relation=relation.pk)
        for external_id, username, name, decision, comment in DEMO_ANSWER_REVIEWS:
            answer_review(member=reviewer, answer=answers[(external_id, username, name)], decision=decision,
                          comment=comment)  # fmt: skip
        for external_id, username, name in DEMO_GOLD_ANSWERS:
            answer = answers[(external_id, username, name)]
            gold_answer_create(member=reviewer, document=by_id[external_id], from_answer=answer.pk)

    def _report(self, project, counts, passwords, *, fixed):
        roles = dict(DEMO_USERS)
        width = max(len("username"), *map(len, USERNAMES))
        lines = [
            f"Loaded the demo project {project.name!r} (id {project.pk}): {len(ARTICLES)} articles, "
            f"{counts['spans']} spans, {counts['relations']} relations, {counts['answers']} answers, "
            f"{counts['suggestions']} suggestions, "
            f"{len(USERNAMES)} users.",
            f"Sign in at {LOGIN_URL} as:",
            "",
            f"  {'username':<{width}}  {'role':<9}  password",
        ]
        for username in USERNAMES:
            password = f"(${PASSWORD_VARIABLE})" if fixed else passwords[username]
            lines.append(f"  {username:<{width}}  {roles[username]:<9}  {password}")
        lines.append("")
        if not fixed:
            lines.append(
                f"These passwords are shown only this once. Set {PASSWORD_VARIABLE} to choose one, or run "
                "`python manage.py load_demo --reset` to start over with new ones."
            )
        self.stdout.write("\n".join(lines))
