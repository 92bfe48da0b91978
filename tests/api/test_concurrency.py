"""Fifty clients create, edit, delete and review spans of one project at once, for a bounded time, against a live
server; afterwards every answer they got is reconciled with the database and the audit trail.

Runs on SQLite (the file test database: WAL, IMMEDIATE transactions, writers queued on a file lock) and on
PostgreSQL alike (DATABASE_URL). The live server is one process with a thread per request, so the database sees
as many connections writing at once as there are clients.
"""

import logging
import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.db.models.signals import pre_delete
from rest_framework.authtoken.models import Token

from annotator.access import access_project
from annotator.errors import NotFound
from annotator.models import AuditEvent, Role, Span
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.reviews import span_review
from annotator.services.spans import span_delete, span_update
from tests.api.live import Api
from tests.conftest import url
from tests.factories import ARTICLE

pytestmark = pytest.mark.django_db(transaction=True)

LOAD_SECONDS = 12
ANNOTATORS = 8  # users; 44 clients share them, as an analyst with several tabs open would
ANNOTATOR_CLIENTS = 44
REVIEWERS = 2
REVIEWER_CLIENTS = 6
DOCUMENTS = 4
STALE_ON_PURPOSE = 0.15

# What each kind of request may be answered. 404: a review of a span its annotator deleted meanwhile.
ALLOWED = {
    "create": {201},
    "update": {200, 409},
    "delete": {204, 409},
    "review": {200, 404, 409},
    "list": {200},
}
ACCEPTED = {200, 201, 204}


@dataclass
class Call:
    """One request a client made and the answer it got."""

    username: str
    action: str
    status: int
    body: object
    span: int | None = None
    version: int | None = None  # the version the client sent
    marker: str | None = None  # the note or comment it wrote, unique to this request


@dataclass
class Client:
    api: Api
    username: str
    token: str
    seed: int
    project: object
    documents: list
    labels: list
    calls: list = field(default_factory=list)

    def __post_init__(self):
        self.rng = random.Random(self.seed)  # noqa: S311 (a reproducible mix, not a secret)
        self.count = 0

    def marker(self):
        self.count += 1
        return f"{self.username}#{self.seed}.{self.count}"

    def send(self, action, method, path, body=None, headers=None, **call):
        """One request on a connection of its own; the answer is recorded."""
        status, answer = self.api.call(method, path, self.token, body, headers)
        self.calls.append(Call(self.username, action, status, answer, **call))
        return status, answer

    def spans_url(self, document_id, span_id=None):
        return url(self.project, "documents", document_id, "spans", *([span_id] if span_id else []))

    def sent_version(self, known):
        """The version the client knows, or on purpose one that is already stale."""
        if known > 1 and self.rng.random() < STALE_ON_PURPOSE:
            return known - 1
        return known


class AnnotatorClient(Client):
    """Draws spans, then edits and deletes its own, sending the version it last saw."""

    def __post_init__(self):
        super().__post_init__()
        self.spans = {}  # id -> (document id, known version)

    def step(self):
        roll = self.rng.random()
        if not self.spans or roll < 0.35:
            self.create()
        elif roll < 0.8:
            self.update()
        else:
            self.delete()

    def create(self):
        document = self.rng.choice(self.documents)
        start = self.rng.randrange(len(ARTICLE) - 1)
        end = self.rng.randint(start + 1, min(start + 30, len(ARTICLE)))
        marker = self.marker()
        body = {"label": self.rng.choice(self.labels), "start": start, "end": end, "note": marker}
        if self.rng.random() < 0.3:
            body["text"] = ARTICLE[start:end]
        status, answer = self.send("create", "POST", self.spans_url(document), body, marker=marker)
        if status == 201:
            self.spans[answer["id"]] = (document, answer["version"])

    def update(self):
        span_id = self.rng.choice(sorted(self.spans))
        document, known = self.spans[span_id]
        version, marker = self.sent_version(known), self.marker()
        body = {"note": marker}
        if self.rng.random() < 0.3:
            body["label"] = self.rng.choice(self.labels)
        if self.rng.random() < 0.2:
            start = self.rng.randrange(len(ARTICLE) - 1)
            body.update(start=start, end=start + 1)
        headers = None
        if self.rng.random() < 0.5:
            body["version"] = version
        else:
            headers = {"If-Match": f'"{version}"'}
        status, answer = self.send(
            "update", "PATCH", self.spans_url(document, span_id), body, headers,
            span=span_id, version=version, marker=marker,
        )  # fmt: skip
        if status in (200, 409):
            self.spans[span_id] = (document, answer["version"])

    def delete(self):
        span_id = self.rng.choice(sorted(self.spans))
        document, known = self.spans[span_id]
        version = self.sent_version(known)
        status, answer = self.send(
            "delete", "DELETE", self.spans_url(document, span_id), headers={"If-Match": f'"{version}"'},
            span=span_id, version=version,
        )  # fmt: skip
        if status == 204:
            del self.spans[span_id]
        elif status == 409:
            self.spans[span_id] = (document, answer["version"])


class ReviewerClient(Client):
    """Lists a document's spans and accepts or rejects one of the newest, which annotators are still editing."""

    def step(self):
        document = self.rng.choice(self.documents)
        status, page = self.send("list", "GET", self.spans_url(document) + "?page_size=1000")
        if status != 200 or not page["results"]:
            return
        span = self.rng.choice(sorted(page["results"], key=lambda row: row["id"])[-20:])
        version, marker = self.sent_version(span["version"]), self.marker()
        body = {"decision": self.rng.choice(["accepted", "rejected"]), "comment": marker, "version": version}
        self.send(
            "review", "POST", self.spans_url(document, span["id"]) + "review/", body,
            span=span["id"], version=version, marker=marker,
        )  # fmt: skip


def run_for(clients, seconds):
    """Run every client's steps in its own thread, all released together, until `seconds` have passed."""
    barrier = threading.Barrier(len(clients))
    errors = []

    def run(client):
        try:
            barrier.wait(timeout=60)
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                client.step()
        except BaseException as exc:  # handed to the main thread
            barrier.abort()
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    assert not any(thread.is_alive() for thread in threads), "a client hung"
    if errors:
        raise errors[0]


@pytest.fixture
def crowd(live_server, api, make_user):
    """A blind framing project whose documents are assigned to every one of its annotators, and its clients."""
    # Django's test server listens with a backlog of 10 (WSGIServer.request_queue_size): fifty clients connecting
    # at once overflow it and the kernel resets some connections before the server sees them. Listening again
    # raises the backlog of the open socket (gunicorn's is 2048).
    live_server.thread.httpd.socket.listen(4 * (ANNOTATOR_CLIENTS + REVIEWER_CLIENTS))
    # On SQLite, an in-memory database would be one connection shared by every server thread: no race at all.
    assert not (connection.vendor == "sqlite" and connection.is_in_memory_db())
    owner = make_user("owner")
    project = project_create(
        user=owner, name="Ceasefire coverage", label_preset="framing", annotators_per_document=ANNOTATORS
    )
    actor = access_project(owner, project.pk)
    annotators = [make_user(f"annotator{i}") for i in range(1, ANNOTATORS + 1)]
    reviewers = [make_user(f"reviewer{i}") for i in range(1, REVIEWERS + 1)]
    for user in annotators:
        member_add(actor=actor, username=user.username, role=Role.ANNOTATOR)
    for user in reviewers:
        member_add(actor=actor, username=user.username, role=Role.REVIEWER)
    documents = document_create_many(
        member=actor, items=[{"text": ARTICLE, "title": f"Talks, day {i}"} for i in range(DOCUMENTS)]
    )
    document_ids = [document.pk for document in documents]
    labels = list(project.labels.values_list("id", flat=True))

    def client(cls, user, seed):
        token = Token.objects.get_or_create(user=user)[0].key
        return cls(
            api=api, username=user.username, token=token, seed=seed, project=project, documents=document_ids,
            labels=labels,
        )  # fmt: skip

    clients = [client(AnnotatorClient, annotators[i % ANNOTATORS], i) for i in range(ANNOTATOR_CLIENTS)]
    clients += [client(ReviewerClient, reviewers[i % REVIEWERS], 1000 + i) for i in range(REVIEWER_CLIENTS)]
    return project, clients


def state(body):
    """The fields of a span that writes change, as the API shows them."""
    return tuple(body[name] for name in ("label", "start", "end", "note", "review_status", "review_comment"))


def stored_state(span):
    return (span.label_id, span.start, span.end, span.note, span.review_status, span.review_comment)


def audit_key(event):
    """(action, span id, version it made or removed, actor, marker): what one audit event says happened."""
    if event.action == "span.delete":
        return event.action, event.object_id, event.before["version"], event.actor_username, None
    marker = event.after["review_comment"] if event.action == "span.review" else event.after["note"]
    return event.action, event.object_id, event.after["version"], event.actor_username, marker


def call_key(call):
    """The audit key an accepted call must have left."""
    if call.action == "create":
        return "span.create", call.body["id"], 1, call.username, call.marker
    if call.action == "delete":
        return "span.delete", call.span, call.version, call.username, None
    return f"span.{call.action}", call.span, call.body["version"], call.username, call.marker


class TestFiftyClients:
    def test_every_accepted_write_is_stored_and_audited_once_and_every_refused_one_changed_nothing(self, crowd, caplog):
        project, clients = crowd
        caplog.set_level(logging.WARNING)
        began = time.monotonic()

        run_for(clients, LOAD_SECONDS)

        elapsed = time.monotonic() - began
        calls = [call for client in clients for call in client.calls]
        writes = [call for call in calls if call.action != "list"]
        accepted = [call for call in writes if call.status in ACCEPTED]
        refused = [call for call in writes if call.status not in ACCEPTED]
        tally = Counter((call.action, call.status) for call in calls)
        print(f"\n{len(calls)} requests in {elapsed:.1f} s: {dict(sorted(tally.items()))}")

        # Every answer is one this kind of request may get: no 5xx, no 400 for a valid request.
        unexpected = [call for call in calls if call.status not in ALLOWED[call.action]]
        assert not unexpected, unexpected[:5]
        assert tally["create", 201] and tally["update", 200] and tally["delete", 204] and tally["review", 200]
        assert tally["update", 409] and tally["review", 409], "the load raced no writes"
        server_errors = [r for r in caplog.records if r.levelno >= logging.ERROR or "locked" in r.getMessage()]
        assert not server_errors, [r.getMessage() for r in server_errors[:5]]

        # The spans left are exactly those created and not deleted.
        created = {call.body["id"] for call in accepted if call.action == "create"}
        deleted = [call.span for call in accepted if call.action == "delete"]
        assert len(deleted) == len(set(deleted))
        assert set(deleted) <= created
        stored = {span.pk: span for span in Span.objects.filter(document__project=project)}
        assert set(stored) == created - set(deleted)

        # Each accepted write made the next version of its span, and no two made the same one.
        states = {}
        for call in accepted:
            if call.action == "delete":
                continue
            key = (call.body["id"], call.body["version"])
            assert key not in states, f"two writes made version {key[1]} of span {key[0]}"
            states[key] = state(call.body)
            if call.action != "create":
                assert call.body["version"] == call.version + 1
                assert call.body["note" if call.action == "update" else "review_comment"] == call.marker
        last = Counter(span_id for span_id, _ in states)
        for span_id in created:
            assert {version for s, version in states if s == span_id} == set(range(1, last[span_id] + 1))
        # A surviving span stands as its last accepted write left it; a deleted one was deleted at its last version.
        for span_id, span in stored.items():
            assert span.version == last[span_id]
            assert stored_state(span) == states[span_id, span.version]
        for call in accepted:
            if call.action == "delete":
                assert call.version == last[call.span]

        # The audit trail holds one event per accepted write, and nothing else.
        events = AuditEvent.objects.filter(project=project, object_type="span")
        assert Counter(audit_key(event) for event in events) == Counter(call_key(call) for call in accepted)

        # A 409 carries the span as it then stood; a 404 concerns a span deleted meanwhile; neither left a trace.
        for call in refused:
            if call.status == 409:
                assert call.body["detail"]
                assert call.body["id"] == call.span
                assert call.body["version"] > call.version
                assert state(call.body) == states[call.span, call.body["version"]]
            else:
                assert call.span in deleted
        written = {call.marker for call in accepted} - {None}
        left = {note for span in stored.values() for note in (span.note, span.review_comment)} - {""}
        assert left <= written
        traced = {audit_key(event)[4] for event in events} - {None}
        assert traced == written
        assert traced.isdisjoint(call.marker for call in refused)


class TestDeletedMeanwhile:
    def test_a_stale_review_of_a_span_deleted_since_it_was_read_is_not_found(self, span, annotator, reviewer):
        span_update(member=access_project(annotator, span.document.project_id), span=span, note="edited")
        read = Span.objects.get(pk=span.pk)  # at version 2, so that version 1 is known stale
        span_delete(member=access_project(annotator, span.document.project_id), span=span)

        with pytest.raises(NotFound):
            span_review(
                member=access_project(reviewer, span.document.project_id), span=read, decision="accepted",
                expected_version=1,
            )  # fmt: skip

        assert not AuditEvent.objects.filter(action="span.review").exists()

    def test_a_review_committed_while_a_delete_of_its_span_runs_is_not_deleted_unseen(self, span, annotator, reviewer):
        """The review is sent between the delete's read of the span and its DELETE (pre_delete runs there)."""
        project_id = span.document.project_id
        outcome = {}

        def review():
            try:
                current = Span.objects.get(pk=span.pk)
                outcome["review"] = span_review(
                    member=access_project(reviewer, project_id), span=current, decision="accepted"
                )
            except NotFound as exc:
                outcome["review"] = exc
            finally:
                connection.close()

        def review_meanwhile(sender, instance, **kwargs):
            outcome["thread"] = threading.Thread(target=review)
            outcome["thread"].start()
            outcome["thread"].join(timeout=1)  # it waits for the delete when the delete holds the row

        pre_delete.connect(review_meanwhile, sender=Span)
        try:
            span_delete(member=access_project(annotator, project_id), span=span, expected_version=1)
        finally:
            pre_delete.disconnect(review_meanwhile, sender=Span)
        outcome["thread"].join(timeout=30)

        assert isinstance(outcome["review"], NotFound), "the review was accepted, then deleted unseen"
        assert not Span.objects.filter(pk=span.pk).exists()
        assert AuditEvent.objects.filter(action="span.delete", object_id=span.pk).count() == 1
        assert not AuditEvent.objects.filter(action="span.review").exists()
