"""The overview's charts: the agreement table, pair heat map and label bars for reviewers, the framing profile for
everyone; the numbers are the API's."""

import pytest

from tests.arrange import draw, make_relation_type, relate, submit
from tests.conftest import url
from tests.web.arrange import add_documents, signed_in
from tests.web.html import attribute, find, find_all, text, tree


@pytest.fixture
def compared(project, owner, annotator, annotator2):
    """Two documents both annotators submitted: they agree on one span and disagree on another."""
    first, second = add_documents(owner, project, 2)
    for user in (annotator, annotator2):
        draw(user, first, "Source attribution")
        submit(user, first)
    draw(annotator, second, "Denial", "talks would resume")
    submit(annotator, second)
    submit(annotator2, second)
    return project


class TestAgreementSection:
    def test_the_table_shows_the_figures_the_api_gives(self, client, client_for, reviewer, compared):
        figures = client_for(reviewer).get(url(compared, "agreement")).json()

        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        overall = find(find(page, "data-testid", "agreement-table"), "data-row", "overall")
        for field in ("span_f1_exact", "span_f1_overlap", "cohen_kappa", "krippendorff_alpha"):
            assert text(find(overall, "data-field", field)) == f"{figures['overall'][field]:.3f}"

    def test_the_pair_map_and_label_bars_are_drawn(self, client, reviewer, compared):
        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        pair_map = find(page, "data-testid", "pair-map")
        cells = {(attribute(c, "data-row"), attribute(c, "data-column")) for c in find_all(pair_map, "data-row")}
        assert ("annotator", "annotator2") in cells and ("annotator2", "annotator") in cells
        bars = [attribute(bar, "data-row") for bar in find_all(find(page, "data-testid", "label-alpha"), "data-row")]
        assert bars == ["Source attribution", "Denial"]

    def test_relation_figures_sit_beside_the_span_figures(self, client, client_for, owner, reviewer, project):
        [document] = add_documents(owner, project, 1)
        says = make_relation_type(owner, project, "Says")
        for user in ("annotator", "annotator2"):
            member = project.members.get(user__username=user).user
            source = draw(member, document, "Source attribution")
            relate(member, says, source, draw(member, document, "Denial", "talks would resume"))
            submit(member, document)
        figures = client_for(reviewer).get(url(project, "agreement")).json()["relations"]

        page = tree(signed_in(client, reviewer).get(f"/projects/{project.pk}/"))

        table = find(page, "data-testid", "relation-agreement")
        says_row = find(table, "data-row", "Says")
        assert text(find(says_row, "data-field", "f1_exact")) == f"{figures['types'][0]['f1_exact']:.3f}" == "1.000"
        assert text(find(find(table, "data-row", "annotator · annotator2"), "data-field", "f1_overlap")) == "1.000"

    def test_without_relations_there_is_no_relation_table(self, client, reviewer, compared):
        page = tree(signed_in(client, reviewer).get(f"/projects/{compared.pk}/"))

        assert list(find_all(page, "data-testid", "relation-agreement")) == []

    def test_annotators_do_not_get_the_agreement_section(self, client, annotator, compared):
        page = tree(signed_in(client, annotator).get(f"/projects/{compared.pk}/"))

        assert list(find_all(page, "data-testid", "agreement")) == []


class TestFramingProfile:
    def test_each_outlet_row_carries_its_spans_per_thousand_characters(self, client, client_for, owner, compared):
        stats = client_for(owner).get(url(compared, "stats")).json()
        expected = {row["source"]: row["labels_per_1000_characters"] for row in stats["sources"]}

        chart = find(tree(signed_in(client, owner).get(f"/projects/{compared.pk}/")), "data-testid", "profile-chart")

        shown = {}
        for cell in find_all(chart, "data-column"):
            shown.setdefault(attribute(cell, "data-row"), {})[attribute(cell, "data-column")] = text(
                find(cell, "data-value")
            )
        for source, rates in expected.items():
            for label, rate in rates.items():
                assert shown[source][label] == f"{rate:.2f}"
