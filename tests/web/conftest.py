import pytest

from tests.arrange import draw, submit
from tests.web.arrange import add_documents


@pytest.fixture
def work(project, owner, annotator, annotator2):
    """Three documents on both annotators: Wire One's "Story 0" (annotator: 2 spans, submitted; annotator2:
    1 span), Daily Two's "Story 1" (annotator: 1 span), Wire One's "Story 2" (annotator2: submitted)."""
    first, second, third = add_documents(owner, project, 3)
    draw(annotator, first, "Source attribution")
    draw(annotator, first, "Editorial appeal", "donate")
    draw(annotator, second, "Source attribution")
    submit(annotator, first)
    draw(annotator2, first, "Source attribution")
    submit(annotator2, third)
    return first, second, third
