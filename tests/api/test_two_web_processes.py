"""Two web processes on one database, as a team runs them on two machines behind a balancer without sticky sessions
(docs/deployment.md): each is `manage.py serve --no-worker` (gunicorn) with a data folder of its own and the same
SLANT_SECRET_KEY, and whatever one of them records (a session, failed sign-ins, a cached value) the other honours."""

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache

from tests.e2e.worker import database_url
from tests.factories import PASSWORD, UserFactory

READY_WITHIN_S = 90
TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"


class Browser:
    """One visitor's cookies, sent to whichever process the balancer picks (a cookie names a host, not a port)."""

    def __init__(self):
        self.cookies = {}

    def request(self, port, method, path, form=None, body=None, headers=None):
        """(status, headers, text) of one request to the process on `port`; redirects are not followed."""
        headers = {**(headers or {})}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        payload = None
        if form is not None:
            payload = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        elif body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            text = response.read().decode()
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def csrf_headers(self):
        return {"X-CSRFToken": self.cookies["csrftoken"]}

    def sign_in(self, port, username, password):
        self.request(port, "GET", LOGIN)  # the CSRF cookie
        form = {"username": username, "password": password, "csrfmiddlewaretoken": self.cookies["csrftoken"]}
        return self.request(port, "POST", LOGIN, form=form)


def make_user(username):
    """A user whose password the web processes can check: hashed by their PBKDF2 (the suite's own hasher, MD5, is
    not one of theirs), with few rounds to stay quick."""
    hasher = PBKDF2PasswordHasher()
    user = UserFactory(username=username)
    user.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    user.save(update_fields=["password"])
    return user


def token_request(port, username, password):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        body = json.dumps({"username": username, "password": password})
        conn.request("POST", TOKEN, body=body, headers={"Content-Type": "application/json"})
        return conn.getresponse().status
    finally:
        conn.close()


def answers(port):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", LOGIN)
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def web_processes(django_db_setup, tmp_path_factory):
    """The ports of two `manage.py serve --no-worker` processes (gunicorn, one worker each) on the test database,
    each with its own SLANT_DATA_DIR (as on two machines) and the one SLANT_SECRET_KEY a team sets on every
    machine; started once for the module (each start takes seconds)."""
    tmp_path = tmp_path_factory.mktemp("web")
    secret = secrets.token_urlsafe(50)
    processes, ports = [], []
    try:
        for name in ("web-a", "web-b"):
            data_dir = tmp_path / name
            data_dir.mkdir()
            port = free_port()
            env = {
                **os.environ,
                "DATABASE_URL": database_url(),
                "SLANT_DATA_DIR": str(data_dir),
                "SLANT_SECRET_KEY": secret,
                "SLANT_DEBUG": "0",
            }
            bind = ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--worker-class", "gthread", "--threads", "2"]
            with (data_dir / "serve.log").open("w") as log:
                processes.append(
                    subprocess.Popen(  # noqa: S603 (our own manage.py)
                        [sys.executable, "manage.py", "serve", "--no-worker", "--", *bind],
                        cwd=settings.BASE_DIR,
                        env=env,
                        stdout=log,
                        stderr=subprocess.STDOUT,
                        start_new_session=True,
                    )
                )
            ports.append(port)
        deadline = time.monotonic() + READY_WITHIN_S
        while not all(answers(port) for port in ports):
            assert time.monotonic() < deadline, [(tmp_path / n / "serve.log").read_text() for n in ("web-a", "web-b")]
            assert all(process.poll() is None for process in processes)
            time.sleep(0.2)
        yield ports
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@pytest.fixture
def two_web_processes(web_processes, transactional_db):
    """The two processes' ports, in a test whose rows they see (committed) and that are gone after it."""
    return web_processes


class TestTwoWebProcesses:
    def test_a_session_made_on_one_process_works_on_the_other_until_signed_out_on_either(self, two_web_processes):
        web_a, web_b = two_web_processes
        make_user("annotator")
        browser = Browser()

        status, headers, _ = browser.sign_in(web_a, "annotator", PASSWORD)
        assert status == 302, "the sign-in on A is accepted"
        assert "sessionid" in browser.cookies

        status, _, _ = browser.request(web_b, "GET", "/")
        assert status == 200, "B knows the session A made"
        # A write through B with the session and the CSRF token A handed out.
        status, _, text = browser.request(
            web_b, "POST", "/api/v1/projects/", body={"name": "Made on B"}, headers=browser.csrf_headers()
        )
        assert status == 201, text

        status, _, _ = browser.request(web_b, "POST", "/accounts/logout/", form={}, headers=browser.csrf_headers())
        assert status == 302
        status, headers, _ = browser.request(web_a, "GET", "/")
        assert status == 302
        assert headers["Location"].startswith(LOGIN)

    def test_failed_sign_ins_spread_over_both_processes_lock_the_user_out_on_both(self, two_web_processes):
        web_a, web_b = two_web_processes
        make_user("annotator")
        make_user("reviewer")
        ports = [web_a, web_b] * settings.AXES_FAILURE_LIMIT

        statuses = [
            token_request(port, "annotator", "not-the-password") for port in ports[: settings.AXES_FAILURE_LIMIT]
        ]

        assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
        assert token_request(web_a, "annotator", PASSWORD) == 429
        assert token_request(web_b, "annotator", PASSWORD) == 429
        assert token_request(web_b, "reviewer", PASSWORD) == 200, "another user is not locked out"


@pytest.mark.django_db(transaction=True)
class TestSharedCache:
    def test_a_value_cached_by_one_process_is_read_by_another(self):
        key = f"deploy-probe-{secrets.token_hex(4)}"
        cache.set(key, "cached by the test process", 60)
        env = {**os.environ, "DATABASE_URL": database_url(), "SLANT_DATA_DIR": str(settings.DATA_DIR)}
        try:
            read = subprocess.run(  # noqa: S603 (our own manage.py)
                [
                    sys.executable,
                    "manage.py",
                    "shell",
                    "-v0",
                    "-c",
                    f"from django.core.cache import cache; print(cache.get({key!r}))",
                ],
                cwd=settings.BASE_DIR,
                env=env,
                capture_output=True,
                text=True,
                check=True,
                timeout=120,
            )
        finally:
            cache.delete(key)

        assert read.stdout.strip() == "cached by the test process"
