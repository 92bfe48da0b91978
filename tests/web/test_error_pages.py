"""Error pages (DEBUG off, as in every test): in Slant's layout, under its CSP, each with a way back; the API's
errors stay JSON."""

import json

import pytest
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.test.html import parse_html
from django.urls import get_resolver

from annotator.web.headers import CSP
from tests.factories import PASSWORD
from tests.web.arrange import signed_in
from tests.web.html import attribute, find, find_all, text


def page(response, status):
    """The parsed error page, after checking its status and that it is an HTML page under the CSP."""
    assert response.status_code == status, response.status_code
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Security-Policy"] == CSP
    return parse_html(response.content.decode())


def assert_slant_layout(root):
    """Slant's header and stylesheet, and nothing the CSP would block: no inline script or style."""
    brand = find(root, "class", "brand")
    assert (text(brand), attribute(brand, "href")) == ("Slant", "/")
    assert any(attribute(link, "href").endswith("annotator/base.css") for link in find_all(root, "rel", "stylesheet"))
    for element in elements(root):
        assert "style" not in dict(element.attributes), element
        assert element.name != "style", element
        assert element.name != "script" or "src" in dict(element.attributes), element


def elements(node):
    for child in getattr(node, "children", []):
        if not isinstance(child, str):
            yield child
            yield from elements(child)


def ways_back(root):
    """{link text: href} of the page's ways back."""
    return {text(link): attribute(link, "href") for link in find_all(find(root, "data-testid", "way-back"), "href")}


def handler500():
    """The view Django calls for an uncaught exception: the project's handler500, else its own."""
    return get_resolver().resolve_error_handler(500)


def exploding_context(request):
    raise RuntimeError("a context processor that fails, as one might while the server is failing")


class TestNotFound:
    def test_a_missing_project_shows_slants_page_with_a_way_back_to_the_projects(self, client, project, owner):
        root = page(signed_in(client, owner).get(f"/projects/{project.pk + 1000}/"), 404)

        assert_slant_layout(root)
        assert "Page not found" in text(find(root, "data-testid", "error"))
        assert ways_back(root) == {"Back to your projects": "/"}

    def test_an_outsider_gets_the_same_page_as_for_a_project_that_does_not_exist(self, client, project, outsider):
        root = page(signed_in(client, outsider).get(f"/projects/{project.pk}/"), 404)

        assert ways_back(root) == {"Back to your projects": "/"}
        assert project.name not in text(root)

    def test_an_anonymous_visitor_is_offered_to_sign_in(self, client, db):
        root = page(client.get("/no-such-page/"), 404)

        assert_slant_layout(root)
        assert ways_back(root) == {"Sign in": "/accounts/login/"}

    def test_api_404s_stay_json(self, client_for, project, owner):
        for path in [f"/api/v1/projects/{project.pk + 1000}/", "/api/v1/no-such-resource/"]:
            response = client_for(owner).get(path)

            assert response.status_code == 404
            assert response["Content-Type"] == "application/json"
            assert response.json() == {"detail": "Not found."}


class TestForbidden:
    def test_a_page_the_role_may_not_open_says_why_with_ways_back(self, client, project, annotator):
        root = page(signed_in(client, annotator).get(f"/projects/{project.pk}/settings/"), 403)

        assert_slant_layout(root)
        assert "Only the project's owners can change its settings." in text(find(root, "data-testid", "error"))
        assert ways_back(root) == {"Back to the project": f"/projects/{project.pk}/", "Back to your projects": "/"}

    def test_a_sign_in_without_its_csrf_token_gets_slants_page_with_a_way_back_to_sign_in(self, annotator):
        browser = Client(enforce_csrf_checks=True)

        response = browser.post("/accounts/login/", {"username": annotator.username, "password": PASSWORD})

        root = page(response, 403)
        assert_slant_layout(root)
        assert "nothing was sent" in text(find(root, "data-testid", "error"))
        assert ways_back(root) == {"Sign in again": "/accounts/login/"}
        assert "_auth_user_id" not in browser.session


class TestBadRequest:
    def test_a_request_for_a_host_not_allowed_gets_slants_page(self, client, db):
        root = page(client.get("/", headers={"host": "elsewhere.example"}), 400)

        assert_slant_layout(root)
        assert ways_back(root) == {"Back to Slant": "/"}


class TestServerError:
    @pytest.fixture
    def failing_context_processors(self, settings):
        engine = {**django_settings.TEMPLATES[0]}
        engine["OPTIONS"] = {"context_processors": [f"{__name__}.exploding_context"]}
        settings.TEMPLATES = [engine]

    # No `db` fixture: pytest-django fails any database access in these tests.
    def test_the_page_renders_without_the_database_or_context_processors(self, failing_context_processors):
        response = handler500()(RequestFactory().get("/projects/1/"))

        assert response.status_code == 500
        root = parse_html(response.content.decode())
        assert_slant_layout(root)
        assert "Something went wrong" in text(find(root, "data-testid", "error"))
        assert ways_back(root) == {"Back to Slant": "/"}

    def test_under_the_api_it_answers_json(self):
        response = handler500()(RequestFactory().post("/api/v1/projects/1/documents/"))

        assert response.status_code == 500
        assert response["Content-Type"] == "application/json"
        assert json.loads(response.content) == {"detail": "Server error."}
