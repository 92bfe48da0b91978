"""The pages the server renders carry the security headers SPEC asks of every page."""

import pytest


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/v1/docs/"])
def test_page_sends_strict_csp_nosniff_and_frame_protection(client, db, path):
    response = client.get(path)

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_sign_in_form_posts_username_and_password_with_csrf(client, db):
    body = client.get("/accounts/login/").content.decode()

    assert 'name="username"' in body and 'name="password"' in body
    assert "csrfmiddlewaretoken" in body


def test_signing_in_with_the_form_opens_a_session_the_api_accepts(client, owner):
    response = client.post("/accounts/login/", {"username": "owner", "password": "correct-horse-battery-staple"})

    assert response.status_code == 302
    assert client.get("/api/v1/users/me/").json()["username"] == "owner"


def test_session_writes_need_the_csrf_token(owner):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)

    refused = browser.post("/api/v1/projects/", {"name": "No token"}, content_type="application/json")
    browser.get("/accounts/login/")  # sets the csrftoken cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/v1/projects/", {"name": "With token"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201
