import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from annotator.access import access_project
from annotator.models import Role
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.factories import ARTICLE, UserFactory


@pytest.fixture
def make_user(db):
    def make(username, **kwargs):
        return UserFactory(username=username, **kwargs)

    return make


@pytest.fixture
def owner(make_user):
    return make_user("owner")


@pytest.fixture
def reviewer(make_user):
    return make_user("reviewer")


@pytest.fixture
def annotator(make_user):
    return make_user("annotator")


@pytest.fixture
def annotator2(make_user):
    return make_user("annotator2")


@pytest.fixture
def outsider(make_user):
    return make_user("outsider")


@pytest.fixture
def staff(make_user):
    return make_user("staff", is_staff=True)


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


@pytest.fixture
def project(owner, reviewer, annotator, annotator2):
    """A blind framing project: owner, reviewer, two annotators (each assigned every document)."""
    project = project_create(user=owner, name="Ceasefire coverage", label_preset="framing")
    actor = access_project(owner, project.pk)
    member_add(actor=actor, username=reviewer.username, role=Role.REVIEWER)
    member_add(actor=actor, username=annotator.username, role=Role.ANNOTATOR)
    member_add(actor=actor, username=annotator2.username, role=Role.ANNOTATOR)
    return project


@pytest.fixture
def document(project, owner):
    """A document of `project` with emoji and Cyrillic before its phrases, assigned to both annotators."""
    [document] = document_create_many(
        member=access_project(owner, project.pk),
        items=[{"text": ARTICLE, "title": "Talks resume", "source": "Wire One", "external_id": "talks-1"}],
    )
    return document


@pytest.fixture
def label(project):
    return project.labels.get(name="Source attribution")


@pytest.fixture
def other_project(outsider):
    """A project `outsider` owns, with its own document and label: the source of foreign ids."""
    project = project_create(user=outsider, name="Elsewhere", label_preset="attribution")
    document_create_many(member=access_project(outsider, project.pk), items=[{"text": "Foreign text here."}])
    return project


def url(project, *parts):
    """/api/v1/projects/{p}/<parts>/ with ids or model instances as parts."""
    segments = [str(getattr(part, "pk", part)) for part in parts]
    return "/api/v1/projects/" + "/".join([str(project.pk), *segments]) + "/"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
