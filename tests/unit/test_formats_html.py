"""annotator/formats/html.py: the article of a saved page, without its navigation, footer or cookie banner."""

import pytest

from annotator.formats import FormatError, html
from tests.unit.formats_data import CAFE, FLAG_UA, GRIN, assert_golden_records, golden_bytes


def page():
    [record] = html.read(golden_bytes("article.html"), filename="ferry.html")
    return record


class TestRead:
    def test_golden_page_reads_as_expected(self):
        assert_golden_records("article.html.records.json", [page()])

    def test_the_article_text_is_kept_with_its_characters(self):
        text = page()["text"]
        assert text.startswith("Harbour council delays the ferry vote\nThe harbour council postponed")
        assert f"said Olena Petrenko {FLAG_UA}, who chairs" in text
        assert "«Нам дали сорок сторінок у п'ятницю»" in text
        assert f"At the {CAFE} by the pier, opinion was split {GRIN} between" in text
        assert text.endswith("with the last boat leaving the pier at 22:40.")
        assert "\r" not in text

    @pytest.mark.parametrize("boilerplate", ["cookies", "Accept all", "Subscribe today", "Weather", "rights reserved"])
    def test_navigation_footer_and_cookie_banner_are_left_out(self, boilerplate):
        assert boilerplate not in page()["text"]

    def test_title_author_date_url_source_and_language_are_extracted(self):
        record = page()
        assert record["title"] == "Harbour council delays the ferry vote"
        assert record["author"] == "Mira Kovač"
        assert record["published_at"] == "2024-03-05T09:30:00+01:00"
        assert record["url"] == "https://ledger.example/harbour/ferry-vote"
        assert record["source"] == "The Quayside Ledger"
        assert record["language"] == "en"

    def test_a_page_without_a_title_is_titled_after_the_file(self):
        body = "<p>The ferry will run on Sundays again, the council said after a long meeting on Tuesday.</p>" * 3
        [record] = html.read(f"<html><body><article>{body}</article></body></html>".encode(), filename="sunday.html")
        assert record["title"] == "sunday"
        assert record["published_at"] is None


class TestReadRefuses:
    @pytest.mark.parametrize("data", [b"", b"<html><head><title>Empty</title></head><body></body></html>"])
    def test_a_page_without_article_text(self, data):
        with pytest.raises(FormatError) as caught:
            html.read(data, filename="empty.html")
        assert [str(problem) for problem in caught.value.problems] == ["No article text was found in the page."]

    def test_non_utf8_bytes_name_their_line(self):
        with pytest.raises(FormatError) as caught:
            html.read("<html>\n<body><p>Рада</p></body></html>".encode("cp1251"), filename="a.html")
        assert caught.value.problems[0].line == 2
