"""The whole API fuzzed from its own OpenAPI schema (schemathesis): no answer is a 5xx, every status is one the
schema documents for that operation, and every body matches the schema of its status.

Bounded and repeatable: EXAMPLES generated cases per operation (plus schemathesis's explicit and boundary cases),
derandomized (the same cases on every run), no example database. The caller is a staff user who owns a seeded
project, and most generated ids are swapped for the ids of its rows, so the fuzz gets past the 404."""

import copy
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import CHECKS as REGISTERED_CHECKS

from tests.conftest import shared_by_class, world_of_new_rows

# CI's bound; a deeper local run: SLANT_FUZZ_EXAMPLES=500 pytest tests/fuzz -n 2
EXAMPLES = int(os.environ.get("SLANT_FUZZ_EXAMPLES", "50"))
MAX_ID = 10**18 - 1  # annotator.converters: at most 18 digits
# Every check schemathesis has (`--checks all`): no 5xx, documented statuses, content types, headers and bodies,
# schema-violating input refused, schema-valid input taken, deleted objects gone, authentication not ignored,
# methods and Allow headers as documented. Not max_response_time: the machine is shared, speed is bench/'s.
CHECKS = [check for check in REGISTERED_CHECKS.get_all() if check.__name__ != "max_response_time"]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
# Schema-valid input may still break a rule no schema can state (an offset past the end of this document's text, a
# label of another project, a name already taken): that is a 400 naming the field (tests/api/test_bad_input.py),
# and the only 4xx beyond the defaults that valid input may get.
schema.config.checks.positive_data_acceptance.expected_statuses = [
    *schema.config.checks.positive_data_acceptance.expected_statuses,
    "400",
]


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """One world for the module, shared as tests/conftest.py's class_world shares one by class: this module's tests
    are functions, for which pytest makes a class-scoped fixture again for each test (0.2–0.7 s, 48 s a run)."""
    yield from shared_by_class(django_db_blocker, world_of_new_rows)


@pytest.fixture
def world(_module_world, db):
    """The module's world, a deep copy as class_world gives it; each operation's changes are rolled back after it."""
    return copy.deepcopy(_module_world)


@pytest.fixture
def seeded(world):
    """The caller, the shared world's owner made staff (so /users/ is open to it too), and the rows the generated
    ids are aimed at, by path parameter name."""
    world.owner.is_staff = True
    world.owner.save(update_fields=["is_staff"])
    return {
        "token": Token.objects.get_or_create(user=world.owner)[0].key,
        "ids": {
            "project_id": world.project.pk,
            "document_id": world.document.pk,
            "label_id": world.label.pk,
            "member_id": world.member.pk,
            "span_id": world.span.pk,
            "gold_id": world.gold.pk,
            "assignment_id": world.assignment.pk,
            "type_id": world.spare_relation_type.pk,
            "relation_id": world.relation.pk,
            "gold_relation_id": world.gold_relation.pk,
            "question_id": world.spare_question.pk,
            "answer_id": world.answer.pk,
            "gold_answer_id": world.gold_answer.pk,
            "suggestion_id": world.suggestion.pk,
            "recommender_id": world.recommender.pk,
            "job_id": world.job.pk,
            "number": 1,  # a codebook version: every project has version 1
        },
        # Body fields that name rows: a label, a span to copy to gold (or a relation's end), a relation type, a
        # relation to copy to gold, a question, an answer to copy to gold, a user to add as a member.
        "body": {
            "label": world.label.pk,
            "from_span": world.span.pk,
            "to_span": world.target.pk,
            "type": world.spare_relation_type.pk,
            "from_relation": world.relation.pk,
            "question": world.spare_question.pk,
            "from_answer": world.answer.pk,
            "username": world.outsider.username,
        },
    }


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Django's WSGI handler closes the database connection after each request, which would end the test's
    transaction; its test client disconnects the same signal handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def aim(case, seeded):
    """Point most generated references at the seeded rows, so that the case reaches the view rather than its 404.
    Values that cannot name a row (of another type, or an id outside 1 .. MAX_ID - 1: the schema's boundary and
    negative cases) stay as drawn."""
    for name, value in case.path_parameters.items():
        if name in seeded["ids"] and _aimable(value, seeded["ids"][name]):
            case.path_parameters[name] = seeded["ids"][name]
    if not case.path_parameters:
        return  # /users/ and /auth/token/: their usernames stay as drawn
    for item in case.body if isinstance(case.body, list) else [case.body]:
        for name, target in seeded["body"].items():
            if isinstance(item, dict) and name in item and _aimable(item[name], target):
                item[name] = target


def _aimable(value, target):
    if isinstance(target, str):
        return isinstance(value, str)
    return type(value) is int and 1 <= value < MAX_ID


@schema.parametrize()
# One seeded world per operation, shared by its examples: a case that deletes a row leaves 404s for the next ones.
# And the machine is shared: how fast cases are generated is not what this test is about.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
def test_every_answer_is_documented_and_none_is_a_5xx(case, seeded):
    aim(case, seeded)
    case.call_and_validate(headers={"Authorization": f"Token {seeded['token']}"}, checks=CHECKS)


@pytest.mark.parametrize("operation", [op.ok() for op in schema.get_all_operations()], ids=lambda op: op.label)
def test_without_credentials_every_operation_answers_a_documented_401(operation, seeded):
    """The token endpoint excepted: it is the way in, and an empty body is a 400 there."""
    ids = {name: value for name, value in seeded["ids"].items() if f"{{{name}}}" in operation.path}
    case = operation.Case(path_parameters=ids)

    response = case.call()

    case.validate_response(response, checks=CHECKS)
    assert response.status_code == (400 if operation.path == "/api/v1/auth/token/" else 401)
