import copy
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connections, transaction
from django.test import override_settings
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.access import access_project
from annotator.models import Assignment, Member, Role
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.suggestions import suggestion_reject
from tests.arrange import (
    answer,
    answer_gold,
    draw,
    draw_gold,
    make_job,
    make_question,
    make_recommender,
    make_relation_type,
    member_of,
    relate,
    relate_gold,
    suggest,
)
from tests.factories import ARTICLE, UserFactory

# The fixtures through which a test reaches the suite's database: pytest-django blocks every other way in (a query
# outside them fails "Database access not allowed"), `_django_db_helper` is what `db`, `transactional_db` and the
# django_db mark come down to, `live_server` brings `transactional_db`, and `django_db_setup` is what a shared
# class fixture (shared_by_class) or a subprocess on the test database (database_url()) needs first.
DATABASE_FIXTURES = frozenset(
    {
        "_django_db_helper",
        "db",
        "transactional_db",
        "django_db_reset_sequences",
        "django_db_serialized_rollback",
        "live_server",
        "django_db_setup",
    }
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "no_database: set by tests/conftest.py on every test that reaches no database (none of DATABASE_FIXTURES, no "
        "django_db mark): pure functions, parsers, γ's maths, golden files. CI's PostgreSQL leg deselects them "
        '(-m "not no_database"): they would run there exactly as they ran in the SQLite leg.',
    )


@pytest.hookimpl(tryfirst=True)  # before `-m` deselects by the mark
def pytest_collection_modifyitems(items):
    for item in items:
        if not item.get_closest_marker("django_db") and DATABASE_FIXTURES.isdisjoint(item.fixturenames):
            item.add_marker(pytest.mark.no_database)


@pytest.hookimpl(tryfirst=True)
def pytest_fixture_setup(fixturedef, request):
    """The guard on the mark: a test marked no_database that reaches a database fixture anyway (through
    request.getfixturevalue, which the collection cannot see) fails, in the SQLite leg, rather than go untested on
    PostgreSQL."""
    item = getattr(request, "_pyfuncitem", None)
    if fixturedef.argname in DATABASE_FIXTURES and item is not None and item.get_closest_marker("no_database"):
        pytest.fail(f"{item.nodeid} is marked no_database but uses {fixturedef.argname}: request it statically")


@pytest.fixture
def make_user(db):
    def make(username, **kwargs):
        return UserFactory(username=username, **kwargs)

    return make


def _user(username, **fields):
    """A fixture named `username`: the user of that name, made on first use."""

    @pytest.fixture(name=username)
    def user(make_user):
        return make_user(username, **fields)

    return user


owner = _user("owner")
reviewer = _user("reviewer")
annotator = _user("annotator")
annotator2 = _user("annotator2")
outsider = _user("outsider")
staff = _user("staff", is_staff=True)


@pytest.fixture
def client_for(db):
    """An API client that authenticates as `user` with a real token (None: anonymous)."""

    def make(user=None):
        client = APIClient()
        if user is not None:
            token, _ = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


def make_project(owner, reviewer, annotator, annotator2):
    project = project_create(user=owner, name="Ceasefire coverage", label_preset="framing")
    actor = access_project(owner, project.pk)
    member_add(actor=actor, username=reviewer.username, role=Role.REVIEWER)
    member_add(actor=actor, username=annotator.username, role=Role.ANNOTATOR)
    member_add(actor=actor, username=annotator2.username, role=Role.ANNOTATOR)
    return project


def make_third_annotator(project, owner):
    user = UserFactory(username="annotator3")
    member_add(actor=access_project(owner, project.pk), username=user.username, role=Role.ANNOTATOR)
    return user


def make_document(project, owner):
    [document] = document_create_many(
        member=access_project(owner, project.pk),
        items=[{"text": ARTICLE, "title": "Talks resume", "source": "Wire One", "external_id": "talks-1"}],
    )
    return document


@pytest.fixture
def project(owner, reviewer, annotator, annotator2):
    """A blind framing project: owner, reviewer, two annotators (each assigned every document)."""
    return make_project(owner, reviewer, annotator, annotator2)


@pytest.fixture
def third_annotator(make_user, project, owner):
    """An annotator who joins `project` after its documents are fully assigned, so is on none of them."""
    return make_third_annotator(project, owner)


@pytest.fixture
def document(project, owner):
    """A document of `project` with emoji and Cyrillic before its phrases, assigned to both annotators."""
    return make_document(project, owner)


@pytest.fixture
def label(project):
    return project.labels.get(name="Source attribution")


@pytest.fixture
def other_project(outsider):
    """A project `outsider` owns, with its own document and label: the source of foreign ids."""
    return make_other_project(outsider)


def make_other_project(outsider):
    project = project_create(user=outsider, name="Elsewhere", label_preset="attribution")
    document_create_many(member=access_project(outsider, project.pk), items=[{"text": "Foreign text here."}])
    return project


@pytest.fixture
def span(annotator, document, label):
    """`annotator`'s span over "told reporters" in `document`, at version 1."""
    return make_span(annotator, document, label)


@pytest.fixture
def gold(reviewer, document, label):
    """`reviewer`'s gold span over "he said" in `document`, at version 1."""
    return make_gold(reviewer, document, label)


def make_span(annotator, document, label):
    return draw(annotator, document, label, "told reporters")


def make_gold(reviewer, document, label):
    return draw_gold(reviewer, document, label, "he said")


@dataclass
class World:
    """One project with a row of every kind, fresh for each test: something real for every endpoint to act on
    or refuse to change. Attributes are named by role, so `getattr(world, role)` is that role's user."""

    owner: object
    reviewer: object
    annotator: object
    annotator2: object
    outsider: object
    staff: object
    recruit: object  # a user who is no member yet
    third_annotator: object  # an annotator member on no document
    project: object
    document: object
    label: object  # the label the span and the gold span carry
    spare_label: object  # a label nothing uses
    member: object  # annotator2's membership, safe to change or remove
    assignment: object  # annotator2's assignment on `document`
    span: object  # `annotator`'s, over "told reporters"
    gold: object  # `reviewer`'s, over "he said"
    relation_type: object  # "Says": from a Source attribution to any label
    spare_relation_type: object  # a relation type nothing uses, whose ends take any label
    target: object  # `annotator`'s Diplomatic claim over "We expect a result within weeks"
    relation: object  # `annotator`'s "Says" from `span` to `target`
    gold_target: object  # `reviewer`'s gold Diplomatic claim over "talks would resume"
    gold_relation: object  # "Says" from `gold` to `gold_target`
    question: object  # "Tone": single, pro / neutral / anti
    spare_question: object  # "Genre": single, nothing answers it
    answer: object  # `annotator`'s "pro" to `question`
    gold_answer: object  # `reviewer`'s gold "neutral" to `question`
    suggestion: object  # a Diplomatic claim over "talks would resume", by lexicon:cues, decided by nobody
    recommender: object  # "cues": a lexicon naming Source attribution, no job queued
    job: object  # a finished job of a recommender "memo" (memory)
    anonymous: None = None
    caller: object = None  # the user a request is made as, for bodies that name the caller's own rows

    def ids(self):
        """The ids a path names, by its parameter name."""
        return {
            "p": self.project.pk,
            "d": self.document.pk,
            "l": self.spare_label.pk,
            "m": self.member.pk,
            "a": self.assignment.pk,
            "s": self.span.pk,
            "g": self.gold.pk,
            "t": self.spare_relation_type.pk,
            "r": self.relation.pk,
            "gr": self.gold_relation.pk,
            "q": self.spare_question.pk,
            "an": self.answer.pk,
            "ga": self.gold_answer.pk,
            "sg": self.suggestion.pk,
            "rc": self.recommender.pk,
            "j": self.job.pk,
        }

    def relation_body(self):
        """A body for a new relation by `caller`: between two spans drawn for them now (the annotator's own when
        the caller may not draw: their request is refused before the body matters)."""
        member_roles = {self.owner, self.reviewer, self.annotator, self.annotator2}
        if self.caller not in member_roles:
            return {"type": self.spare_relation_type.pk, "from_span": self.span.pk, "to_span": self.target.pk}
        source = draw(self.caller, self.document, "Source attribution", "Ілля Коваль")
        claim = draw(self.caller, self.document, "Official statement", "talks would resume")
        return {"type": self.relation_type.pk, "from_span": source.pk, "to_span": claim.pk}

    def decided(self):
        """No body; the caller's rejection of the world's suggestion, recorded now when the caller may decide (a
        request by anyone else is refused before it matters)."""
        if self.caller in {self.owner, self.reviewer, self.annotator}:
            suggestion_reject(member=member_of(self.caller, self.project), suggestion=self.suggestion)

    def answer_body(self):
        """A body for a new answer by `caller`: to the question nobody has answered yet."""
        return {"question": self.spare_question.pk, "value": "satire"}


@pytest.fixture
def world(owner, reviewer, annotator, annotator2, outsider, staff, make_user, third_annotator, project, document,
          label, span, gold):  # fmt: skip
    return make_world(owner, reviewer, annotator, annotator2, outsider, staff, third_annotator, project, document,
                      label, span, gold)  # fmt: skip


def make_world(owner, reviewer, annotator, annotator2, outsider, staff, third_annotator, project, document, label,
               span, gold):  # fmt: skip
    relation_type = make_relation_type(owner, project, "Says", key="q", from_labels=[label])
    question = make_question(owner, project, "Tone", key="1")
    target = draw(annotator, document, "Diplomatic claim", "We expect a result within weeks")
    gold_target = draw_gold(reviewer, document, "Diplomatic claim", "talks would resume")
    return World(
        owner=owner,
        reviewer=reviewer,
        annotator=annotator,
        annotator2=annotator2,
        outsider=outsider,
        staff=staff,
        recruit=UserFactory(username="recruit"),
        third_annotator=third_annotator,
        project=project,
        document=document,
        label=label,
        spare_label=project.labels.get(name="Editorial appeal"),
        member=Member.objects.get(project=project, user=annotator2),
        assignment=Assignment.objects.get(document=document, user=annotator2),
        span=span,
        gold=gold,
        relation_type=relation_type,
        spare_relation_type=make_relation_type(owner, project, "Spare"),
        target=target,
        relation=relate(annotator, relation_type, span, target),
        gold_target=gold_target,
        gold_relation=relate_gold(reviewer, relation_type, gold, gold_target),
        question=question,
        spare_question=make_question(owner, project, "Genre", options=["opinion", "reporting", "satire"]),
        answer=answer(annotator, document, question, "pro"),
        gold_answer=answer_gold(reviewer, document, question, "neutral"),
        suggestion=suggest(owner, document, "Diplomatic claim", "talks would resume"),
        recommender=make_recommender(owner, project, "cues", [(label, "told reporters")]),
        job=make_job(owner, project),
    )


def app_models():
    """Every model of the app, in dependency order: the tables any request could write to. Derived, so a new kind
    of row is counted by the tests that show a refused request changed nothing without anyone listing it."""
    return list(apps.get_app_config("annotator").get_models())


def url(project, *parts):
    """/api/v1/projects/{p}/<parts>/ with ids or model instances as parts."""
    segments = [str(getattr(part, "pk", part)) for part in parts]
    return "/api/v1/projects/" + "/".join([str(project.pk), *segments]) + "/"


def document_url(document, *parts):
    """/api/v1/projects/{p}/documents/{d}/<parts>/ of `document`."""
    return url(document.project, "documents", document, *parts)


FAST_HASHING = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """MD5 instead of PBKDF2 for every test's passwords: its hundreds of thousands of rounds per sign-in and per
    user made cost seconds across the suite, and no test is about the strength of the hash."""
    with FAST_HASHING:
        yield


@pytest.fixture(autouse=True, scope="session")
def _static_files_looked_up_when_asked_for():
    """WhiteNoise looks a static file up when a request asks for it (its autorefresh) instead of listing every
    static file of every app when its middleware is made: each test client makes the middleware again (each
    APIClient, and client_for makes one per call), and the listing of ~230 files cost 50 ms a client, most of the
    time of a typical API test. It serves the same files with the same headers either way."""
    with override_settings(WHITENOISE_AUTOREFRESH=True):
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_by_delete_on_postgresql():
    """After each transactional test (the live server's, the races'), empty the tables with DELETE instead of
    Django's one TRUNCATE of all 31 tables: on PostgreSQL that TRUNCATE took 0.6–1.5 s (new files for every table),
    the DELETEs of the few rows a test leaves 2–40 ms. The tables end as empty either way; the foreign keys are
    deferred, so the order does not matter. A flush that resets sequences or cascades keeps Django's TRUNCATE."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        deletes = (f"DELETE FROM {self.quote_name(table)}" for table in tables)  # noqa: S608 (names from Django)
        return ["SET CONSTRAINTS ALL DEFERRED", *deletes]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


def world_of_new_rows():
    """A World of rows made here, from no fixtures: what the shared worlds (class_world, tests/fuzz's) are built of."""
    users = {name: UserFactory(username=name) for name in ("owner", "reviewer", "annotator", "annotator2", "outsider")}
    users["staff"] = UserFactory(username="staff", is_staff=True)
    project = make_project(users["owner"], users["reviewer"], users["annotator"], users["annotator2"])
    third_annotator = make_third_annotator(project, users["owner"])
    document = make_document(project, users["owner"])
    label = project.labels.get(name="Source attribution")
    span = make_span(users["annotator"], document, label)
    gold = make_gold(users["reviewer"], document, label)
    return make_world(**users, third_annotator=third_annotator, project=project, document=document, label=label,
                      span=span, gold=gold)  # fmt: skip


@pytest.fixture(scope="class")
def arrange_class_world():
    """More rows for a class's shared world, arranged once with it: a function of the world. A module overrides
    this; by default, nothing more."""
    return lambda world: None


def shared_by_class(django_db_blocker, build):
    """For a class-scoped fixture (`yield from shared_by_class(django_db_blocker, build)`): the rows `build()` makes,
    once for all the tests of a class, in a transaction rolled back after the last of them. Each test's own
    transaction (pytest-django's `db`) is a savepoint inside it, rolled back after the test, so every test still
    starts from the same rows. For rows that take long to arrange and that many tests only read or change in their
    own transaction; only for classes whose tests all use them (the rows stay until the class ends)."""
    with django_db_blocker.unblock():
        atomics = {alias: transaction.atomic(using=alias) for alias in connections}
        for atomic in atomics.values():
            atomic._from_testcase = True  # a durable atomic block inside a test is allowed, as in TestCase
            atomic.__enter__()
        try:
            built = build()
        except BaseException:
            _roll_back(atomics)
            raise
    try:
        yield built
    finally:
        with django_db_blocker.unblock():
            _roll_back(atomics)


def _roll_back(atomics):
    for alias, atomic in reversed(atomics.items()):
        transaction.set_rollback(True, using=alias)
        atomic.__exit__(None, None, None)


@pytest.fixture(scope="class")
def _class_world(django_db_setup, django_db_blocker, arrange_class_world):
    """One World for all the tests of a class (shared_by_class): building it once instead of per test was most of
    the time of the classes that parametrise a request over hundreds of cases."""

    def build():
        world = world_of_new_rows()
        arrange_class_world(world)
        return world

    yield from shared_by_class(django_db_blocker, build)


@pytest.fixture
def class_world(_class_world, db):
    """The class's shared world (_class_world) as `world` gives it: for a module whose tests use `world` and
    none of the fixtures it is made of (`owner`, `project` …), which would be other rows. A deep copy, so a test
    that changes an object of it (`world.caller = …`) changes nothing for the next test."""
    return copy.deepcopy(_class_world)
