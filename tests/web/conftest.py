import pytest

from tests.web.arrange import add_documents, draw, submit


@pytest.fixture
def work(project, owner, annotator, annotator2):
    """Three documents on both annotators: Wire One's "Story 0" (annotator: 2 spans, submitted; annotator2:
    1 span), Daily Two's "Story 1" (annotator: 1 span), Wire One's "Story 2" (annotator2: submitted)."""
    first, second, third = add_documents(owner, project, 3)
    draw(annotator, project, first, "Source attribution")
    draw(annotator, project, first, "Editorial appeal", "donate")
    draw(annotator, project, second, "Source attribution")
    submit(annotator, project, first)
    draw(annotator2, project, first, "Source attribution")
    submit(annotator2, project, third)
    return first, second, third
