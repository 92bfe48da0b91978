"""Offsets are Unicode code points, half-open, as Python slices a str; document text is stored as given but for
line endings, which become "\\n" (SPEC "Offsets"). Text that a browser counts differently sits before every span."""

import pytest

from annotator.models import Document, Span
from annotator.text import normalize_newlines, utf16_length
from tests.conftest import url

TARGET = "the spokesman told reporters"
TAIL = " on Monday, and talks would resume later in the week, according to the outlet."

# What comes before the span: each a way a UTF-16 or byte count would drift from Python's code points.
PREFIXES = {
    "zwj-family": "A family 👨\u200d👩\u200d👧 waited as ",
    "skin-tones": "Thumbs 👍🏽 and 👋🏿 greeted ",
    "flags": "Flags 🇺🇦 and 🇪🇺 flew as ",
    "combining-accents": "At the cafe\u0301, Zoe\u0308 and Ren\u0303e said ",
    "cyrillic": "Речник міністерства Ілля Коваль: ",
    "arabic-rtl": "قال المتحدث باسم الوزارة \u200fإن ",
    "cjk": "外交部发言人表示，谈判将继续。",
    "astral": "Math 𝔸𝔹, Gothic 𐍈 and 😀 before ",
    "crlf": "Headline\r\n\r\nFirst paragraph.\r\n",
    "lone-cr": "Headline\r\rFirst paragraph.\r",
    "mixed-newlines": "One\r\nTwo\rThree\nFour\r\n",
    "everything": "👨\u200d👩\u200d👧 👍🏽 🇺🇦 cafe\u0301 Ілля قال 外交部 𝔸\r\n\r",
}
NEWLINE_CASES = ["crlf", "lone-cr", "mixed-newlines", "everything"]
CRLF_CASES = [name for name in NEWLINE_CASES if "\r\n" in PREFIXES[name]]  # a lone CR keeps the length
# Where a browser's UTF-16 count differs from the code-point count of the text before the span.
ASTRAL_CASES = [name for name, prefix in PREFIXES.items() if utf16_length(prefix) != len(prefix)]


def raw_text(case):
    return PREFIXES[case] + TARGET + TAIL


def stored_text(case):
    return normalize_newlines(raw_text(case))


@pytest.fixture
def post_document(client_for, owner, project):
    """POST one article through the API (as one object, or as a one-item list) and return its JSON."""

    def post(text, *, as_list=False):
        body = [{"text": text}] if as_list else {"text": text}
        response = client_for(owner).post(url(project, "documents"), body)
        assert response.status_code == 201, response.json()
        return response.json()[0] if as_list else response.json()

    return post


def spans_url(project, document, *parts):
    """The spans of `document` (its JSON), or one of them."""
    return url(project, "documents", document["id"], "spans", *parts)


def assert_refused_naming_text(response, document):
    assert response.status_code == 400
    assert "text" in response.json()
    assert not Span.objects.filter(document_id=document["id"]).exists()


def span_at(label, text, start, end, **extra):
    return {"label": label.pk, "start": start, "end": end, "text": text[start:end], **extra}


class TestDocumentTextOnCreate:
    @pytest.mark.parametrize("as_list", [False, True], ids=["one", "list"])
    @pytest.mark.parametrize("case", NEWLINE_CASES)
    def test_line_endings_become_lf_and_nothing_else_changes(self, post_document, case, as_list):
        created = post_document(raw_text(case), as_list=as_list)

        assert created["text"] == stored_text(case)
        assert "\r" not in created["text"]
        assert Document.objects.get(pk=created["id"]).text == stored_text(case)

    @pytest.mark.parametrize("as_list", [False, True], ids=["one", "list"])
    @pytest.mark.parametrize("case", sorted(set(PREFIXES) - set(NEWLINE_CASES)))
    def test_text_without_carriage_returns_is_stored_exactly_as_given(
        self, client_for, annotator, project, post_document, case, as_list
    ):
        created = post_document(raw_text(case), as_list=as_list)

        fetched = client_for(annotator).get(url(project, "documents", created["id"])).json()

        assert fetched["text"] == raw_text(case)
        assert Document.objects.get(pk=created["id"]).text == raw_text(case)


class TestSpanOffsets:
    @pytest.mark.parametrize("case", PREFIXES)
    def test_a_span_after_the_text_reads_back_as_the_python_slice(
        self, client_for, annotator, project, label, post_document, case
    ):
        document = post_document(raw_text(case))
        text = document["text"]
        start = text.index(TARGET)
        client = client_for(annotator)

        created = client.post(spans_url(project, document), span_at(label, text, start, start + len(TARGET)))
        fetched = client.get(spans_url(project, document, created.json()["id"]))
        listed = client.get(spans_url(project, document)).json()["results"]

        assert created.status_code == 201, created.json()
        assert (created.json()["start"], created.json()["end"]) == (start, start + len(TARGET))
        assert fetched.json()["text"] == text[start : start + len(TARGET)] == TARGET
        assert [span["text"] for span in listed] == [TARGET]

    @pytest.mark.parametrize("case", PREFIXES)
    def test_a_span_over_the_tricky_text_itself_reads_back_exactly(
        self, client_for, annotator, project, label, post_document, case
    ):
        document = post_document(raw_text(case))
        text = document["text"]
        end = text.index(TARGET)
        client = client_for(annotator)

        created = client.post(spans_url(project, document), span_at(label, text, 0, end))
        fetched = client.get(spans_url(project, document, created.json()["id"]))

        assert created.status_code == 201, created.json()
        assert fetched.json()["text"] == text[:end] == normalize_newlines(PREFIXES[case])

    def test_a_span_may_end_inside_a_grapheme_cluster(self, client_for, annotator, project, label, post_document):
        # Code points, not graphemes: the UI snaps selections, the API takes what Python slicing takes.
        document = post_document(raw_text("zwj-family"))
        text = document["text"]
        start = text.index("👨")

        created = client_for(annotator).post(spans_url(project, document), span_at(label, text, start, start + 1))

        assert created.status_code == 201, created.json()
        assert created.json()["text"] == "👨"

    @pytest.mark.parametrize("case", ASTRAL_CASES)
    def test_utf16_offsets_are_refused_naming_text(self, client_for, annotator, project, label, post_document, case):
        document = post_document(raw_text(case))
        text = document["text"]
        start = text.index(TARGET)
        start16 = utf16_length(text[:start])
        body = {"label": label.pk, "start": start16, "end": start16 + utf16_length(TARGET), "text": TARGET}

        response = client_for(annotator).post(spans_url(project, document), body)

        assert start16 != start
        assert_refused_naming_text(response, document)

    @pytest.mark.parametrize("case", CRLF_CASES)
    def test_offsets_counted_in_the_text_before_normalising_are_refused_naming_text(
        self, client_for, annotator, project, label, post_document, case
    ):
        document = post_document(raw_text(case))
        raw_start = raw_text(case).index(TARGET)
        body = {"label": label.pk, "start": raw_start, "end": raw_start + len(TARGET), "text": TARGET}

        response = client_for(annotator).post(spans_url(project, document), body)

        assert raw_start != document["text"].index(TARGET)
        assert_refused_naming_text(response, document)

    @pytest.mark.parametrize("case", PREFIXES)
    def test_a_span_without_text_covers_the_python_slice_of_its_offsets(
        self, client_for, annotator, project, label, post_document, case
    ):
        document = post_document(raw_text(case))
        text = document["text"]
        start = text.index(TARGET)
        body = {"label": label.pk, "start": start - 3, "end": start + 3}

        created = client_for(annotator).post(spans_url(project, document), body)

        assert created.status_code == 201, created.json()
        assert created.json()["text"] == text[start - 3 : start + 3]
