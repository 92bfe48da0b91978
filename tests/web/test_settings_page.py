"""The settings page (owners only), and guidelines rendered inert wherever members read them."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.access import access_project
from annotator.models import Role
from annotator.services.labels import label_create
from annotator.services.members import member_add
from annotator.services.projects import project_update
from tests.arrange import make_question, make_relation_type
from tests.factories import UserFactory
from tests.web.arrange import assert_sent_to_sign_in, signed_in
from tests.web.html import attribute, find, find_all, text, tree

HOSTILE_GUIDELINES = (
    "## Sources\n\nMark *every* named source.\n\n"
    "<script>window.pwned = 1</script>\n\n"
    '<img src=x onerror="window.pwned = 2">\n\n'
    '<p style="color: red" onclick="window.pwned = 3">Styled</p>\n\n'
    "[bad link](javascript:window.pwned=4) and [codebook](https://example.org/codebook)"
)


def settings_path(project):
    return f"/projects/{project.pk}/settings/"


def annotate_path(project, document):
    return f"/projects/{project.pk}/documents/{document.pk}/"


def elements(node):
    """Every element under `node`, depth first."""
    for child in getattr(node, "children", []):
        if not isinstance(child, str):
            yield child
            yield from elements(child)


def assert_inert(root):
    """No element the guidelines could have smuggled in: scripts are only the page's own module and data."""
    for element in elements(root):
        names = {name for name, _ in element.attributes}
        assert not {name for name in names if name.startswith("on")}, element
        assert "style" not in names, element
        assert element.name not in {"img", "iframe", "object", "embed"}, element
        if element.name == "script":
            assert names & {"src"} or ("type", "application/json") in element.attributes, element
        if element.name == "a" and "href" in names:
            assert not attribute(element, "href").lower().startswith("javascript"), element


def tagged(node, name):
    """The texts of the `name` elements under `node`."""
    return [text(element) for element in elements(node) if element.name == name]


def page_data(root):
    return json.loads(text(find(root, "id", "settings-data")))


def set_guidelines(owner, project, guidelines):
    project_update(member=access_project(owner, project.pk), guidelines=guidelines)


class TestWhoMayOpenTheSettings:
    def test_the_owner_opens_them_on_the_settings_tab(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        current = find(root, "aria-current", "page")
        assert text(current) == "Settings"
        assert attribute(current, "href") == settings_path(project)

    @pytest.mark.parametrize("role", ["reviewer", "annotator"])
    def test_other_members_are_refused(self, client, project, role, request):
        response = signed_in(client, request.getfixturevalue(role)).get(settings_path(project))

        assert response.status_code == 403

    def test_an_outsider_is_told_the_project_does_not_exist(self, client, project, outsider):
        assert signed_in(client, outsider).get(settings_path(project)).status_code == 404

    def test_an_unknown_project_is_not_found(self, client, project, owner):
        assert signed_in(client, owner).get(f"/projects/{project.pk + 1000}/settings/").status_code == 404

    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, project):
        response = client.get(settings_path(project))

        assert_sent_to_sign_in(response, settings_path(project))

    def test_the_page_carries_the_strict_csp(self, client, project, owner):
        response = signed_in(client, owner).get(settings_path(project))

        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"]


class TestWhatTheSettingsShow:
    def test_the_form_holds_the_projects_fields(self, client, project, owner):
        project_update(
            member=access_project(owner, project.pk), description="Wire copy", blind=False, annotators_per_document=3
        )

        root = tree(signed_in(client, owner).get(settings_path(project)))

        assert attribute(find(root, "id", "project-name"), "value") == "Ceasefire coverage"
        assert text(find(root, "id", "project-description")) == "Wire copy"
        assert "checked" not in dict(find(root, "id", "project-blind").attributes)
        assert attribute(find(root, "id", "project-annotators"), "value") == "3"

    def test_labels_members_and_presets_come_embedded_for_the_script(self, client, project, owner):
        data = page_data(tree(signed_in(client, owner).get(settings_path(project))))

        assert data["project"]["id"] == project.pk
        assert [label["name"] for label in data["labels"]] == list(
            project.labels.order_by("id").values_list("name", flat=True)
        )
        assert {"id", "name", "key", "color", "description", "active"} == set(data["labels"][0])
        assert [(m["username"], m["role"]) for m in data["members"]] == [
            ("owner", "owner"),
            ("reviewer", "reviewer"),
            ("annotator", "annotator"),
            ("annotator2", "annotator"),
        ]
        assert data["presets"][0]["name"] == "framing"
        assert {p["name"] for p in data["presets"]} == {"framing", "media-frames", "persuasion", "attribution"}
        assert data["username"] == "owner"

    def test_the_preset_select_offers_framing_first(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        options = [attribute(option, "value") for option in find_all(find(root, "id", "preset"), "value")]
        assert options[0] == "framing" and len(options) == 4

    def test_label_names_and_project_texts_are_escaped(self, client, project, owner):
        actor = access_project(owner, project.pk)
        label_create(member=actor, name="<b>Bold</b> & <script>window.pwned=1</script>", key="z")
        project_update(member=actor, name="<i>Italic</i> project", description="<svg onload=alert(1)>")

        response = signed_in(client, owner).get(settings_path(project))
        body = response.content.decode()

        assert "<b>Bold</b>" not in body and "<script>window.pwned" not in body
        assert "<i>Italic</i>" not in body and "<svg" not in body
        assert_inert(tree(response))
        names = [label["name"] for label in page_data(tree(response))["labels"]]
        assert "<b>Bold</b> & <script>window.pwned=1</script>" in names

    def test_the_guidelines_preview_is_sanitised_markdown(self, client, project, owner):
        set_guidelines(owner, project, HOSTILE_GUIDELINES)

        response = signed_in(client, owner).get(settings_path(project))
        root = tree(response)
        preview = find(root, "data-testid", "guidelines-preview")

        assert tagged(preview, "h2") == ["Sources"] and tagged(preview, "em") == ["every"]
        assert "window.pwned" not in str(preview)
        assert [attribute(link, "href") for link in find_all(preview, "href")] == ["https://example.org/codebook"]
        assert tagged(preview, "a") == ["bad link", "codebook"]
        assert "<script>window.pwned" not in response.content.decode()
        assert_inert(root)
        assert text(find(root, "id", "project-guidelines")) == " ".join(HOSTILE_GUIDELINES.split())

    QUERIES = 10  # session, user, member with project, labels, relation types, their ends' labels, questions, members,
    # recommenders, jobs

    def test_the_page_costs_the_same_queries_for_few_and_many_labels_and_members(
        self, client, project, owner, django_assert_max_num_queries
    ):
        signed_in(client, owner)
        with CaptureQueriesContext(connection) as few, django_assert_max_num_queries(self.QUERIES):
            assert client.get(settings_path(project)).status_code == 200
        actor = access_project(owner, project.pk)
        for i in range(30):
            label_create(member=actor, name=f"Extra {i}")
            member_add(actor=actor, username=UserFactory(username=f"reader{i}").username, role=Role.REVIEWER)
        with CaptureQueriesContext(connection) as many, django_assert_max_num_queries(self.QUERIES):
            assert client.get(settings_path(project)).status_code == 200

        assert len(many) == len(few)


class TestRelationTypesOnTheSettings:
    def test_they_come_embedded_with_the_labels_their_ends_allow(self, client, project, owner):
        cites = make_relation_type(
            owner, project, "cites", key="q", from_labels=["Source attribution"], to_labels=["Denial", "Speculation"]
        )
        supports = make_relation_type(owner, project, "supports", active=False)

        data = page_data(tree(signed_in(client, owner).get(settings_path(project))))

        ids = dict(project.labels.values_list("name", "id"))
        assert data["relation_types"] == [
            {
                "id": cites.pk,
                "name": "cites",
                "key": "q",
                "color": cites.color,
                "description": "",
                "active": True,
                "from_labels": [ids["Source attribution"]],
                "to_labels": sorted([ids["Denial"], ids["Speculation"]]),
            },
            {
                "id": supports.pk,
                "name": "supports",
                "key": "",
                "color": supports.color,
                "description": "",
                "active": False,
                "from_labels": [],
                "to_labels": [],
            },
        ]

    def test_the_section_and_its_add_form_are_on_the_page(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        assert text(find(root, "id", "relation-types-heading")) == "Relation types"
        assert find(root, "data-testid", "relation-types-table").name == "table"
        form = find(root, "data-testid", "relation-type-add")
        assert {attribute(node, "name") for node in find_all(form, "name")} == {"name", "key", "color", "description"}

    def test_a_project_without_relation_types_embeds_an_empty_list(self, client, project, owner):
        assert page_data(tree(signed_in(client, owner).get(settings_path(project))))["relation_types"] == []

    def test_relation_type_names_and_descriptions_are_escaped(self, client, project, owner):
        make_relation_type(owner, project, "<b>cites</b>", description="<img src=x onerror=window.pwned=1>")

        response = signed_in(client, owner).get(settings_path(project))

        assert "<b>cites</b>" not in response.content.decode() and "<img src=x" not in response.content.decode()
        assert_inert(tree(response))
        assert page_data(tree(response))["relation_types"][0]["name"] == "<b>cites</b>"

    def test_the_preset_select_says_which_presets_bring_relation_types(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        options = {attribute(option, "value"): text(option) for option in find_all(find(root, "id", "preset"), "value")}
        assert options["attribution"] == "attribution (3 labels, 2 relation types)"
        assert options["framing"] == "framing (10 labels)"

    def test_the_presets_carry_their_relation_types_with_the_ends_by_label_name(self, client, project, owner):
        presets = {
            p["name"]: p for p in page_data(tree(signed_in(client, owner).get(settings_path(project))))["presets"]
        }

        assert [
            (t["name"], t["key"], t["from_labels"], t["to_labels"]) for t in presets["attribution"]["relation_types"]
        ] == [
            ("source", "o", ["Cue"], ["Source"]),
            ("content", "n", ["Cue"], ["Content"]),
        ]
        assert presets["framing"]["relation_types"] == []

    QUERIES = TestWhatTheSettingsShow.QUERIES

    def test_the_page_costs_the_same_queries_for_one_relation_type_and_twenty(
        self, client, project, owner, django_assert_max_num_queries
    ):
        labels = list(project.labels.values_list("name", flat=True))
        make_relation_type(owner, project, "type 0", from_labels=labels[:2], to_labels=labels[2:4])
        signed_in(client, owner)
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(self.QUERIES):
            assert client.get(settings_path(project)).status_code == 200
        for i in range(1, 20):
            make_relation_type(owner, project, f"type {i}", from_labels=labels[:3], to_labels=labels[i % 10 :])
        with CaptureQueriesContext(connection) as twenty, django_assert_max_num_queries(self.QUERIES):
            response = client.get(settings_path(project))

        assert len(page_data(tree(response))["relation_types"]) == 20
        assert len(twenty) == len(one)


class TestTheCodebookHistoryOnTheSettings:
    def test_the_page_names_the_current_version_and_leaves_the_versions_to_the_api(self, client, project, owner):
        actor = access_project(owner, project.pk)
        before = actor.project.codebook_version
        label_create(member=actor, name="Rebuttal")
        set_guidelines(owner, project, "Mark every named source.")
        signed_in(client, owner)

        root = tree(client.get(settings_path(project)))

        assert page_data(root)["codebook_version"] == before + 2
        assert text(find(root, "id", "codebook-current")) == str(before + 2)
        assert text(find(root, "id", "codebook-heading")) == "Codebook history"
        assert find(root, "data-testid", "codebook-versions").children == []
        assert "Rebuttal" not in text(find(root, "data-testid", "codebook-history"))

    QUERIES = TestWhatTheSettingsShow.QUERIES

    def test_the_page_costs_the_same_queries_for_one_version_and_forty(
        self, client, project, owner, django_assert_max_num_queries
    ):
        signed_in(client, owner)
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(self.QUERIES):
            response = client.get(settings_path(project))
        first = page_data(tree(response))["codebook_version"]
        for i in range(39):
            set_guidelines(owner, project, f"Take {i}")
        with CaptureQueriesContext(connection) as forty, django_assert_max_num_queries(self.QUERIES):
            response = client.get(settings_path(project))

        assert page_data(tree(response))["codebook_version"] == first + 39
        assert len(forty) == len(one)


class TestQuestionsOnTheSettings:
    def test_they_come_embedded_as_the_api_gives_them(self, client, project, owner):
        tone = make_question(owner, project, "Tone", key="t", required=True)
        slant = make_question(owner, project, "Slant", "scale", min=-3, max=3, active=False)

        data = page_data(tree(signed_in(client, owner).get(settings_path(project))))

        assert data["questions"] == [
            {
                "id": tone.pk,
                "name": "Tone",
                "kind": "single",
                "options": ["pro", "neutral", "anti"],
                "min": None,
                "max": None,
                "required": True,
                "description": "",
                "key": "t",
                "active": True,
            },
            {
                "id": slant.pk,
                "name": "Slant",
                "kind": "scale",
                "options": [],
                "min": -3,
                "max": 3,
                "required": False,
                "description": "",
                "key": "",
                "active": False,
            },
        ]

    def test_a_project_without_questions_embeds_an_empty_list(self, client, project, owner):
        assert page_data(tree(signed_in(client, owner).get(settings_path(project))))["questions"] == []

    def test_the_section_and_its_add_form_are_on_the_page(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        assert text(find(root, "id", "questions-heading")) == "Questions"
        assert find(root, "data-testid", "questions-table").name == "table"
        form = find(root, "data-testid", "question-add")
        assert {attribute(node, "name") for node in find_all(form, "name")} == {
            "name",
            "kind",
            "key",
            "description",
            "required",
        }
        kinds = [attribute(option, "value") for option in find_all(find(root, "id", "new-question-kind"), "value")]
        assert kinds == ["single", "multi", "scale"]

    def test_question_names_options_and_descriptions_are_escaped(self, client, project, owner):
        make_question(
            owner, project, "<b>Tone</b>", options=["<script>window.pwned=1</script>", "anti"],
            description="<img src=x onerror=window.pwned=2>",
        )  # fmt: skip

        response = signed_in(client, owner).get(settings_path(project))

        body = response.content.decode()
        assert "<b>Tone</b>" not in body and "<script>window.pwned" not in body and "<img src=x" not in body
        assert_inert(tree(response))
        assert page_data(tree(response))["questions"][0]["options"][0] == "<script>window.pwned=1</script>"

    def test_the_preset_select_says_which_presets_bring_questions(self, client, project, owner):
        root = tree(signed_in(client, owner).get(settings_path(project)))

        options = {attribute(option, "value"): text(option) for option in find_all(find(root, "id", "preset"), "value")}
        assert options["media-frames"] == "media-frames (15 labels, 2 questions)"
        assert options["persuasion"] == "persuasion (23 labels, 2 questions)"

    QUERIES = TestWhatTheSettingsShow.QUERIES

    def test_the_page_costs_the_same_queries_for_one_question_and_twenty(
        self, client, project, owner, django_assert_max_num_queries
    ):
        make_question(owner, project, "question 0")
        signed_in(client, owner)
        with CaptureQueriesContext(connection) as one, django_assert_max_num_queries(self.QUERIES):
            assert client.get(settings_path(project)).status_code == 200
        for i in range(1, 20):
            make_question(owner, project, f"question {i}", "scale", min=0, max=i)
        with CaptureQueriesContext(connection) as twenty, django_assert_max_num_queries(self.QUERIES):
            response = client.get(settings_path(project))

        assert len(page_data(tree(response))["questions"]) == 20
        assert len(twenty) == len(one)


class TestGuidelinesOnTheAnnotatePage:
    def test_they_come_rendered_in_a_details_element(self, client, project, owner, annotator, document):
        set_guidelines(owner, project, "## Sources\n\n* Mark **every** named source.")

        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))
        details = find(root, "data-testid", "guidelines")

        assert details.name == "details" and "open" not in dict(details.attributes)
        assert text(find(details, "class", "guidelines-body")) == "Sources Mark every named source."
        assert tagged(details, "h2") == ["Sources"] and tagged(details, "strong") == ["every"]

    def test_scripts_handlers_and_javascript_links_in_them_are_inert(self, client, project, owner, annotator, document):
        set_guidelines(owner, project, HOSTILE_GUIDELINES)

        response = signed_in(client, annotator).get(annotate_path(project, document))
        root = tree(response)

        assert "window.pwned" not in str(find(root, "data-testid", "guidelines"))
        assert_inert(root)

    def test_a_project_without_guidelines_shows_none(self, client, project, annotator, document):
        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))

        assert list(find_all(root, "data-testid", "guidelines")) == []

    def test_guidelines_that_sanitise_to_nothing_show_none(self, client, project, owner, annotator, document):
        set_guidelines(owner, project, "<script>window.pwned = 1</script>")

        root = tree(signed_in(client, annotator).get(annotate_path(project, document)))

        assert list(find_all(root, "data-testid", "guidelines")) == []

    def test_label_names_and_descriptions_are_escaped(self, client, project, owner, annotator, document):
        label_create(
            member=access_project(owner, project.pk), name="<b>Bold</b>", key="z", description="<img src=x onerror=1>"
        )

        response = signed_in(client, annotator).get(annotate_path(project, document))

        assert "<b>Bold</b>" not in response.content.decode()
        assert_inert(tree(response))
