"""The import page (owners: documents; owners and reviewers: suggestions) and the export page (owners and
reviewers): who may open them, and that their pickers offer every format of the registry."""

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator import formats
from annotator.access import access_project
from annotator.formats.csv import TABLES as CSV_TABLES
from annotator.models import Role
from annotator.services.members import member_add
from tests.arrange import draw
from tests.factories import UserFactory
from tests.web.arrange import add_documents, assert_sent_to_sign_in, signed_in
from tests.web.html import attribute, find, find_all, text, tree


def import_path(project):
    return f"/projects/{project.pk}/import/"


def export_path(project):
    return f"/projects/{project.pk}/export/"


def options(root, select_id):
    """The option values of the <select> with `select_id`, in order."""
    return [attribute(option, "value") for option in find_all(find(root, "id", select_id), "value")]


def nav_tabs(root):
    return [text(link) for link in find_all(find(root, "aria-label", "Project"), "href")]


class TestWhoMayOpenTheImportPage:
    def test_the_owner_opens_it_on_the_import_tab(self, client, project, owner):
        root = tree(signed_in(client, owner).get(import_path(project)))

        current = find(root, "aria-current", "page")
        assert text(current) == "Import"
        assert attribute(current, "href") == import_path(project)

    def test_a_reviewer_opens_it_to_import_suggestions_only(self, client, project, reviewer):
        root = tree(signed_in(client, reviewer).get(import_path(project)))

        assert text(find(root, "id", "import-heading")) == "Import suggestions"
        assert [attribute(choice, "value") for choice in find_all(root, "name", "layer")] == ["suggestions"]
        assert json.loads(text(find(root, "id", "import-data")))["layers"] == ["suggestions"]

    def test_an_annotator_is_refused(self, client, project, annotator):
        assert signed_in(client, annotator).get(import_path(project)).status_code == 403

    def test_an_outsider_is_told_the_project_does_not_exist(self, client, project, outsider):
        assert signed_in(client, outsider).get(import_path(project)).status_code == 404

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, project):
        response = client.get(import_path(project))

        assert_sent_to_sign_in(response, import_path(project))


class TestWhoMayOpenTheExportPage:
    @pytest.mark.parametrize("role", ["owner", "reviewer"])
    def test_owners_and_reviewers_open_it_on_the_export_tab(self, client, project, role, request):
        root = tree(signed_in(client, request.getfixturevalue(role)).get(export_path(project)))

        current = find(root, "aria-current", "page")
        assert text(current) == "Export"
        assert attribute(current, "href") == export_path(project)

    def test_an_annotator_is_refused(self, client, project, annotator):
        assert signed_in(client, annotator).get(export_path(project)).status_code == 403

    def test_an_outsider_is_told_the_project_does_not_exist(self, client, project, outsider):
        assert signed_in(client, outsider).get(export_path(project)).status_code == 404

    def test_an_unknown_project_is_not_found(self, client, project, owner):
        assert signed_in(client, owner).get(f"/projects/{project.pk + 1000}/export/").status_code == 404

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, project):
        response = client.get(export_path(project))

        assert_sent_to_sign_in(response, export_path(project))


class TestTheNavigation:
    @pytest.mark.parametrize(
        ("role", "tabs"),
        [
            ("owner", {"Import", "Export", "Settings"}),
            ("reviewer", {"Import", "Export"}),
            ("annotator", set()),
        ],
    )
    def test_each_role_sees_the_dataset_tabs_it_may_open(self, client, project, role, tabs, request):
        root = tree(signed_in(client, request.getfixturevalue(role)).get(f"/projects/{project.pk}/"))

        assert set(nav_tabs(root)) & {"Import", "Export", "Settings"} == tabs
        overview_links = {text(link) for link in find_all(find(root, "class", "links"), "href")}
        assert ("Import documents" in overview_links) == (role == "owner")
        assert ("Import suggestions" in overview_links) == (role == "reviewer")
        assert ("Export a dataset" in overview_links) == ("Export" in tabs)


class TestTheImportForm:
    def test_the_format_picker_offers_every_import_format_with_its_description(self, client, project, owner):
        root = tree(signed_in(client, owner).get(import_path(project)))

        assert options(root, "import-format") == [fmt.name for fmt in formats.IMPORT_FORMATS]
        described = {attribute(node, "data-format"): text(node) for node in find_all(root, "data-format")}
        assert described == {fmt.name: " ".join(fmt.description.split()) for fmt in formats.IMPORT_FORMATS}
        assert text(find(root, "data-testid", "format-description")) == formats.IMPORT_FORMATS[0].description

    def test_the_owner_chooses_documents_or_suggestions_documents_first(self, client, project, owner):
        root = tree(signed_in(client, owner).get(import_path(project)))

        choices = list(find_all(root, "name", "layer"))
        assert [attribute(choice, "value") for choice in choices] == ["annotations", "suggestions"]
        assert "checked" in dict(choices[0].attributes)
        assert "Suggestions (predictions)" in text(find(root, "data-testid", "import-layer"))
        assert attribute(find(root, "id", "import-source"), "name") == "source"
        formats_data = json.loads(text(find(root, "id", "import-data")))["formats"]
        assert [fmt["name"] for fmt in formats_data if fmt["reads_predictions"]] == ["jsonl", "labelstudio"]

    def test_the_form_has_a_file_input_and_the_create_labels_choice(self, client, project, owner):
        root = tree(signed_in(client, owner).get(import_path(project)))

        assert attribute(find(root, "id", "import-file"), "type") == "file"
        checkbox = find(root, "id", "import-create-labels")
        assert attribute(checkbox, "name") == "create_labels"
        assert "checked" not in dict(checkbox.attributes)

    def test_the_script_gets_the_project_the_formats_and_the_size_limit(self, client, project, owner, settings):
        settings.SLANT_IMPORT_MAX_BYTES = 3 * 1024 * 1024

        root = tree(signed_in(client, owner).get(import_path(project)))
        data = json.loads(text(find(root, "id", "import-data")))

        assert data["project"] == project.pk
        assert data["max_bytes"] == 3 * 1024 * 1024
        assert [(fmt["name"], fmt["extension"]) for fmt in data["formats"]] == [
            (fmt.name, fmt.extension) for fmt in formats.IMPORT_FORMATS
        ]
        assert "Files up to 3 MB" in text(root)


class TestTheExportForm:
    def test_it_is_a_get_form_for_the_apis_export(self, client, project, owner):
        form = find(tree(signed_in(client, owner).get(export_path(project))), "id", "export-form")

        assert attribute(form, "method") == "get"
        assert attribute(form, "action") == f"/api/v1/projects/{project.pk}/export/"

    def test_the_format_picker_offers_every_export_format_with_its_description(self, client, project, owner):
        root = tree(signed_in(client, owner).get(export_path(project)))

        assert options(root, "export-format") == [fmt.name for fmt in formats.EXPORT_FORMATS]
        described = {attribute(node, "data-format"): text(node) for node in find_all(root, "data-format")}
        assert described == {fmt.name: " ".join(fmt.description.split()) for fmt in formats.EXPORT_FORMATS}
        one_layer = [fmt["name"] for fmt in json.loads(text(find(root, "id", "export-data")))["formats"]
                     if fmt["one_layer"]]  # fmt: skip
        assert one_layer == [fmt.name for fmt in formats.EXPORT_FORMATS if fmt.one_layer]

    def test_the_layers_come_as_radios_with_a_note_each(self, client, project, reviewer):
        root = tree(signed_in(client, reviewer).get(export_path(project)))

        radios = [node for node in find_all(root, "name", "layer")]
        assert [attribute(radio, "value") for radio in radios] == ["annotations", "accepted", "gold"]
        assert "checked" in dict(radios[0].attributes)
        assert "reviewer accepted" in text(root) and "gold layer" in text(root)

    def test_every_csv_table_comes_as_a_radio_with_a_note(self, client, project, owner):
        root = tree(signed_in(client, owner).get(export_path(project)))

        radios = [node for node in find_all(root, "name", "table")]
        assert [attribute(radio, "value") for radio in radios] == list(CSV_TABLES)
        assert "One relation a row" in text(find(root, "id", "export-table"))
        assert "One answer a row" in text(find(root, "id", "export-table"))

    def test_the_annotator_picker_lists_every_annotator_after_all(self, client, project, owner):
        root = tree(signed_in(client, owner).get(export_path(project)))

        assert options(root, "export-annotator") == ["", "annotator", "annotator2"]
        assert text(find(root, "value", "")) == "All annotators"

    def test_a_member_with_spans_is_listed_too_but_not_one_without(self, client, project, owner, reviewer):
        [document] = add_documents(owner, project, 1)
        draw(owner, document, "Source attribution")

        root = tree(signed_in(client, reviewer).get(export_path(project)))

        assert options(root, "export-annotator") == ["", "annotator", "annotator2", "owner"]

    def test_the_zip_box_asks_for_the_dataset_card(self, client, project, owner):
        checkbox = find(tree(signed_in(client, owner).get(export_path(project))), "id", "export-zip")

        assert (attribute(checkbox, "name"), attribute(checkbox, "value")) == ("zip", "true")

    def test_the_forms_plain_get_downloads_with_the_session(self, client, project, owner, reviewer):
        [document] = add_documents(owner, project, 1)
        draw(owner, document, "Source attribution")
        query = {"format": "jsonl", "layer": "annotations", "annotator": "owner", "zip": "true"}

        response = signed_in(client, reviewer).get(f"/api/v1/projects/{project.pk}/export/", query)

        assert response.status_code == 200
        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        assert "README.md" in archive.namelist()

    QUERIES = 4  # session, user, member with project, annotators

    def test_the_page_costs_the_same_queries_for_few_and_many_annotators(
        self, client, project, owner, django_assert_max_num_queries
    ):
        signed_in(client, owner)
        with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(self.QUERIES):
            assert client.get(export_path(project)).status_code == 200
        actor = access_project(owner, project.pk)
        for i in range(30):
            member_add(actor=actor, username=UserFactory(username=f"coder{i}").username, role=Role.ANNOTATOR)
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES):
            response = client.get(export_path(project))
        assert response.status_code == 200

        assert len(many) == len(few)
        assert len(options(tree(response), "export-annotator")) == 33
