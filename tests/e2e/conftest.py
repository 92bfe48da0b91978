"""End-to-end tests: the real UI in Debian's Chromium, driven by Playwright, against a live server."""

import os
from dataclasses import dataclass

import pytest
from playwright.sync_api import sync_playwright

from annotator.models import Role
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.arrange import member_of
from tests.factories import PASSWORD, UserFactory

# Playwright's sync API runs an event loop in the test thread, where the tests also use the ORM to arrange
# data; Django refuses that unless told the loop is not serving requests (it is not: the server has its own).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; console errors and CSP violations fail the test."""
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: _is_problem(message, page) and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems


def _is_problem(message, page):
    """A console error, except the browser's own note of an API answer or of the page itself in the 4xx range, or
    of an API request that never got an answer (a test that cuts the network): tests provoke those on purpose and
    assert on what the page does with them (an error page's status)."""
    url = message.location.get("url", "")
    expected_answer = ("/api/" in url or url == page.url) and "status of 4" in message.text
    cut_off = "/api/" in url and "net::ERR_FAILED" in message.text
    return message.type == "error" and not (expected_answer or cut_off)


def sign_in(page, user, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def open_as(page, user, path, ready="body[data-ready='true']"):
    """Sign `user` in and open `path`, then wait until the page marks itself ready (`ready`, a selector)."""
    sign_in(page, user, PASSWORD)
    page.goto(path)
    page.wait_for_selector(ready)


@dataclass
class Setting:
    """An owner and an annotator in a framing project, with the documents `setting_documents` asks for."""

    owner: object
    annotator: object
    project: object
    documents: list

    @property
    def document(self):
        return self.documents[0]


@pytest.fixture
def setting_documents():
    """The fields of each document `setting` adds: none, unless a module overrides this fixture."""
    return []


@pytest.fixture
def setting(transactional_db, setting_documents):
    owner, annotator = UserFactory(username="owner"), UserFactory(username="annotator")
    project = project_create(user=owner, name="Ceasefire coverage", label_preset="framing")
    member_add(actor=member_of(owner, project), username=annotator.username, role=Role.ANNOTATOR)
    documents = document_create_many(member=member_of(owner, project), items=setting_documents)
    return Setting(owner=owner, annotator=annotator, project=project, documents=documents)
