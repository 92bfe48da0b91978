"""Guidelines are Markdown written by owners and shown to every member: rendered, then reduced to an allow-list."""

import pytest
from django.utils.safestring import SafeString

from annotator.web.safe_markdown import render_markdown


class TestWhatIsRemoved:
    def test_a_script_tag_is_dropped_with_its_content(self):
        html = render_markdown("Read this.\n\n<script>window.pwned = 1</script>\n\nThen annotate.")

        assert "<script" not in html
        assert "pwned" not in html
        assert "Read this." in html and "Then annotate." in html

    def test_a_raw_img_with_onerror_is_dropped(self):
        html = render_markdown('Look: <img src=x onerror="window.pwned = 1">')

        assert "<img" not in html
        assert "onerror" not in html
        assert "Look:" in html

    def test_event_handler_attributes_on_allowed_tags_are_dropped(self):
        html = render_markdown('<p onclick="window.pwned = 1" onmouseover="x()">Hover me</p>')

        assert "onclick" not in html and "onmouseover" not in html
        assert "<p>Hover me</p>" in html

    def test_style_attributes_are_dropped(self):
        html = render_markdown('<p style="color: red">Red?</p> and <strong style="x">bold</strong>')

        assert "style" not in html
        assert "<strong>bold</strong>" in html

    def test_style_elements_are_dropped_with_their_content(self):
        html = render_markdown("<style>body { display: none }</style>\n\nText")

        assert "<style" not in html and "display" not in html

    @pytest.mark.parametrize(
        "target",
        [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
            "//evil.example/phish",
            "/projects/1/settings/",
        ],
    )
    def test_links_other_than_http_https_and_mailto_lose_their_href(self, target):
        html = render_markdown(f"[click me]({target})")

        assert "href" not in html
        assert "click me" in html

    def test_a_raw_anchor_with_a_javascript_href_loses_it(self):
        html = render_markdown('<a href="javascript:alert(1)" target="_blank">x</a>')

        assert "javascript" not in html and "target" not in html

    @pytest.mark.parametrize("tag", ["iframe", "object", "embed", "form", "svg", "math", "input", "meta"])
    def test_active_and_embedding_elements_are_dropped(self, tag):
        html = render_markdown(f'<{tag} src="x" onload="window.pwned = 1"></{tag}>text')

        assert f"<{tag}" not in html
        assert "onload" not in html

    def test_table_alignment_comes_as_an_attribute_the_csp_allows_not_a_style(self):
        html = render_markdown("| a | b |\n|:--|--:|\n| 1 | 2 |")

        assert 'align="left"' in html and 'align="right"' in html
        assert "style" not in html

    def test_comments_are_dropped(self):
        assert "<!--" not in render_markdown("Before <!-- <script>x()</script> --> after")


class TestWhatSurvives:
    def test_headings_paragraphs_and_emphasis(self):
        html = render_markdown("# Guidelines\n\n## Sources\n\nMark *every* **named** source.")

        assert "<h1>Guidelines</h1>" in html
        assert "<h2>Sources</h2>" in html
        assert "<p>Mark <em>every</em> <strong>named</strong> source.</p>" in html

    def test_bulleted_and_numbered_lists(self):
        html = render_markdown("* one\n* two\n\n3. three\n4. four")

        assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
        assert '<ol start="3">' in html and "<li>four</li>" in html

    def test_links_keep_their_href_and_get_a_safe_rel(self):
        html = render_markdown("See [the codebook](https://example.org/codebook) or [mail](mailto:team@example.org).")

        assert '<a href="https://example.org/codebook" rel="noopener noreferrer nofollow">the codebook</a>' in html
        assert 'href="mailto:team@example.org"' in html

    def test_tables(self):
        html = render_markdown("| Label | Key |\n| --- | --- |\n| Denial | n |")

        assert "<table>" in html and "<th>Label</th>" in html and "<td>Denial</td>" in html

    def test_code_quotes_rules_and_line_breaks(self):
        html = render_markdown("> Quote\n\n`inline <b>`\n\n```\nblock <i>\n```\n\n---\n\nline  \nbreak")

        assert "<blockquote>" in html
        assert "<code>inline &lt;b&gt;</code>" in html
        assert "<pre><code>block &lt;i&gt;\n</code></pre>" in html
        assert "<hr>" in html and "<br>" in html

    def test_the_result_is_marked_safe_for_templates(self):
        assert isinstance(render_markdown("*hi*"), SafeString)

    def test_empty_guidelines_render_as_nothing(self):
        assert render_markdown("") == "" and render_markdown(None) == ""
