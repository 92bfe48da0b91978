"""End-to-end tests: the real UI in Debian's Chromium, driven by Playwright, against a live server."""

import os

import pytest
from playwright.sync_api import sync_playwright

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
    page.on("console", lambda message: _is_problem(message) and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    yield page
    context.close()
    assert not problems, problems


def _is_problem(message):
    """A console error, except the browser's own note of an API answer in the 4xx range: tests provoke those
    on purpose and assert on what the page does with them."""
    api_answer = "/api/" in message.location.get("url", "") and "status of 4" in message.text
    return message.type == "error" and not api_answer


def sign_in(page, user, password):
    page.goto("/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
