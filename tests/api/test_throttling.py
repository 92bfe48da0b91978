"""Password guessing: POST /auth/token/ and the sign-in form lock a username out from one address after
AXES_FAILURE_LIMIT failures (429), for AXES_COOLOFF_TIME after the last counted one."""

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import F
from django.test import Client, override_settings
from rest_framework.test import APIClient

from tests.factories import PASSWORD

TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def token_request(username, password, address=HOME):
    return APIClient().post(TOKEN, {"username": username, "password": password}, REMOTE_ADDR=address)


def form_sign_in(username, password, address=HOME):
    return Client().post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def fail_until_locked(username, address=HOME):
    """The failures that lock `username` out from `address`: all but the last answer 400, the last 429."""
    answers = [token_request(username, "not-the-password", address) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert [a.status_code for a in answers] == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    return answers[-1]


def age_failures(by):
    """Move every recorded failure `by` (a timedelta) into the past, as if that much time had gone by."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


class TestTokenThrottle:
    def test_the_limit_th_failure_answers_429_with_a_detail_and_retry_after(self, annotator):
        response = fail_until_locked("annotator")

        assert response.status_code == 429
        assert set(response.json()) == {"detail"}
        assert "Too many failed sign-ins" in response.json()["detail"]
        assert int(response["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()

    def test_failures_under_the_limit_leave_the_right_password_working(self, annotator):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert token_request("annotator", "not-the-password").status_code == 400

        response = token_request("annotator", PASSWORD)

        assert response.status_code == 200
        assert response.json()["token"]

    def test_a_locked_out_pair_is_refused_even_the_right_password(self, annotator):
        fail_until_locked("annotator")

        response = token_request("annotator", PASSWORD)

        assert response.status_code == 429
        assert "token" not in response.json()

    def test_the_same_user_from_another_address_still_gets_a_token(self, annotator):
        fail_until_locked("annotator", HOME)

        response = token_request("annotator", PASSWORD, ELSEWHERE)

        assert response.status_code == 200
        assert response.json()["token"]

    def test_another_user_from_the_same_address_still_gets_a_token(self, annotator, reviewer):
        fail_until_locked("annotator", HOME)

        response = token_request("reviewer", PASSWORD, HOME)

        assert response.status_code == 200
        assert response.json()["token"]

    def test_unknown_usernames_are_locked_out_too(self, db):
        response = fail_until_locked("nobody")

        assert response.json()["detail"].startswith("Too many failed sign-ins")

    def test_the_lockout_ends_after_the_cool_off(self, annotator):
        fail_until_locked("annotator")
        age_failures(settings.AXES_COOLOFF_TIME)

        response = token_request("annotator", PASSWORD)

        assert response.status_code == 200
        assert response.json()["token"]

    def test_guessing_during_the_lockout_does_not_stretch_it(self, annotator):
        fail_until_locked("annotator")
        age_failures(settings.AXES_COOLOFF_TIME / 2)
        assert token_request("annotator", "still-guessing").status_code == 429

        age_failures(settings.AXES_COOLOFF_TIME / 2)

        assert token_request("annotator", PASSWORD).status_code == 200

    def test_a_success_clears_the_count(self, annotator):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            token_request("annotator", "not-the-password")
        assert token_request("annotator", PASSWORD).status_code == 200

        answers = [token_request("annotator", "not-the-password") for _ in range(settings.AXES_FAILURE_LIMIT - 1)]

        assert [a.status_code for a in answers] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
        assert token_request("annotator", PASSWORD).status_code == 200

    def test_a_username_too_long_to_be_a_user_is_refused_before_it_reaches_the_attempt_log(self, db):
        # The log's username column holds 255 characters: PostgreSQL would refuse a longer one with a 500.
        response = token_request("x" * 300, "not-the-password")

        assert response.status_code == 400
        assert "username" in response.json()
        assert not AccessAttempt.objects.exists()

    def test_failures_are_kept_in_the_database_so_every_worker_counts_them(self, annotator):
        token_request("annotator", "not-the-password")
        token_request("annotator", "not-the-password")

        [attempt] = AccessAttempt.objects.filter(username="annotator", ip_address=HOME)
        assert attempt.failures_since_start == 2
        assert "not-the-password" not in attempt.post_data


class TestSignInFormThrottle:
    def test_the_form_answers_a_readable_429_page_after_the_limit(self, annotator):
        answers = [form_sign_in("annotator", "not-the-password") for _ in range(settings.AXES_FAILURE_LIMIT)]

        assert [a.status_code for a in answers[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)
        locked = answers[-1]
        assert locked.status_code == 429
        assert locked["Content-Type"].startswith("text/html")
        assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
        page = locked.content.decode()
        assert "<h1>Sign-in paused</h1>" in page
        assert "Too many failed sign-ins" in page
        assert "Try again in 15 minutes." in page
        assert 'href="/accounts/login/"' in page

    def test_a_locked_out_pair_cannot_sign_in_with_the_right_password(self, annotator):
        fail_until_locked("annotator")

        response = form_sign_in("annotator", PASSWORD)

        assert response.status_code == 429
        assert "_auth_user_id" not in response.wsgi_request.session

    def test_the_form_and_the_token_endpoint_share_one_count(self, annotator):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            assert token_request("annotator", "not-the-password").status_code == 400

        assert form_sign_in("annotator", "not-the-password").status_code == 429

    def test_the_right_password_signs_in_and_clears_the_count(self, annotator):
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):
            form_sign_in("annotator", "not-the-password")

        response = form_sign_in("annotator", PASSWORD)

        assert response.status_code == 302
        assert not AccessAttempt.objects.filter(username="annotator").exists()

    def test_after_the_cool_off_the_form_signs_in_again(self, annotator):
        fail_until_locked("annotator")
        age_failures(settings.AXES_COOLOFF_TIME)

        assert form_sign_in("annotator", PASSWORD).status_code == 302


BALANCER = "10.0.0.2"


def through_balancer(username, password, client, forged=None):
    """A token request that came through the team's load balancer: REMOTE_ADDR is the balancer's and the balancer
    appended the address it saw (after whatever the client put in X-Forwarded-For itself)."""
    forwarded = f"{forged}, {client}" if forged else client
    return APIClient().post(
        TOKEN, {"username": username, "password": password}, REMOTE_ADDR=BALANCER, HTTP_X_FORWARDED_FOR=forwarded
    )


class TestBehindALoadBalancer:
    @override_settings(SLANT_PROXY_COUNT=1)
    def test_clients_behind_one_balancer_are_counted_apart(self, annotator):
        statuses = [
            through_balancer("annotator", "not-the-password", HOME).status_code
            for _ in range(settings.AXES_FAILURE_LIMIT)
        ]
        assert statuses[-1] == 429

        assert through_balancer("annotator", PASSWORD, ELSEWHERE).status_code == 200
        assert through_balancer("annotator", PASSWORD, HOME).status_code == 429

    @override_settings(SLANT_PROXY_COUNT=1)
    def test_what_the_client_writes_in_x_forwarded_for_does_not_count(self, annotator):
        statuses = [
            through_balancer("annotator", "not-the-password", HOME, forged=f"192.0.2.{n}").status_code
            for n in range(settings.AXES_FAILURE_LIMIT)
        ]

        assert statuses == [400] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
        assert AccessAttempt.objects.get().ip_address == HOME

    @override_settings(SLANT_PROXY_COUNT=1)
    def test_a_header_that_is_not_an_address_counts_against_the_peer(self, annotator):
        response = through_balancer("annotator", "not-the-password", "not-an-address")

        assert response.status_code == 400
        assert AccessAttempt.objects.get().ip_address == BALANCER

    def test_without_proxies_configured_the_header_is_ignored(self, annotator):
        for client in ("192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"):
            assert through_balancer("annotator", "not-the-password", client).status_code == 400

        assert through_balancer("annotator", "not-the-password", "192.0.2.5").status_code == 429
        assert AccessAttempt.objects.get().ip_address == BALANCER
