import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient

from tests.factories import PASSWORD

USERS = "/api/v1/users/"
ME = "/api/v1/users/me/"
TOKEN = "/api/v1/auth/token/"
STRONG = "long-enough and uncommon 4 slant"


class TestUserCreate:
    def test_staff_creates_a_user_who_can_then_sign_in(self, client_for, staff):
        response = client_for(staff).post(
            USERS, {"username": "analyst", "password": STRONG, "email": "analyst@example.org"}
        )

        assert response.status_code == 201, response.json()
        assert {k: response.json()[k] for k in ("username", "email", "is_staff")} == {
            "username": "analyst",
            "email": "analyst@example.org",
            "is_staff": False,
        }
        assert "password" not in response.json()
        assert get_user_model().objects.get(username="analyst").check_password(STRONG)

    def test_email_is_optional(self, client_for, staff):
        response = client_for(staff).post(USERS, {"username": "analyst", "password": STRONG})

        assert response.status_code == 201, response.json()
        assert response.json()["email"] == ""

    @pytest.mark.parametrize("password", ["short1!", "12345678901", "password123", "analyst12"])
    def test_a_weak_password_is_refused_naming_password(self, client_for, staff, password):
        response = client_for(staff).post(USERS, {"username": "analyst", "password": password})

        assert response.status_code == 400
        assert "password" in response.json()
        assert not get_user_model().objects.filter(username="analyst").exists()

    def test_a_taken_username_is_refused_naming_username(self, client_for, staff, annotator):
        response = client_for(staff).post(USERS, {"username": "annotator", "password": STRONG})

        assert response.status_code == 400
        assert "username" in response.json()
        assert get_user_model().objects.get(username="annotator").check_password(PASSWORD)


class TestMe:
    def test_answers_the_signed_in_user(self, client_for, annotator):
        response = client_for(annotator).get(ME)

        assert response.status_code == 200
        assert response.json()["id"] == annotator.pk
        assert response.json()["username"] == "annotator"
        assert response.json()["is_staff"] is False

    def test_staff_see_that_they_are_staff(self, client_for, staff):
        assert client_for(staff).get(ME).json()["is_staff"] is True


class TestToken:
    def test_right_credentials_give_a_token_that_works(self, annotator):
        client = APIClient()

        response = client.post(TOKEN, {"username": "annotator", "password": PASSWORD})

        assert response.status_code == 200, response.json()
        assert set(response.json()) == {"token"}
        client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
        assert client.get(ME).json()["username"] == "annotator"

    def test_asking_twice_gives_the_same_token(self, annotator):
        first = APIClient().post(TOKEN, {"username": "annotator", "password": PASSWORD})
        second = APIClient().post(TOKEN, {"username": "annotator", "password": PASSWORD})

        assert first.json()["token"] == second.json()["token"]

    def test_a_user_created_by_staff_gets_a_token(self, client_for, staff):
        client_for(staff).post(USERS, {"username": "analyst", "password": STRONG})

        response = APIClient().post(TOKEN, {"username": "analyst", "password": STRONG})

        assert response.status_code == 200, response.json()
        assert response.json()["token"]

    def test_wrong_credentials_answer_400(self, annotator):
        response = APIClient().post(TOKEN, {"username": "annotator", "password": "not-the-password"})

        assert response.status_code == 400
        assert "token" not in response.json()

    def test_an_unknown_token_is_refused(self, annotator):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")

        response = client.get(ME)

        assert response.status_code == 401
