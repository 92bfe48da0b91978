"""Client mistakes get a 4xx with a JSON body naming the field (or {"detail"}), store nothing, and no request
body of any shape gets a 5xx (SPEC "REST API"). PostgreSQL is where NUL characters and integer overflow bite."""

import json
import random
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import model_to_dict
from rest_framework.authtoken.models import Token

from annotator.models import (
    Answer,
    Document,
    Label,
    Member,
)
from tests.arrange import answer
from tests.conftest import World, app_models, url
from tests.factories import ARTICLE, PASSWORD

PHRASE = "told reporters"
START = ARTICLE.index(PHRASE)
END = START + len(PHRASE)
NEW_PHRASE = "talks would resume"  # a span the annotator does not have yet (the `span` fixture is PHRASE's)
NEW_START = ARTICLE.index(NEW_PHRASE)
GOLD_PHRASE = "he said"  # the `gold` fixture's
GOLD_START = ARTICLE.index(GOLD_PHRASE)

# Every table a request could write to; a refused request leaves every count as it was.
STORED = (get_user_model(), Token, *app_models())

HUGE_INTS = [2**31, 2**63 - 1, 2**63, 10**30, -(10**30)]
HUGE_PATH_IDS = ["99999999999999999999999", str(2**63), str(2**63 - 1), "999999999999999999", "0"]


@pytest.fixture(scope="class")
def arrange_class_world():
    def arrange(world):
        # client_for() makes each user's token before the counting starts, so only requests change the counts.
        for user in get_user_model().objects.all():
            Token.objects.get_or_create(user=user)
        # An answer a gold answer may copy: `annotator2`'s to the question nobody else has answered.
        answer(world.annotator2, world.document, world.spare_question, "opinion")

    return arrange


@pytest.fixture
def world(class_world):
    """One world per class (tests/conftest.py), with every user's token and `annotator2`'s answer to the spare
    question; each test's changes are rolled back."""
    return class_world


def row_counts():
    return {model.__name__: model.objects.count() for model in STORED}


def row_state(obj):
    return None if obj is None else model_to_dict(type(obj).objects.get(pk=obj.pk))


@dataclass(frozen=True)
class Endpoint:
    """A writable endpoint: who calls it, where, a body it accepts, and the kind of each field."""

    name: str
    method: str
    caller: str
    path: Callable[[World], str]
    body: Callable[[World], dict]
    fields: dict  # field name -> (kind, max_length or None)
    target: Callable[[World], object] | None = None  # the row a PATCH or DELETE would change
    accepts_list: bool = False

    def __str__(self):
        return self.name


def _doc(w, *parts):
    return url(w.project, "documents", w.document, *parts)


DOCUMENT_FIELDS = {
    "text": ("text", None),
    "title": ("string", 500),
    "external_id": ("string", 255),
    "source": ("string", 200),
    "url": ("url", 2000),
    "author": ("string", 300),
    "published_at": ("datetime", None),
    "language": ("string", 35),
    "metadata": ("metadata", None),
}


# The fields of a span's and a gold span's body, and the version a change or delete sends.
GOLD_FIELDS = {"label": ("id", None), "start": ("offset", None), "end": ("offset", None), "note": ("string", 10_000)}
SPAN_FIELDS = {**GOLD_FIELDS, "text": ("text", None)}
VERSION_FIELD = {"version": ("version", None)}
# A relation type's fields; a relation's and a gold relation's.
RELATION_TYPE_FIELDS = {
    "name": ("text", 100),
    "key": ("key", None),
    "color": ("color", None),
    "description": ("string", None),
    "from_labels": ("ids", None),
    "to_labels": ("ids", None),
}
RELATION_FIELDS = {"type": ("id", None), "from_span": ("id", None), "to_span": ("id", None), "note": ("string", 10_000)}
# A question's fields (options apart: a scale takes none, so they are tried on a multi question); an answer's.
QUESTION_FIELDS = {
    "name": ("text", 100),
    "kind": ("choice", None),
    "min": ("bound", None),
    "max": ("bound", None),
    "required": ("bool", None),
    "description": ("string", None),
    "key": ("key", None),
}
ANSWER_FIELDS = {"question": ("id", None), "value": ("value", None)}
# A suggestion's fields.
SUGGESTION_FIELDS = {
    "label": ("id", None),
    "start": ("offset", None),
    "end": ("offset", None),
    "score": ("score", None),
    "source": ("text", 100),
}


def _genre_answer(w):
    """`annotator2`'s answer to the world's spare question (Genre), which no gold answer holds yet."""
    return Answer.objects.get(question=w.spare_question, annotator=w.annotator2)


def _document_body(w):
    return {
        "text": "A new article.",
        "title": "New",
        "external_id": "new-1",
        "source": "Wire Two",
        "url": "https://example.org/a",
        "author": "A. Writer",
        "published_at": "2024-05-01T10:00:00Z",
        "language": "en",
        "metadata": {"section": "world"},
    }


ENDPOINTS = [
    Endpoint(
        "users-POST",
        "post",
        "staff",
        lambda w: "/api/v1/users/",
        lambda w: {"username": "fresh", "password": "a-long-enough-passphrase", "email": "fresh@example.org"},
        {"username": ("username", 150), "password": ("text", 128), "email": ("email", 254)},
    ),
    Endpoint(
        "token-POST",
        "post",
        "anonymous",
        lambda w: "/api/v1/auth/token/",
        lambda w: {"username": "recruit", "password": PASSWORD},
        {"username": ("text", None), "password": ("text", None)},
    ),
    Endpoint(
        "projects-POST",
        "post",
        "owner",
        lambda w: "/api/v1/projects/",
        lambda w: {
            "name": "Election coverage",
            "description": "d",
            "guidelines": "g",
            "blind": False,
            "annotators_per_document": 3,
            "label_preset": "persuasion",
        },
        {
            "name": ("text", 200),
            "description": ("string", None),
            "guidelines": ("string", None),
            "blind": ("bool", None),
            "annotators_per_document": ("count", None),
            "label_preset": ("choice", None),
        },
    ),
    Endpoint(
        "project-PATCH",
        "patch",
        "owner",
        lambda w: url(w.project),
        lambda w: {"name": "Renamed", "blind": False, "annotators_per_document": 1},
        {
            "name": ("text", 200),
            "description": ("string", None),
            "guidelines": ("string", None),
            "blind": ("bool", None),
            "annotators_per_document": ("count", None),
        },
        target=lambda w: w.project,
    ),
    Endpoint(
        "labels-POST",
        "post",
        "owner",
        lambda w: url(w.project, "labels"),
        lambda w: {"name": "Economic frame", "key": "z", "color": "#123abc", "description": "Money."},
        {"name": ("text", 100), "key": ("key", None), "color": ("color", None), "description": ("string", None)},
        accepts_list=True,
    ),
    Endpoint(
        "label-PATCH",
        "patch",
        "owner",
        lambda w: url(w.project, "labels", w.spare_label),
        lambda w: {"name": "Appeal", "key": "z", "color": "#123abc", "description": "d", "active": False},
        {
            "name": ("text", 100),
            "key": ("key", None),
            "color": ("color", None),
            "description": ("string", None),
            "active": ("bool", None),
        },
        target=lambda w: w.spare_label,
    ),
    Endpoint(
        "members-POST",
        "post",
        "owner",
        lambda w: url(w.project, "members"),
        lambda w: {"username": "recruit", "role": "reviewer"},
        {"username": ("text", 150), "role": ("choice", None)},
        accepts_list=True,
    ),
    Endpoint(
        "member-PATCH",
        "patch",
        "owner",
        lambda w: url(w.project, "members", w.member),
        lambda w: {"role": "reviewer"},
        {"role": ("choice", None)},
        target=lambda w: w.member,
    ),
    Endpoint(
        "documents-POST",
        "post",
        "owner",
        lambda w: url(w.project, "documents"),
        _document_body,
        DOCUMENT_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "document-PATCH",
        "patch",
        "owner",
        lambda w: _doc(w),
        lambda w: {k: v for k, v in _document_body(w).items() if k != "text"},
        DOCUMENT_FIELDS,
        target=lambda w: w.document,
    ),
    Endpoint(
        "assignments-POST",
        "post",
        "owner",
        lambda w: _doc(w, "assignments"),
        lambda w: {"username": "annotator3"},
        {"username": ("text", 150)},
    ),
    Endpoint(
        "spans-POST",
        "post",
        "annotator",
        lambda w: _doc(w, "spans"),
        lambda w: {
            "label": w.label.pk,
            "start": NEW_START,
            "end": NEW_START + len(NEW_PHRASE),
            "text": NEW_PHRASE,
            "note": "n",
        },
        SPAN_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "span-PATCH",
        "patch",
        "annotator",
        lambda w: _doc(w, "spans", w.span),
        lambda w: {"label": w.label.pk, "start": START, "end": END - 1, "note": "n", "version": 1},
        {**SPAN_FIELDS, **VERSION_FIELD},
        target=lambda w: w.span,
    ),
    Endpoint(
        "span-DELETE",
        "delete",
        "annotator",
        lambda w: _doc(w, "spans", w.span),
        lambda w: {"version": 1},
        VERSION_FIELD,
        target=lambda w: w.span,
    ),
    Endpoint(
        "review-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "spans", w.span, "review"),
        lambda w: {"decision": "accepted", "comment": "fine", "version": 1},
        {"decision": ("choice", None), "comment": ("string", 10_000), **VERSION_FIELD},
        target=lambda w: w.span,
    ),
    Endpoint(
        "gold-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "gold"),
        lambda w: {"label": w.label.pk, "start": START, "end": END, "note": "n"},
        GOLD_FIELDS,
    ),
    Endpoint(
        "gold-from-span-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "gold"),
        lambda w: {"from_span": w.span.pk},
        {"from_span": ("id", None)},
    ),
    Endpoint(
        "gold-PATCH",
        "patch",
        "reviewer",
        lambda w: _doc(w, "gold", w.gold),
        lambda w: {"label": w.label.pk, "start": GOLD_START, "end": GOLD_START + 2, "note": "n", "version": 1},
        {**GOLD_FIELDS, **VERSION_FIELD},
        target=lambda w: w.gold,
    ),
    Endpoint(
        "gold-DELETE",
        "delete",
        "reviewer",
        lambda w: _doc(w, "gold", w.gold),
        lambda w: {"version": 1},
        VERSION_FIELD,
        target=lambda w: w.gold,
    ),
    Endpoint(
        "relation-types-POST",
        "post",
        "owner",
        lambda w: url(w.project, "relation-types"),
        lambda w: {
            "name": "Cites",
            "key": "z",
            "color": "#123abc",
            "description": "A source.",
            "from_labels": [w.label.pk],
            "to_labels": [],
        },
        RELATION_TYPE_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "relation-type-PATCH",
        "patch",
        "owner",
        lambda w: url(w.project, "relation-types", w.spare_relation_type),
        lambda w: {"name": "Cites", "key": "z", "color": "#123abc", "active": False, "to_labels": [w.label.pk]},
        {**RELATION_TYPE_FIELDS, "active": ("bool", None)},
        target=lambda w: w.spare_relation_type,
    ),
    Endpoint(
        "relations-POST",
        "post",
        "annotator",
        lambda w: _doc(w, "relations"),
        lambda w: {"type": w.spare_relation_type.pk, "from_span": w.span.pk, "to_span": w.target.pk, "note": "n"},
        RELATION_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "relation-PATCH",
        "patch",
        "annotator",
        lambda w: _doc(w, "relations", w.relation),
        lambda w: {"type": w.spare_relation_type.pk, "note": "n", "version": 1},
        {"type": ("id", None), "note": ("string", 10_000), **VERSION_FIELD},
        target=lambda w: w.relation,
    ),
    Endpoint(
        "relation-DELETE",
        "delete",
        "annotator",
        lambda w: _doc(w, "relations", w.relation),
        lambda w: {"version": 1},
        VERSION_FIELD,
        target=lambda w: w.relation,
    ),
    Endpoint(
        "relation-review-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "relations", w.relation, "review"),
        lambda w: {"decision": "rejected", "comment": "no", "version": 1},
        {"decision": ("choice", None), "comment": ("string", 10_000), **VERSION_FIELD},
        target=lambda w: w.relation,
    ),
    Endpoint(
        "gold-relations-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "gold-relations"),
        lambda w: {"type": w.spare_relation_type.pk, "from_span": w.gold.pk, "to_span": w.gold_target.pk, "note": "n"},
        RELATION_FIELDS,
    ),
    Endpoint(
        "gold-relations-from-relation-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "gold-relations"),
        lambda w: {"from_relation": w.relation.pk},
        {"from_relation": ("id", None)},
    ),
    Endpoint(
        "gold-relation-PATCH",
        "patch",
        "reviewer",
        lambda w: _doc(w, "gold-relations", w.gold_relation),
        lambda w: {"type": w.spare_relation_type.pk, "note": "n", "version": 1},
        {"type": ("id", None), "note": ("string", 10_000), **VERSION_FIELD},
        target=lambda w: w.gold_relation,
    ),
    Endpoint(
        "gold-relation-DELETE",
        "delete",
        "reviewer",
        lambda w: _doc(w, "gold-relations", w.gold_relation),
        lambda w: {"version": 1},
        VERSION_FIELD,
        target=lambda w: w.gold_relation,
    ),
    Endpoint(
        "questions-POST",
        "post",
        "owner",
        lambda w: url(w.project, "questions"),
        lambda w: {
            "name": "Slant",
            "kind": "scale",
            "min": -3,
            "max": 3,
            "required": True,
            "description": "d",
            "key": "z",
        },  # fmt: skip
        QUESTION_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "questions-options-POST",
        "post",
        "owner",
        lambda w: url(w.project, "questions"),
        lambda w: {"name": "Frames", "kind": "multi", "options": ["Economic", "Political"]},
        {"options": ("options", None)},
        accepts_list=True,
    ),
    Endpoint(
        "question-PATCH",
        "patch",
        "owner",
        lambda w: url(w.project, "questions", w.spare_question),
        lambda w: {
            "name": "Genre",
            "options": ["opinion", "reporting", "satire", "other"],
            "required": True,
            "description": "d",
            "key": "z",
            "active": False,
        },  # fmt: skip
        {
            "name": ("text", 100),
            "kind": ("choice", None),
            "options": ("options", None),
            "required": ("bool", None),
            "description": ("string", None),
            "key": ("key", None),
            "active": ("bool", None),
        },
        target=lambda w: w.spare_question,
    ),
    Endpoint(
        "answers-POST",
        "post",
        "annotator",
        lambda w: _doc(w, "answers"),
        lambda w: {"question": w.spare_question.pk, "value": "satire"},
        ANSWER_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "answer-PATCH",
        "patch",
        "annotator",
        lambda w: _doc(w, "answers", w.answer),
        lambda w: {"value": "anti", "version": 1},
        {"value": ("value", None), **VERSION_FIELD},
        target=lambda w: w.answer,
    ),
    Endpoint(
        "answer-DELETE",
        "delete",
        "annotator",
        lambda w: _doc(w, "answers", w.answer),
        lambda w: {"version": 1},
        VERSION_FIELD,
        target=lambda w: w.answer,
    ),
    Endpoint(
        "answer-review-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "answers", w.answer, "review"),
        lambda w: {"decision": "rejected", "comment": "no", "version": 1},
        {"decision": ("choice", None), "comment": ("string", 10_000), **VERSION_FIELD},
        target=lambda w: w.answer,
    ),
    Endpoint(
        "gold-answers-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "gold-answers"),
        lambda w: {"question": w.spare_question.pk, "value": "reporting"},
        ANSWER_FIELDS,
    ),
    Endpoint(
        "gold-answers-from-answer-POST",
        "post",
        "reviewer",
        lambda w: _doc(w, "gold-answers"),
        lambda w: {"from_answer": _genre_answer(w).pk},
        {"from_answer": ("id", None)},
    ),
    Endpoint(
        "gold-answer-PATCH",
        "patch",
        "reviewer",
        lambda w: _doc(w, "gold-answers", w.gold_answer),
        lambda w: {"value": "anti", "version": 1},
        {"value": ("value", None), **VERSION_FIELD},
        target=lambda w: w.gold_answer,
    ),
    Endpoint(
        "gold-answer-DELETE",
        "delete",
        "reviewer",
        lambda w: _doc(w, "gold-answers", w.gold_answer),
        lambda w: {"version": 1},
        VERSION_FIELD,
        target=lambda w: w.gold_answer,
    ),
    Endpoint(
        "suggestions-POST",
        "post",
        "owner",
        lambda w: _doc(w, "suggestions"),
        lambda w: {"label": w.spare_label.pk, "start": NEW_START, "end": NEW_START + 5, "score": 0.5, "source": "m"},
        SUGGESTION_FIELDS,
        accepts_list=True,
    ),
    Endpoint(
        "suggestion-accept-POST",
        "post",
        "annotator",
        lambda w: _doc(w, "suggestions", w.suggestion, "accept"),
        lambda w: {"label": w.spare_label.pk},
        {"label": ("id", None)},
        target=lambda w: w.suggestion,
    ),
    Endpoint(
        "suggestion-reject-POST",
        "post",
        "annotator",
        lambda w: _doc(w, "suggestions", w.suggestion, "reject"),
        lambda w: {},
        {},
        target=lambda w: w.suggestion,
    ),
    Endpoint(
        "submit-POST",
        "post",
        "annotator",
        lambda w: _doc(w, "submit"),
        lambda w: {},
        {},
    ),
]
BY_NAME = {endpoint.name: endpoint for endpoint in ENDPOINTS}
# Endpoints whose body is read: submit and reject take none, so no body can be wrong for them.
READS_BODY = [endpoint for endpoint in ENDPOINTS if endpoint.name not in {"submit-POST", "suggestion-reject-POST"}]

NOT_A_STRING = [True, {}, {"a": "b"}, [], ["a"]]
FORBIDDEN_CHARACTERS = ["\x00", "a\x00b", "\ud800", "x\udfff"]  # NUL, and lone surrogates that UTF-8 cannot carry
NOT_AN_INT = ["twelve", "", "1.5", 1.5, 1e30, True, False, None, {}, {"a": 1}, [], [1], "\x00"]

BAD_VALUES = {
    "id": [*NOT_AN_INT, 0, -1, *HUGE_INTS],
    "offset": [*NOT_AN_INT, -1, *HUGE_INTS],
    "count": [*NOT_AN_INT, 0, -1, 101, *HUGE_INTS],
    "version": [*NOT_AN_INT, 0, -1, *HUGE_INTS],
    "ids": [None, 1, "1", {}, {"a": 1}, ["1"], [True], [1.5], [0], [-1], [2**63], [10**30], [None], [[1]], [{}]],
    "text": [None, "", *NOT_A_STRING, *FORBIDDEN_CHARACTERS],
    "string": [None, *NOT_A_STRING, *FORBIDDEN_CHARACTERS],
    "username": [None, "", "two words", "semi;colon", *NOT_A_STRING, *FORBIDDEN_CHARACTERS],
    "email": [None, "not-an-email", "a@", *NOT_A_STRING, *FORBIDDEN_CHARACTERS],
    "url": [None, "not a url", "javascript:alert(1)", "http://", *NOT_A_STRING, *FORBIDDEN_CHARACTERS],
    "bool": ["maybe", "", 2, -1, 1.5, None, {}, [], [True], "\x00"],
    "choice": ["bogus", "", "OWNER", " owner", 1, None, {}, [], ["owner"], *FORBIDDEN_CHARACTERS],
    "color": ["red", "#fff", "#gggggg", "#1234567", "123456", "#12345\n", "", 123456, None, [], "#12345\x00"],
    "key": ["ab", " ", "\t", "\n", None, [], {}, True, *FORBIDDEN_CHARACTERS],
    # A suggestion's score: null or a number from 0 to 1.
    "score": ["high", "", "0.5", True, {}, [], [0.5], 1.5, -0.1, 1.0000001, 1e30, -(10**30), 10**400],
    # A scale's bound (null is left out: a single or multi question takes it).
    "bound": [v for v in [*NOT_AN_INT, *HUGE_INTS] if v is not None],
    "options": [
        None,
        "a",
        1,
        {},
        [],
        ["one"],
        ["a", "a"],
        ["a", 1],
        ["a", None],
        ["a", ""],
        ["a", " "],
        ["a|b", "c"],
        ["a", "b\x00"],
        ["a", "\ud800"],
        ["x" * 201, "b"],
        [str(n) for n in range(101)],
    ],
    # Not an answer to the single-choice questions the endpoints answer (options opinion, reporting, satire; pro,
    # neutral, anti).
    "value": [
        None,
        1,
        0,
        True,
        1.5,
        {},
        {"a": "pro"},
        [],
        ["satire"],
        ["anti"],
        "furious",
        "",
        "Anti",
        "\x00",
        "\ud800",
    ],
    "datetime": [
        "yesterday",
        "2024-13-01T00:00:00Z",
        "2024-02-30T00:00:00Z",
        "9999-12-31T23:59:59-14:00",
        "0001-01-01T00:00:00+14:00",
        "2024-05-01T10:00:00\x00",
        "",
        20240501,
        True,
        [],
        {},
    ],
    "metadata": [
        {"a": "\x00"},
        {"a\x00": 1},
        {"a": ["ok", {"b": "x\x00y"}]},
        {"a": "\ud800"},
        {"\udfff": "a"},
        [["deep", ["\x00"]]],
        "\x00",
    ],
}


def has_lone_surrogate(value):
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def too_long(kind, max_length):
    """A value one past `max_length` (or more) that is otherwise well formed for its kind."""
    if kind == "email":
        return "a" * 64 + "@" + ".".join(["b" * 63] * 3) + ".org"  # 260 characters, valid in form
    if kind == "url":
        return "https://example.org/" + "a" * (max_length - 19)
    return "x" * (max_length + 1)


def field_cases():
    for endpoint in READS_BODY:
        for field, (kind, max_length) in endpoint.fields.items():
            values = list(BAD_VALUES[kind])
            if max_length is not None:
                values.append(too_long(kind, max_length))
            for value in values:
                yield pytest.param(endpoint, field, value, id=f"{endpoint}-{field}-{value!r:.30}")


MALFORMED_JSON = [
    b'{"name": ',
    b"not json",
    b"{'name': 'single quotes'}",
    b'{"version": NaN}',
    b'{"version": Infinity}',
    b'{"a": 1}{"b": 2}',
    b"\xff\xfe{\x00}",
    b'{"name": "\xc3\x28"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"metadata": ' + b"[" * 150 + b"]" * 150 + b"}",  # parses, but deeper than anything downstream should recurse
    b'{"name": "\\ud800", "text": "\\udfff"}',  # lone surrogate escapes
    b'{"version": ' + b"9" * 5000 + b"}",
]
WRONG_CONTENT_TYPES = ["text/plain", "application/xml", "application/octet-stream", "image/png"]
NOT_AN_OBJECT = [0, 1, -(10**30), 1.5, "a string", "", None, True, False]
NOT_A_LIST_OF_OBJECTS = [[], [1], ["a"], [None], [[]], [[{}]], [[{"name": "x"}]]]


def send(client, method, path, body=None, *, raw=None, content_type="application/json", **headers):
    """One request; a view that raises becomes an assertion naming what was sent."""
    data = raw if raw is not None else (None if body is None else json.dumps(body))
    try:
        return client.generic(method.upper(), path, data or "", content_type=content_type, **headers)
    except Exception as exc:  # a 5xx in the making: name the request that caused it
        raise AssertionError(f"{method.upper()} {path} with {str(data)[:200]!r} raised {exc!r}") from exc


def assert_client_error(response, field=None):
    """A 4xx whose JSON body names `field` (in the object, or in some item of a list of errors)."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    if field is None:
        assert body, body
        return
    items = body if isinstance(body, list) else [body]
    assert any(field in item for item in items if isinstance(item, dict)), body


def call(world, client_for, endpoint, body=None, **kwargs):
    client = client_for(getattr(world, endpoint.caller))
    return send(client, endpoint.method, endpoint.path(world), body, **kwargs)


class TestValidBodies:
    """The table's own sanity check: each base body is accepted, so each refusal below is about the bad part."""

    @pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
    def test_the_base_body_is_accepted(self, world, client_for, endpoint):
        response = call(world, client_for, endpoint, endpoint.body(world))

        assert response.status_code in {200, 201, 204}, response.content[:300]


class TestBadFieldValues:
    @pytest.mark.parametrize(("endpoint", "field", "value"), list(field_cases()))
    def test_a_bad_value_is_refused_naming_the_field_and_nothing_is_stored(
        self, world, client_for, endpoint, field, value
    ):
        body = {**endpoint.body(world), field: value}
        counts, state = row_counts(), row_state(endpoint.target and endpoint.target(world))

        response = call(world, client_for, endpoint, body)

        if endpoint.name == "token-POST":
            assert_client_error(response)  # wrong credentials name no field, as DRF answers
        elif has_lone_surrogate(value):
            assert_client_error(response, "detail")  # the JSON parser refuses it before any field is read
        else:
            assert_client_error(response, field)
        assert row_counts() == counts
        assert row_state(endpoint.target and endpoint.target(world)) == state

    @pytest.mark.parametrize("endpoint", [e for e in READS_BODY if e.accepts_list], ids=str)
    def test_a_list_with_one_bad_item_stores_none_of_them(self, world, client_for, endpoint):
        good = endpoint.body(world)
        field, (kind, _) = next(iter(endpoint.fields.items()))
        counts = row_counts()

        response = call(world, client_for, endpoint, [good, {**good, field: BAD_VALUES[kind][0]}])

        assert_client_error(response, field)
        assert row_counts() == counts

    @pytest.mark.parametrize(
        ("endpoint", "second"),
        [
            ("labels-POST", lambda w: {"name": "Economic frame", "key": "y"}),  # the same name twice
            ("labels-POST", lambda w: {"name": "Other", "key": "z"}),  # the same key twice
            ("members-POST", lambda w: {"username": "recruit", "role": "annotator"}),  # the same user twice
            ("members-POST", lambda w: {"username": "nobody-by-this-name", "role": "annotator"}),
            ("documents-POST", lambda w: {"text": "Another.", "external_id": "new-1"}),  # the same external id
            ("spans-POST", lambda w: {"label": w.label.pk, "start": 0, "end": len(ARTICLE) + 1}),  # beyond the text
            ("relation-types-POST", lambda w: {"name": "Cites"}),  # the same name twice
            ("relations-POST", lambda w: {"type": w.relation_type.pk, "from_span": w.span.pk, "to_span": w.span.pk}),
            ("questions-POST", lambda w: {"name": "Slant", "kind": "scale", "min": 1, "max": 2}),  # the same name
            ("answers-POST", lambda w: {"question": w.spare_question.pk, "value": "opinion"}),  # a second answer
            ("suggestions-POST", lambda w: {"label": w.label.pk, "start": 0, "end": len(ARTICLE) + 1, "source": "m"}),
            ("suggestions-POST", lambda w: {"label": w.label.pk, "start": 5, "end": 5, "source": "m"}),
        ],
        ids=[
            "label-name",
            "label-key",
            "member-twice",
            "member-unknown",
            "external-id",
            "span-range",
            "relation-type-name",
            "relation-same-span",
            "question-name",
            "answer-twice",
            "suggestion-range",
            "suggestion-empty-range",
        ],
    )
    def test_a_list_whose_later_item_the_service_refuses_stores_none_of_them(self, world, client_for, endpoint, second):
        endpoint = BY_NAME[endpoint]
        counts = row_counts()

        response = call(world, client_for, endpoint, [endpoint.body(world), second(world)])

        assert_client_error(response)
        assert row_counts() == counts

    def test_unknown_role_is_refused(self, world, client_for):
        response = send(
            client_for(world.owner), "post", url(world.project, "members"), {"username": "recruit", "role": "admin"}
        )

        assert_client_error(response, "role")
        assert not Member.objects.filter(user=world.recruit).exists()

    def test_unknown_label_preset_is_refused(self, world, client_for):
        counts = row_counts()

        response = send(client_for(world.owner), "post", "/api/v1/projects/", {"name": "P", "label_preset": "nope"})

        assert_client_error(response, "label_preset")
        assert row_counts() == counts


class TestBadBodies:
    @pytest.mark.parametrize("endpoint", READS_BODY, ids=str)
    @pytest.mark.parametrize("raw", MALFORMED_JSON, ids=lambda raw: repr(raw[:20]))
    def test_malformed_json_is_refused(self, world, client_for, endpoint, raw):
        counts, state = row_counts(), row_state(endpoint.target and endpoint.target(world))

        response = call(world, client_for, endpoint, raw=raw)

        assert_client_error(response, "detail")
        assert row_counts() == counts
        assert row_state(endpoint.target and endpoint.target(world)) == state

    @pytest.mark.parametrize("endpoint", READS_BODY, ids=str)
    @pytest.mark.parametrize("content_type", WRONG_CONTENT_TYPES)
    def test_an_unsupported_content_type_is_refused(self, world, client_for, endpoint, content_type):
        counts = row_counts()

        response = call(world, client_for, endpoint, raw=json.dumps(endpoint.body(world)), content_type=content_type)

        assert response.status_code == 415
        assert_client_error(response, "detail")
        assert row_counts() == counts

    @pytest.mark.parametrize("endpoint", READS_BODY, ids=str)
    @pytest.mark.parametrize("body", NOT_AN_OBJECT, ids=repr)
    def test_top_level_json_that_is_not_an_object_is_refused(self, world, client_for, endpoint, body):
        counts, state = row_counts(), row_state(endpoint.target and endpoint.target(world))

        response = call(world, client_for, endpoint, raw=json.dumps(body))

        assert_client_error(response)
        assert row_counts() == counts
        assert row_state(endpoint.target and endpoint.target(world)) == state

    @pytest.mark.parametrize("endpoint", READS_BODY, ids=str)
    @pytest.mark.parametrize("body", NOT_A_LIST_OF_OBJECTS, ids=repr)
    def test_a_list_that_is_not_a_list_of_objects_is_refused(self, world, client_for, endpoint, body):
        counts, state = row_counts(), row_state(endpoint.target and endpoint.target(world))

        response = call(world, client_for, endpoint, body)

        assert_client_error(response)
        assert row_counts() == counts
        assert row_state(endpoint.target and endpoint.target(world)) == state

    @pytest.mark.parametrize("endpoint", [e for e in READS_BODY if e.accepts_list], ids=str)
    @pytest.mark.parametrize("body", [[None], [None, None], [1, {}]], ids=repr)
    def test_a_list_gets_one_error_object_per_item(self, world, client_for, endpoint, body):
        response = call(world, client_for, endpoint, body)

        assert response.status_code == 400
        errors = response.json()
        assert isinstance(errors, list)
        assert len(errors) == len(body)
        assert all(isinstance(item, dict) and item for item in errors), errors
        assert "non_field_errors" in errors[0]

    @pytest.mark.parametrize("endpoint", [e for e in READS_BODY if not e.accepts_list], ids=str)
    def test_a_list_of_good_objects_is_refused_where_one_object_is_expected(self, world, client_for, endpoint):
        counts = row_counts()

        response = call(world, client_for, endpoint, [endpoint.body(world)])

        assert_client_error(response)
        assert row_counts() == counts


class TestIfMatch:
    GARBAGE = ["abc", '"abc"', "W/", '""', "1.5", "-1", '"1', "99999999999", "²", "١", "0x1", '"1", "2"']
    VERSIONED = [
        "span-PATCH",
        "span-DELETE",
        "review-POST",
        "gold-PATCH",
        "gold-DELETE",
        "relation-PATCH",
        "relation-DELETE",
        "relation-review-POST",
        "gold-relation-PATCH",
        "gold-relation-DELETE",
        "answer-PATCH",
        "answer-DELETE",
        "answer-review-POST",
        "gold-answer-PATCH",
        "gold-answer-DELETE",
    ]

    @pytest.mark.parametrize("endpoint", VERSIONED)
    @pytest.mark.parametrize("header", GARBAGE)
    def test_garbage_if_match_is_refused_naming_the_header(self, world, client_for, endpoint, header):
        endpoint = BY_NAME[endpoint]
        body = {k: v for k, v in endpoint.body(world).items() if k != "version"}
        counts, state = row_counts(), row_state(endpoint.target(world))

        response = call(world, client_for, endpoint, body, HTTP_IF_MATCH=header)

        assert_client_error(response, "If-Match")
        assert row_counts() == counts
        assert row_state(endpoint.target(world)) == state

    @pytest.mark.parametrize("endpoint", VERSIONED)
    def test_a_stale_if_match_is_a_conflict(self, world, client_for, endpoint):
        endpoint = BY_NAME[endpoint]
        body = {k: v for k, v in endpoint.body(world).items() if k != "version"}
        counts, state = row_counts(), row_state(endpoint.target(world))

        response = call(world, client_for, endpoint, body, HTTP_IF_MATCH='"9999999999"')

        assert response.status_code == 409
        assert response.json()["version"] == 1
        assert row_counts() == counts
        assert row_state(endpoint.target(world)) == state


def path_id_cases():
    """(name, caller, method, path builder) for every URL with an id in it; `bad` replaces one id."""
    routes = [
        ("project", "owner", ["get", "patch", "delete"], lambda w, bad: f"/api/v1/projects/{bad}/"),
        ("labels", "owner", ["get", "post"], lambda w, bad: f"/api/v1/projects/{bad}/labels/"),
        ("label", "owner", ["get", "patch", "delete"], lambda w, bad: url(w.project, "labels", bad)),
        ("member", "owner", ["get", "patch", "delete"], lambda w, bad: url(w.project, "members", bad)),
        ("document", "owner", ["get", "patch", "delete"], lambda w, bad: url(w.project, "documents", bad)),
        ("spans-of", "annotator", ["get", "post"], lambda w, bad: url(w.project, "documents", bad, "spans")),
        ("assignment", "owner", ["delete"], lambda w, bad: _doc(w, "assignments", bad)),
        ("submit", "annotator", ["post"], lambda w, bad: url(w.project, "documents", bad, "submit")),
        ("span", "annotator", ["get", "patch", "delete"], lambda w, bad: _doc(w, "spans", bad)),
        ("review", "reviewer", ["post"], lambda w, bad: _doc(w, "spans", bad, "review")),
        ("gold", "reviewer", ["get", "patch", "delete"], lambda w, bad: _doc(w, "gold", bad)),
        ("relation-type", "owner", ["get", "patch", "delete"], lambda w, bad: url(w.project, "relation-types", bad)),
        ("relations-of", "annotator", ["get", "post"], lambda w, bad: url(w.project, "documents", bad, "relations")),
        ("relation", "annotator", ["get", "patch", "delete"], lambda w, bad: _doc(w, "relations", bad)),
        ("relation-review", "reviewer", ["post"], lambda w, bad: _doc(w, "relations", bad, "review")),
        ("gold-relation", "reviewer", ["get", "patch", "delete"], lambda w, bad: _doc(w, "gold-relations", bad)),
        ("question", "owner", ["get", "patch", "delete"], lambda w, bad: url(w.project, "questions", bad)),
        ("answers-of", "annotator", ["get", "post"], lambda w, bad: url(w.project, "documents", bad, "answers")),
        ("answer", "annotator", ["get", "patch", "delete"], lambda w, bad: _doc(w, "answers", bad)),
        ("answer-review", "reviewer", ["post"], lambda w, bad: _doc(w, "answers", bad, "review")),
        ("gold-answer", "reviewer", ["get", "patch", "delete"], lambda w, bad: _doc(w, "gold-answers", bad)),
        ("suggestions-of", "owner", ["get", "post"], lambda w, bad: url(w.project, "documents", bad, "suggestions")),
        ("suggestion", "owner", ["delete"], lambda w, bad: _doc(w, "suggestions", bad)),
        ("suggestion-accept", "annotator", ["post"], lambda w, bad: _doc(w, "suggestions", bad, "accept")),
        ("suggestion-reject", "annotator", ["post"], lambda w, bad: _doc(w, "suggestions", bad, "reject")),
        ("stats", "owner", ["get"], lambda w, bad: f"/api/v1/projects/{bad}/stats/"),
    ]
    for name, caller, methods, path in routes:
        for method in methods:
            for bad in HUGE_PATH_IDS:
                yield pytest.param(caller, method, path, bad, id=f"{method}-{name}-{bad}")


class TestPathIds:
    @pytest.mark.parametrize(("caller", "method", "path", "bad"), list(path_id_cases()))
    def test_an_id_no_row_can_have_is_not_found(self, world, client_for, caller, method, path, bad):
        counts = row_counts()

        response = send(client_for(getattr(world, caller)), method, path(world, bad), {})

        assert response.status_code == 404
        assert_client_error(response, "detail")
        assert row_counts() == counts


LIST_PATHS = {
    "projects": lambda w: "/api/v1/projects/",
    "labels": lambda w: url(w.project, "labels"),
    "members": lambda w: url(w.project, "members"),
    "documents": lambda w: url(w.project, "documents"),
    "assignments": lambda w: _doc(w, "assignments"),
    "spans": lambda w: _doc(w, "spans"),
    "gold": lambda w: _doc(w, "gold"),
    "relation-types": lambda w: url(w.project, "relation-types"),
    "relations": lambda w: _doc(w, "relations"),
    "gold-relations": lambda w: _doc(w, "gold-relations"),
    "questions": lambda w: url(w.project, "questions"),
    "answers": lambda w: _doc(w, "answers"),
    "gold-answers": lambda w: _doc(w, "gold-answers"),
    "suggestions": lambda w: _doc(w, "suggestions"),
    "audit": lambda w: url(w.project, "audit"),
}
PAGING = [
    {"page": "abc"},
    {"page": "0"},
    {"page": "-1"},
    {"page": str(10**20)},
    {"page": "1.5"},
    {"page": "\x00"},
    {"page_size": "-1"},
    {"page_size": "0"},
    {"page_size": "abc"},
    {"page_size": str(10**20)},
    {"page": "1", "page_size": str(10**20)},
    {"page": str(2**63), "page_size": str(2**63)},
]
BAD_FILTERS = [
    ("documents", {"status": "bogus"}),
    ("documents", {"assigned_to": "\x00"}),
    ("documents", {"q": "\x00"}),
    ("documents", {"assigned_to": "me", "status": "\x00"}),
    ("spans", {"label": "abc"}),
    ("spans", {"label": str(10**30)}),
    ("spans", {"label": str(-(10**30))}),
    ("spans", {"annotator": "\x00"}),
    ("spans", {"review_status": "bogus"}),
    ("relations", {"type": "abc"}),
    ("relations", {"type": str(10**30)}),
    ("relations", {"annotator": "\x00"}),
    ("relations", {"review_status": "bogus"}),
    ("answers", {"question": "abc"}),
    ("answers", {"question": str(10**30)}),
    ("answers", {"annotator": "\x00"}),
    ("answers", {"review_status": "bogus"}),
    ("suggestions", {"open": "maybe"}),
    ("suggestions", {"open": "\x00"}),
    ("audit", {"actor": "\x00"}),
    ("audit", {"action": "\x00"}),
]


class TestListQueries:
    @pytest.mark.parametrize("name", LIST_PATHS)
    @pytest.mark.parametrize("query", PAGING, ids=repr)
    def test_odd_paging_is_refused_or_clamped(self, world, client_for, name, query):
        response = client_for(world.owner).get(LIST_PATHS[name](world), query)

        assert response.status_code in {200, 400, 404}
        body = response.json()
        if response.status_code == 200:
            assert len(body["results"]) <= 1000
            assert set(body) == {"count", "next", "previous", "results"}
        elif response.status_code == 400:
            assert set(body) == {"page_size"}  # a page size the schema refuses (1 to 1000)
        else:
            assert "detail" in body

    @pytest.mark.parametrize(("name", "query"), BAD_FILTERS, ids=repr)
    def test_a_bad_filter_value_is_refused_naming_it(self, world, client_for, name, query):
        response = client_for(world.owner).get(LIST_PATHS[name](world), query)

        assert_client_error(response)
        assert response.status_code == 400
        assert set(query) & set(response.json()), response.json()


class TestConflictsAndCredentials:
    def test_deleting_a_label_in_use_is_a_conflict(self, world, client_for):
        response = client_for(world.owner).delete(url(world.project, "labels", world.label))

        assert response.status_code == 409
        assert "detail" in response.json()
        assert Label.objects.filter(pk=world.label.pk).exists()

    def test_changing_the_text_of_an_annotated_document_is_a_conflict(self, world, client_for):
        response = client_for(world.owner).patch(url(world.project, "documents", world.document), {"text": "New."})

        assert response.status_code == 409
        assert "detail" in response.json()
        assert Document.objects.get(pk=world.document.pk).text == ARTICLE

    @pytest.mark.parametrize(
        "credentials",
        [
            {"username": "owner", "password": "wrong"},
            {"username": "nobody", "password": PASSWORD},
            {"username": "owner"},
            {},
        ],
        ids=["wrong-password", "unknown-user", "no-password", "nothing"],
    )
    def test_wrong_credentials_get_400(self, world, client_for, credentials):
        counts = row_counts()

        response = client_for().post("/api/v1/auth/token/", credentials)

        assert response.status_code == 400
        assert response.json()
        assert "token" not in response.json()
        assert row_counts() == counts


# Random payloads: shapes a fuzzer would send, from a fixed seed so a failure reproduces.
ATOMS = [
    0,
    1,
    -1,
    2**31,
    2**63,
    10**30,
    -(10**30),
    1.5,
    1e308,
    -0.0,
    True,
    False,
    None,
    "",
    " ",
    "a",
    "\x00",
    "\ud800",
    "👨\u200d👩\u200d👧",
    "e\u0301",
    "#ffd966",
    "owner",
    "accepted",
    "2024-05-01T10:00:00Z",
    "x" * 20_000,
    "١٢",
]


def random_value(rng, depth=0):
    roll = rng.random()
    if depth < 3 and roll < 0.15:
        return [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    if depth < 3 and roll < 0.3:
        return {rng.choice(["a", "label", "start", "\x00"]): random_value(rng, depth + 1) for _ in range(2)}
    if roll < 0.4:
        return rng.randint(-(2**70), 2**70)
    if roll < 0.5:
        return "".join(chr(rng.choice([0, 0xD800, rng.randint(1, 0x10FFFF)])) for _ in range(rng.randint(1, 5)))
    return rng.choice(ATOMS)


def random_payload(rng, endpoint, world):
    """Mostly the valid body with fields swapped, dropped or added; sometimes anything at all."""
    roll = rng.random()
    if roll < 0.1:
        return random_value(rng)
    body = endpoint.body(world)
    for field in rng.sample(sorted(body) or ["x"], k=min(len(body) or 1, rng.randint(1, 3))):
        if rng.random() < 0.2:
            body.pop(field, None)
        else:
            body[field] = random_value(rng)
    if rng.random() < 0.2:
        body[rng.choice(["extra", "id", "version", "annotator", "project"])] = random_value(rng)
    if endpoint.accepts_list and rng.random() < 0.2:
        return [body, random_payload(rng, endpoint, world)]
    return body


class TestRandomBodies:
    @pytest.mark.parametrize("endpoint", ENDPOINTS, ids=str)
    def test_no_body_of_any_shape_gets_a_server_error(self, world, client_for, endpoint):
        rng = random.Random(1234)  # noqa: S311 (a fixed seed, so a failure reproduces)
        answered = []

        for _ in range(60):
            payload = random_payload(rng, endpoint, world)
            headers = {"HTTP_IF_MATCH": rng.choice(["1", '"1"', "*", "x", "²"])} if rng.random() < 0.2 else {}
            with transaction.atomic():  # every payload meets the same rows, even after one was accepted
                response = call(world, client_for, endpoint, payload, **headers)
                transaction.set_rollback(True)
            answered.append(response.status_code)
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/json"), payload

        assert max(answered) < 500
