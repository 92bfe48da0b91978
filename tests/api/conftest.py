import pytest

from tests.api.live import Api
from tests.arrange import phrase
from tests.conftest import document_url


@pytest.fixture
def api(live_server):
    """An HTTP client of the live server (tests/api/live.py)."""
    return Api(live_server)


@pytest.fixture
def post_span(client_for):
    """Draw a span through the API: `user`'s span over the first `text` of `document`; asserts the 201 and
    returns the span's JSON."""

    def post(user, document, label, text="told reporters", **fields):
        start, end = phrase(text, document.text)
        body = {"label": label.pk, "start": start, "end": end, **fields}
        response = client_for(user).post(document_url(document, "spans"), body)
        assert response.status_code == 201, response.json()
        return response.json()

    return post
