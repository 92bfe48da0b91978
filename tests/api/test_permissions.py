"""Who may call what: every endpoint of annotator.api.urls × role, as SPEC.md's REST table says; ids of other
projects or other documents under this project's path (BOLA); span ownership and blind visibility."""

import copy
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, resolve

from annotator.access import access_project
from annotator.api import urls
from annotator.api.base import ScopedView
from annotator.models import (
    Assignment,
    Project,
    Span,
)
from annotator.services.assignments import assignment_delete
from annotator.services.documents import document_create_many
from annotator.services.gold import gold_create
from annotator.services.members import member_add
from annotator.services.projects import project_update
from annotator.services.spans import span_create
from tests.arrange import (
    answer,
    answer_gold,
    make_job,
    make_question,
    make_recommender,
    make_relation_type,
    relate,
    relate_gold,
    suggest,
)
from tests.conftest import (
    app_models,
    make_document,
    make_other_project,
    make_project,
    shared_by_class,
    url,
)
from tests.factories import ARTICLE, PASSWORD, UserFactory

API = "/api/v1/"
NOT_FOUND = {"detail": "Not found."}
MISSING_ID = 987_654_321_012  # a well-formed id that no row has

MEMBERS = frozenset({"owner", "reviewer", "annotator"})
REVIEWERS = frozenset({"owner", "reviewer"})
OWNER = frozenset({"owner"})
ASSIGNED_ANNOTATOR = frozenset({"annotator"})
ANY_USER = MEMBERS | {"outsider"}
ROLES = ("owner", "reviewer", "annotator", "outsider", "anonymous")

# Endpoints outside the matrix: the schema and docs are public, token and users are tested below on their own.
UNMATRIXED = {"schema", "docs", "token", "users"}

_unique = itertools.count(1)


def _range(phrase):
    """{start, end} of `phrase` in ARTICLE, in code points."""
    start = ARTICLE.index(phrase)
    return {"start": start, "end": start + len(phrase)}


@dataclass(frozen=True)
class Row:
    """One endpoint and method: its path, a body for a call that should succeed, who may call it, the 2xx."""

    method: str
    template: str
    allowed: frozenset
    ok: int = 200
    body: Any = field(default=lambda w: None, compare=False)
    # A second row for the same endpoint and method whose body asks for something other roles may do (an import's
    # layer): named, so that each row is still one case of its own.
    variant: str = ""

    @property
    def scoped(self):
        return "{p}" in self.template

    def path(self, ids):
        return API + self.template.format(**ids)

    def __str__(self):
        return f"{self.method} {self.template}{f' ({self.variant})' if self.variant else ''}"


P = "projects/{p}/"
D = P + "documents/{d}/"

MATRIX = [
    Row("GET", "users/me/", ANY_USER),
    Row("GET", "projects/", ANY_USER),
    Row("POST", "projects/", ANY_USER, 201, lambda w: {"name": f"Project {next(_unique)}"}),
    Row("GET", P, MEMBERS),
    Row("PATCH", P, OWNER, 200, lambda w: {"description": "Changed"}),
    Row("DELETE", P, OWNER, 204),
    Row("GET", P + "labels/", MEMBERS),
    Row("POST", P + "labels/", OWNER, 201, lambda w: {"name": f"Label {next(_unique)}"}),
    Row("GET", P + "labels/{l}/", MEMBERS),
    Row("PATCH", P + "labels/{l}/", OWNER, 200, lambda w: {"description": "Changed"}),
    Row("DELETE", P + "labels/{l}/", OWNER, 204),
    Row("POST", P + "labels/{l}/merge/", OWNER, 200, lambda w: {"into": w.label.pk}),
    Row("GET", P + "members/", MEMBERS),
    Row("POST", P + "members/", OWNER, 201, lambda w: {"username": w.recruit.username, "role": "annotator"}),
    Row("GET", P + "members/{m}/", MEMBERS),
    Row("PATCH", P + "members/{m}/", OWNER, 200, lambda w: {"role": "reviewer"}),
    Row("DELETE", P + "members/{m}/", OWNER, 204),
    Row("GET", P + "documents/", MEMBERS),
    Row("POST", P + "documents/", OWNER, 201, lambda w: {"text": f"A fresh article, number {next(_unique)}."}),
    Row("GET", D, MEMBERS),
    Row("PATCH", D, OWNER, 200, lambda w: {"title": "Renamed"}),
    Row("DELETE", D, OWNER, 204),
    Row("GET", D + "assignments/", REVIEWERS),
    Row("POST", D + "assignments/", REVIEWERS, 201, lambda w: {"username": w.third_annotator.username}),
    Row("DELETE", D + "assignments/{a}/", REVIEWERS, 204),
    Row("POST", D + "submit/", ASSIGNED_ANNOTATOR),
    Row("GET", D + "spans/", MEMBERS),
    Row("POST", D + "spans/", MEMBERS, 201, lambda w: {"label": w.label.pk, **_range("talks would resume")}),
    Row("GET", D + "spans/{s}/", MEMBERS),
    Row("PATCH", D + "spans/{s}/", ASSIGNED_ANNOTATOR, 200, lambda w: {"note": "Changed"}),  # the span's annotator
    Row("DELETE", D + "spans/{s}/", ASSIGNED_ANNOTATOR, 204),
    Row("POST", D + "spans/{s}/review/", REVIEWERS, 200, lambda w: {"decision": "accepted"}),
    Row("GET", D + "gold/", REVIEWERS),
    Row("POST", D + "gold/", REVIEWERS, 201, lambda w: {"label": w.label.pk, **_range("in a statement")}),
    Row("GET", D + "gold/{g}/", REVIEWERS),
    Row("PATCH", D + "gold/{g}/", REVIEWERS, 200, lambda w: {"note": "Changed"}),
    Row("DELETE", D + "gold/{g}/", REVIEWERS, 204),
    Row("GET", P + "relation-types/", MEMBERS),
    Row("POST", P + "relation-types/", OWNER, 201, lambda w: {"name": f"Type {next(_unique)}"}),
    Row("GET", P + "relation-types/{t}/", MEMBERS),
    Row("PATCH", P + "relation-types/{t}/", OWNER, 200, lambda w: {"description": "Changed"}),
    Row("DELETE", P + "relation-types/{t}/", OWNER, 204),
    Row("GET", D + "relations/", MEMBERS),
    Row("POST", D + "relations/", MEMBERS, 201, lambda w: w.relation_body()),  # between the caller's own spans
    Row("GET", D + "relations/{r}/", MEMBERS),
    Row("PATCH", D + "relations/{r}/", ASSIGNED_ANNOTATOR, 200, lambda w: {"note": "Changed"}),  # its annotator
    Row("DELETE", D + "relations/{r}/", ASSIGNED_ANNOTATOR, 204),
    Row("POST", D + "relations/{r}/review/", REVIEWERS, 200, lambda w: {"decision": "rejected", "comment": "No"}),
    Row("GET", D + "gold-relations/", REVIEWERS),
    Row("POST", D + "gold-relations/", REVIEWERS, 201, lambda w: {"from_relation": w.relation.pk, "note": "copied"}),
    Row("GET", D + "gold-relations/{gr}/", REVIEWERS),
    Row("PATCH", D + "gold-relations/{gr}/", REVIEWERS, 200, lambda w: {"note": "Changed"}),
    Row("DELETE", D + "gold-relations/{gr}/", REVIEWERS, 204),
    Row("GET", P + "questions/", MEMBERS),
    Row(
        "POST",
        P + "questions/",
        OWNER,
        201,
        lambda w: {"name": f"Q {next(_unique)}", "kind": "scale", "min": 1, "max": 5},
    ),
    Row("GET", P + "questions/{q}/", MEMBERS),
    Row("PATCH", P + "questions/{q}/", OWNER, 200, lambda w: {"description": "Changed"}),
    Row("DELETE", P + "questions/{q}/", OWNER, 204),
    Row("POST", P + "questions/{q}/merge/", OWNER, 200, lambda w: {"option": "satire", "into": "opinion"}),
    Row("GET", D + "answers/", MEMBERS),
    Row("POST", D + "answers/", MEMBERS, 201, lambda w: w.answer_body()),
    Row("GET", D + "answers/{an}/", MEMBERS),
    Row("PATCH", D + "answers/{an}/", ASSIGNED_ANNOTATOR, 200, lambda w: {"value": "anti"}),  # its annotator
    Row("DELETE", D + "answers/{an}/", ASSIGNED_ANNOTATOR, 204),
    Row("POST", D + "answers/{an}/review/", REVIEWERS, 200, lambda w: {"decision": "accepted"}),
    Row("GET", D + "gold-answers/", REVIEWERS),
    Row("POST", D + "gold-answers/", REVIEWERS, 201, lambda w: {"question": w.spare_question.pk, "value": "opinion"}),
    Row("GET", D + "gold-answers/{ga}/", REVIEWERS),
    Row("PATCH", D + "gold-answers/{ga}/", REVIEWERS, 200, lambda w: {"value": "anti"}),
    Row("DELETE", D + "gold-answers/{ga}/", REVIEWERS, 204),
    Row("GET", D + "suggestions/", MEMBERS),
    Row(
        "POST",
        D + "suggestions/",
        REVIEWERS,
        201,
        lambda w: [{"label": w.label.pk, **_range("in a statement"), "score": 0.9, "source": "team-model"}],
    ),
    Row("DELETE", D + "suggestions/{sg}/", REVIEWERS, 204),
    Row("POST", D + "suggestions/{sg}/accept/", MEMBERS, 201, lambda w: {}),  # an annotator assigned to it
    Row("POST", D + "suggestions/{sg}/reject/", MEMBERS),
    Row("DELETE", D + "suggestions/{sg}/decision/", MEMBERS, 200, lambda w: w.decided()),  # the caller's own
    Row("GET", P + "recommenders/", OWNER),
    Row(
        "POST",
        P + "recommenders/",
        OWNER,
        201,
        lambda w: {"name": f"R {next(_unique)}", "kind": "lexicon", "config": {"entries": [{"label": w.label.pk,
                                                                                            "phrase": "Monday"}]}},
    ),
    Row("GET", P + "recommenders/{rc}/", OWNER),
    Row("PATCH", P + "recommenders/{rc}/", OWNER, 200, lambda w: {"active": False}),
    Row("DELETE", P + "recommenders/{rc}/", OWNER, 204),
    Row("POST", P + "recommenders/{rc}/run/", OWNER, 202, lambda w: {"documents": [w.document.pk]}),
    Row("GET", P + "jobs/", REVIEWERS),
    Row("GET", P + "jobs/{j}/", REVIEWERS),
    Row(
        "POST",
        P + "imports/",
        OWNER,
        201,
        lambda w: {"format": "jsonl", "file": upload(f'{{"text": "Imported article {next(_unique)}."}}\n')},
    ),
    Row(
        "POST",
        P + "imports/",
        REVIEWERS,
        201,
        lambda w: {"format": "jsonl", "layer": "suggestions", "file": upload(_predictions(w))},
        variant="layer=suggestions",
    ),
    Row("GET", P + "export/", REVIEWERS),
    Row("GET", P + "stats/", MEMBERS),
    Row("GET", P + "agreement/", REVIEWERS),
    Row("GET", P + "audit/", OWNER),
    # The codebook is what annotators follow: every member reads it; nothing changes a version.
    Row("GET", P + "codebook/", MEMBERS),
    Row("GET", P + "codebook/versions/", MEMBERS),
    Row("GET", P + "codebook/versions/1/", MEMBERS),
    # Each member records their own reading of the guidelines.
    Row("POST", P + "codebook/read/", MEMBERS, 204, lambda w: {"version": 1}),
]


def _predictions(world):
    """A line of predictions for the world's document, from a source of its own (so that the import stores it)."""
    span = {**_range("talks would resume"), "label": world.label.name, "score": 0.4, "source": f"m{next(_unique)}"}
    return json.dumps({"external_id": world.document.external_id, "text": ARTICLE, "spans": [span]}) + "\n"


def expected_status(row, role):
    if role == "anonymous":
        return 401
    if role in row.allowed:
        return row.ok
    if role == "outsider":
        return 404  # a project's resources do not exist for a non-member
    return 403


def call(client, method, path, body=None):
    """A request with a JSON body, or a multipart one when the body carries a file."""
    multipart = isinstance(body, dict) and any(hasattr(value, "read") for value in body.values())
    return getattr(client, method.lower())(path, body, format="multipart" if multipart else "json")


def upload(text, name="wire.jsonl"):
    return SimpleUploadedFile(name, text.encode(), content_type="application/octet-stream")


def db_state():
    """Every row a request could change, so a refused request can be shown to have changed nothing."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in app_models()}


class TestPermissionMatrix:
    @pytest.fixture
    def world(self, class_world):
        """One world for the whole matrix (tests/conftest.py); each call's changes are rolled back."""
        return class_world

    @pytest.mark.parametrize("role", ROLES)
    @pytest.mark.parametrize("row", MATRIX, ids=str)
    def test_each_role_gets_the_answer_the_spec_gives(self, client_for, world, row, role):
        client = client_for(getattr(world, role))
        world.caller = getattr(world, role)
        body = row.body(world)  # before the state is taken: a body may draw the caller's spans
        before = db_state()

        response = call(client, row.method, row.path(world.ids()), body)

        expected = expected_status(row, role)
        assert response.status_code == expected, (row, role, response.content)
        if expected == 401:
            assert response["WWW-Authenticate"].startswith("Token")
        if expected == 404:
            assert response.json() == NOT_FOUND
        if expected >= 400:
            assert db_state() == before

    def test_every_endpoint_and_method_has_a_row(self):
        implemented = set()
        for pattern in urls.urlpatterns:
            if pattern.name not in UNMATRIXED:
                implemented |= {(pattern.name, method) for method in view_methods(pattern)}
        dummy = dict.fromkeys(["p", "d", "l", "m", "a", "s", "g", "t", "r", "gr", "q", "an", "ga", "sg", "rc", "j"], 1)

        covered = {(resolve(row.path(dummy)).url_name, row.method) for row in MATRIX}
        cases = {(resolve(row.path(dummy)).url_name, row.method, row.variant) for row in MATRIX}

        assert implemented - covered == set(), "endpoints without a row in MATRIX"
        assert covered - implemented == set(), "rows in MATRIX for no endpoint"
        assert len(cases) == len(MATRIX), "two rows for the same endpoint, method and variant"

    def test_every_project_view_declares_roles_for_exactly_the_methods_it_implements(self):
        project_patterns = [p for p in urls.urlpatterns if "project_id" in p.pattern.converters]

        for pattern in project_patterns:
            view = pattern.callback.view_class
            assert issubclass(view, ScopedView), f"{pattern.name} must check access through ScopedView"
            assert set(view.roles) == view_methods(pattern), pattern.name


def view_methods(pattern: URLPattern):
    view = pattern.callback.view_class
    return {name.upper() for name in view.http_method_names if name not in {"options", "head"} and hasattr(view, name)}


@pytest.fixture
def foreign(other_project, outsider, make_user):
    """other_project filled with one of each nested object; its owner is `outsider`."""
    return fill_foreign(other_project, outsider, make_user("annotator_elsewhere"))


def fill_foreign(other_project, outsider, annotator_elsewhere):
    actor = access_project(outsider, other_project.pk)
    member = member_add(actor=actor, username=annotator_elsewhere.username, role="annotator")
    document = other_project.documents.get()
    label = other_project.labels.order_by("id").first()
    span = span_create(member=actor, document=document, label=label.pk, start=0, end=7)
    other_span = span_create(member=actor, document=document, label=label.pk, start=8, end=12)
    gold = gold_create(member=actor, document=document, label=label.pk, start=8, end=12)
    other_gold = gold_create(member=actor, document=document, label=label.pk, start=0, end=7)
    relation_type = make_relation_type(outsider, other_project, "Anything")
    question = make_question(outsider, other_project, "Elsewhere tone")
    return {
        "document": document,
        "label": label,
        "member": member,
        "assignment": Assignment.objects.get(document=document, user=annotator_elsewhere),
        "span": span,
        "gold": gold,
        "relation_type": relation_type,
        "relation": relate(outsider, relation_type, span, other_span),
        "gold_relation": relate_gold(outsider, relation_type, gold, other_gold),
        "question": question,
        "answer": answer(outsider, document, question, "pro"),
        "gold_answer": answer_gold(outsider, document, question, "anti"),
        "suggestion": suggest(outsider, document, label, "Foreign"),
        "recommender": make_recommender(outsider, other_project, "elsewhere", [(label, "Foreign")]),
        "job": make_job(outsider, other_project),
    }


@pytest.fixture
def sibling(project, owner, label):
    """A second document of `project`, with a span drawn by the owner, a gold span and its assignments."""
    return fill_sibling(project, owner, label)


def fill_sibling(project, owner, label):
    actor = access_project(owner, project.pk)
    [document] = document_create_many(member=actor, items=[{"text": ARTICLE, "external_id": "talks-2"}])
    span = span_create(member=actor, document=document, label=label.pk, **_range("told reporters"))
    other_span = span_create(member=actor, document=document, label=label.pk, **_range("Monday"))
    gold = gold_create(member=actor, document=document, label=label.pk, **_range("told reporters"))
    other_gold = gold_create(member=actor, document=document, label=label.pk, **_range("Monday"))
    relation_type = make_relation_type(owner, project, "Sibling type")
    question = make_question(owner, project, "Sibling tone")
    return {
        "document": document,
        "span": span,
        "gold": gold,
        "assignment": document.assignments.first(),
        "relation": relate(owner, relation_type, span, other_span),
        "gold_relation": relate_gold(owner, relation_type, gold, other_gold),
        "answer": answer(owner, document, question, "pro"),
        "gold_answer": answer_gold(owner, document, question, "anti"),
        "suggestion": suggest(owner, document, label, "Monday"),
    }


# (method, path under this project with {name} for an id of other_project, body or body builder).
FOREIGN_IN_PROJECT = [
    ("GET", "labels/{label}/", None),
    ("PATCH", "labels/{label}/", {"name": "Hijacked", "active": False}),
    ("DELETE", "labels/{label}/", None),
    ("POST", "labels/{label}/merge/", lambda ids: {"into": ids["label"]}),
    ("GET", "members/{member}/", None),
    ("PATCH", "members/{member}/", {"role": "owner"}),
    ("DELETE", "members/{member}/", None),
    ("GET", "documents/{document}/", None),
    ("PATCH", "documents/{document}/", {"title": "Hijacked", "text": "Hijacked"}),
    ("DELETE", "documents/{document}/", None),
    ("GET", "documents/{document}/spans/", None),
    ("POST", "documents/{document}/spans/", lambda ids: {"label": ids["label"], "start": 0, "end": 7}),
    ("GET", "documents/{document}/gold/", None),
    ("POST", "documents/{document}/gold/", lambda ids: {"label": ids["label"], "start": 0, "end": 7}),
    ("GET", "documents/{document}/assignments/", None),
    ("POST", "documents/{document}/assignments/", {"username": "annotator"}),
    ("POST", "documents/{document}/submit/", None),
    ("GET", "documents/{document}/spans/{span}/", None),
    ("DELETE", "documents/{document}/spans/{span}/", None),
    ("GET", "documents/{document}/gold/{gold}/", None),
    ("DELETE", "documents/{document}/gold/{gold}/", None),
    ("GET", "relation-types/{relation_type}/", None),
    ("PATCH", "relation-types/{relation_type}/", {"name": "Hijacked", "active": False}),
    ("DELETE", "relation-types/{relation_type}/", None),
    ("GET", "documents/{document}/relations/", None),
    (
        "POST",
        "documents/{document}/relations/",
        lambda ids: {"type": ids["relation_type"], "from_span": ids["span"], "to_span": ids["span"]},
    ),
    ("GET", "documents/{document}/relations/{relation}/", None),
    ("PATCH", "documents/{document}/relations/{relation}/", {"note": "Hijacked"}),
    ("DELETE", "documents/{document}/relations/{relation}/", None),
    ("POST", "documents/{document}/relations/{relation}/review/", {"decision": "rejected"}),
    ("GET", "documents/{document}/gold-relations/", None),
    ("POST", "documents/{document}/gold-relations/", lambda ids: {"from_relation": ids["relation"]}),
    ("GET", "documents/{document}/gold-relations/{gold_relation}/", None),
    ("PATCH", "documents/{document}/gold-relations/{gold_relation}/", {"note": "Hijacked"}),
    ("DELETE", "documents/{document}/gold-relations/{gold_relation}/", None),
    ("GET", "questions/{question}/", None),
    ("PATCH", "questions/{question}/", {"name": "Hijacked", "active": False}),
    ("DELETE", "questions/{question}/", None),
    ("POST", "questions/{question}/merge/", {"option": "pro", "into": "anti"}),
    ("GET", "documents/{document}/answers/", None),
    ("POST", "documents/{document}/answers/", lambda ids: {"question": ids["question"], "value": "anti"}),
    ("GET", "documents/{document}/answers/{answer}/", None),
    ("PATCH", "documents/{document}/answers/{answer}/", {"value": "neutral"}),
    ("DELETE", "documents/{document}/answers/{answer}/", None),
    ("POST", "documents/{document}/answers/{answer}/review/", {"decision": "rejected"}),
    ("GET", "documents/{document}/gold-answers/", None),
    ("POST", "documents/{document}/gold-answers/", lambda ids: {"from_answer": ids["answer"]}),
    ("GET", "documents/{document}/gold-answers/{gold_answer}/", None),
    ("PATCH", "documents/{document}/gold-answers/{gold_answer}/", {"value": "neutral"}),
    ("DELETE", "documents/{document}/gold-answers/{gold_answer}/", None),
    ("GET", "documents/{document}/suggestions/", None),
    (
        "POST",
        "documents/{document}/suggestions/",
        lambda ids: {"label": ids["label"], "start": 0, "end": 7, "source": "hijack"},
    ),
    ("DELETE", "documents/{document}/suggestions/{suggestion}/", None),
    ("POST", "documents/{document}/suggestions/{suggestion}/accept/", None),
    ("POST", "documents/{document}/suggestions/{suggestion}/reject/", None),
    ("GET", "recommenders/{recommender}/", None),
    ("PATCH", "recommenders/{recommender}/", {"name": "Hijacked", "active": False}),
    ("DELETE", "recommenders/{recommender}/", None),
    ("POST", "recommenders/{recommender}/run/", None),
    ("POST", "recommenders/{recommender}/run/", lambda ids: {"documents": [ids["document"]]}),
    ("GET", "jobs/{job}/", None),
]

# Nested ids under this project's own document: from other_project ("foreign") or from another document of
# this project ("sibling").
NESTED = [
    ("DELETE", "assignments/{assignment}/", None),
    ("GET", "spans/{span}/", None),
    ("PATCH", "spans/{span}/", {"note": "Hijacked", "start": 0, "end": 3}),
    ("DELETE", "spans/{span}/", None),
    ("POST", "spans/{span}/review/", {"decision": "rejected", "comment": "Hijacked"}),
    ("GET", "gold/{gold}/", None),
    ("PATCH", "gold/{gold}/", {"note": "Hijacked", "start": 0, "end": 3}),
    ("DELETE", "gold/{gold}/", None),
    ("GET", "relations/{relation}/", None),
    ("PATCH", "relations/{relation}/", {"note": "Hijacked"}),
    ("DELETE", "relations/{relation}/", None),
    ("POST", "relations/{relation}/review/", {"decision": "rejected", "comment": "Hijacked"}),
    ("GET", "gold-relations/{gold_relation}/", None),
    ("PATCH", "gold-relations/{gold_relation}/", {"note": "Hijacked"}),
    ("DELETE", "gold-relations/{gold_relation}/", None),
    ("GET", "answers/{answer}/", None),
    ("PATCH", "answers/{answer}/", {"value": "neutral"}),
    ("DELETE", "answers/{answer}/", None),
    ("POST", "answers/{answer}/review/", {"decision": "rejected", "comment": "Hijacked"}),
    ("GET", "gold-answers/{gold_answer}/", None),
    ("PATCH", "gold-answers/{gold_answer}/", {"value": "neutral"}),
    ("DELETE", "gold-answers/{gold_answer}/", None),
    ("DELETE", "suggestions/{suggestion}/", None),
    ("POST", "suggestions/{suggestion}/accept/", {}),
    ("POST", "suggestions/{suggestion}/reject/", None),
]


def as_params(cases):
    return [pytest.param(*case, id=f"{case[0]} {case[1]}") for case in cases]


def _shared_item(name):
    """A class fixture `name` giving that item of the class's `shared` rows."""

    @pytest.fixture(name=name)
    def item(self, shared):
        return shared[name]

    return item


class TestForeignIds:
    @pytest.fixture(scope="class")
    def _shared(self, django_db_setup, django_db_blocker):
        """The rows of every test of the class, as the fixtures of the same names make them (`project` with its
        owner, reviewer and annotators, `document`, `foreign` in `other_project`, `sibling`), arranged once for the
        class (shared_by_class): arranged for each of its 111 tests, they were nine tenths of its time. Each test's
        request is rolled back with the test's own transaction."""

        def build():
            owner, reviewer, annotator, annotator2, outsider = (
                UserFactory(username=name) for name in ("owner", "reviewer", "annotator", "annotator2", "outsider")
            )
            project = make_project(owner, reviewer, annotator, annotator2)
            document = make_document(project, owner)
            label = project.labels.get(name="Source attribution")
            foreign = fill_foreign(make_other_project(outsider), outsider, UserFactory(username="annotator_elsewhere"))
            sibling = fill_sibling(project, owner, label)
            return {"owner": owner, "project": project, "document": document, "foreign": foreign, "sibling": sibling}

        yield from shared_by_class(django_db_blocker, build)

    @pytest.fixture
    def shared(self, _shared, db):
        return copy.deepcopy(_shared)  # a test that changes one of these objects changes nothing for the next

    owner, project, document, foreign, sibling = (
        _shared_item(name) for name in ("owner", "project", "document", "foreign", "sibling")
    )

    @pytest.mark.parametrize(("method", "template", "body"), as_params(FOREIGN_IN_PROJECT))
    def test_an_id_of_another_project_is_not_found_and_nothing_changes(
        self, client_for, owner, project, foreign, method, template, body
    ):
        ids = {name: obj.pk for name, obj in foreign.items()}
        path = url(project) + template.format(**ids)
        before = db_state()

        response = call(client_for(owner), method, path, body(ids) if callable(body) else body)

        assert response.status_code == 404, response.content
        assert response.json() == NOT_FOUND
        assert db_state() == before

    @pytest.mark.parametrize("source", ["foreign", "sibling"])
    @pytest.mark.parametrize(("method", "template", "body"), as_params(NESTED))
    def test_a_nested_id_of_another_document_is_not_found_and_nothing_changes(
        self, request, client_for, owner, document, source, method, template, body
    ):
        objects = request.getfixturevalue(source)
        ids = {name: obj.pk for name, obj in objects.items()}
        path = url(document.project, "documents", document) + template.format(**ids)
        before = db_state()

        response = call(client_for(owner), method, path, body)

        assert response.status_code == 404, response.content
        assert response.json() == NOT_FOUND
        assert db_state() == before


class TestNotFoundLeaksNothing:
    def test_a_project_one_is_not_a_member_of_answers_like_one_that_does_not_exist(self, client_for, outsider, project):
        client = client_for(outsider)

        not_member = client.get(url(project, "documents"))
        missing = client.get(url(Project(pk=MISSING_ID), "documents"))

        assert not_member.status_code == missing.status_code == 404
        assert not_member.json() == missing.json()
        assert not_member["Content-Type"] == missing["Content-Type"]

    @pytest.mark.parametrize("kind", ["document", "label", "member"])
    def test_an_object_of_another_project_answers_like_one_that_does_not_exist(
        self, client_for, owner, project, foreign, kind
    ):
        client = client_for(owner)

        foreign_answer = client.get(url(project, kind + "s", foreign[kind]))
        missing = client.get(url(project, kind + "s", MISSING_ID))

        assert foreign_answer.status_code == missing.status_code == 404
        assert foreign_answer.json() == missing.json()

    def test_another_annotators_span_in_a_blind_project_answers_like_one_that_does_not_exist(
        self, client_for, annotator, annotator2, document, label
    ):
        hidden = span_create(
            member=access_project(annotator2, document.project_id),
            document=document,
            label=label.pk,
            **_range("Monday"),
        )
        client = client_for(annotator)

        other = client.get(url(document.project, "documents", document, "spans", hidden))
        missing = client.get(url(document.project, "documents", document, "spans", MISSING_ID))

        assert other.status_code == missing.status_code == 404
        assert other.json() == missing.json()


@pytest.fixture
def drawn(annotator, annotator2, document, label):
    """One span by each annotator on `document`."""
    return {
        user.username: span_create(
            member=access_project(user, document.project_id), document=document, label=label.pk, **_range(phrase)
        )
        for user, phrase in [(annotator, "told reporters"), (annotator2, "Monday")]
    }


def make_open(project, owner):
    project_update(member=access_project(owner, project.pk), blind=False)


class TestSpanOwnership:
    @pytest.mark.parametrize(("method", "body"), [("PATCH", {"note": "Mine now"}), ("DELETE", None)])
    def test_in_an_open_project_an_annotator_may_not_change_anothers_span(
        self, client_for, owner, annotator, project, document, drawn, method, body
    ):
        make_open(project, owner)
        theirs = drawn["annotator2"]
        before = db_state()

        response = call(client_for(annotator), method, url(project, "documents", document, "spans", theirs), body)

        assert response.status_code == 403
        assert db_state() == before

    @pytest.mark.parametrize(("method", "body"), [("PATCH", {"note": "Mine now"}), ("DELETE", None)])
    def test_in_a_blind_project_anothers_span_is_not_found(
        self, client_for, annotator, project, document, drawn, method, body
    ):
        theirs = drawn["annotator2"]
        before = db_state()

        response = call(client_for(annotator), method, url(project, "documents", document, "spans", theirs), body)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert db_state() == before

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    @pytest.mark.parametrize(("method", "body"), [("PATCH", {"note": "Mine now"}), ("DELETE", None)])
    def test_owners_and_reviewers_may_not_change_an_annotators_span(
        self, request, client_for, project, document, drawn, role, method, body
    ):
        before = db_state()

        response = call(
            client_for(request.getfixturevalue(role)),
            method,
            url(project, "documents", document, "spans", drawn["annotator"]),
            body,
        )

        assert response.status_code == 403
        assert db_state() == before

    @pytest.mark.parametrize(("blind", "status"), [(False, 403), (True, 404)])
    def test_an_annotator_may_not_draw_on_a_document_not_assigned_to_them(
        self, client_for, owner, annotator, project, document, label, blind, status
    ):
        """Refused (403); in a blind project the document is not there for them at all (404)."""
        type(project).objects.filter(pk=project.pk).update(blind=blind)
        assignment_delete(
            actor=access_project(owner, project.pk),
            assignment=Assignment.objects.get(document=document, user=annotator),
        )

        response = client_for(annotator).post(
            url(project, "documents", document, "spans"), {"label": label.pk, **_range("Monday")}
        )

        assert response.status_code == status
        assert not Span.objects.exists()

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_owners_and_reviewers_may_draw_on_any_document(self, request, client_for, project, label, role):
        [unassigned] = document_create_many(
            member=access_project(request.getfixturevalue("owner"), project.pk), items=[{"text": ARTICLE}]
        )
        Assignment.objects.filter(document=unassigned).delete()

        response = client_for(request.getfixturevalue(role)).post(
            url(project, "documents", unassigned, "spans"), {"label": label.pk, **_range("Monday")}
        )

        assert response.status_code == 201, response.content
        assert response.json()["annotator"] == role


def annotators_seen(response):
    assert response.status_code == 200, response.content
    return sorted(span["annotator"] for span in response.json()["results"])


class TestSpanVisibility:
    def test_in_a_blind_project_an_annotator_lists_only_their_own_spans(self, client_for, annotator, document, drawn):
        response = client_for(annotator).get(url(document.project, "documents", document, "spans"))

        assert annotators_seen(response) == ["annotator"]

    def test_in_a_blind_project_asking_for_another_annotator_shows_nothing(
        self, client_for, annotator, document, drawn
    ):
        response = client_for(annotator).get(
            url(document.project, "documents", document, "spans"), {"annotator": "annotator2"}
        )

        assert annotators_seen(response) == []

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_owners_and_reviewers_see_every_annotators_spans(self, request, client_for, document, drawn, role):
        response = client_for(request.getfixturevalue(role)).get(url(document.project, "documents", document, "spans"))

        assert annotators_seen(response) == ["annotator", "annotator2"]

    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_owners_and_reviewers_filter_by_annotator(self, request, client_for, document, drawn, role):
        response = client_for(request.getfixturevalue(role)).get(
            url(document.project, "documents", document, "spans"), {"annotator": "annotator2"}
        )

        assert annotators_seen(response) == ["annotator2"]

    def test_in_an_open_project_annotators_see_everyones_spans(
        self, client_for, owner, annotator, project, document, drawn
    ):
        make_open(project, owner)

        response = client_for(annotator).get(url(project, "documents", document, "spans"))

        assert annotators_seen(response) == ["annotator", "annotator2"]


class TestUserEndpoints:
    def test_a_user_who_is_not_staff_may_not_create_users(self, client_for, owner):
        response = client_for(owner).post(API + "users/", {"username": "newbie", "password": PASSWORD})

        assert response.status_code == 403
        assert not type(owner).objects.filter(username="newbie").exists()

    def test_staff_create_a_user(self, client_for, staff):
        response = client_for(staff).post(API + "users/", {"username": "newbie", "password": PASSWORD})

        assert response.status_code == 201, response.content
        assert response.json()["username"] == "newbie"
        assert type(staff).objects.get(username="newbie").check_password(PASSWORD)

    def test_anonymous_may_not_create_users(self, client_for, db):
        response = client_for(None).post(API + "users/", {"username": "newbie", "password": PASSWORD})

        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")

    def test_any_signed_in_user_reads_themselves(self, client_for, outsider):
        response = client_for(outsider).get(API + "users/me/")

        assert response.status_code == 200
        assert response.json()["username"] == "outsider"

    def test_anonymous_gets_a_token_for_the_right_password(self, client_for, annotator):
        response = client_for(None).post(API + "auth/token/", {"username": "annotator", "password": PASSWORD})

        assert response.status_code == 200
        token = response.json()["token"]
        assert client_for(None).get(API + "users/me/", HTTP_AUTHORIZATION=f"Token {token}").json()["username"] == (
            "annotator"
        )

    def test_a_wrong_password_gets_no_token(self, client_for, annotator):
        response = client_for(None).post(API + "auth/token/", {"username": "annotator", "password": "wrong"})

        assert response.status_code == 400
        assert "token" not in response.json()
