"""The schema and the server say the same thing (issue 12's schemathesis findings): what the schema refuses, the
server refuses with a 400 naming the field; what the schema allows, the server takes."""

import pytest

from annotator.models import Document, Label, Member, Project
from tests.conftest import url


@pytest.fixture
def schema(client_for, owner):
    return client_for(owner).get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


class TestPageSize:
    @pytest.mark.parametrize("value", ["abc", "1.5", "0", "-3", "1001", "١٢"])
    def test_a_page_size_the_schema_refuses_is_400(self, client_for, owner, project, value):
        response = client_for(owner).get(url(project, "labels"), {"page_size": value})
        assert response.status_code == 400
        assert "page_size" in response.json()

    def test_a_page_size_in_range_is_taken(self, client_for, owner, project):
        response = client_for(owner).get(url(project, "labels"), {"page_size": "2"})
        assert response.status_code == 200
        assert len(response.json()["results"]) == 2

    def test_the_schema_gives_the_range(self, schema):
        parameters = schema["paths"]["/api/v1/projects/{project_id}/labels/"]["get"]["parameters"]
        [page_size] = [parameter for parameter in parameters if parameter["name"] == "page_size"]
        assert (page_size["schema"]["minimum"], page_size["schema"]["maximum"]) == (1, 1000)


class TestJsonTypes:
    @pytest.mark.parametrize("blind", ["true", "false", 1, 0])
    def test_blind_must_be_a_json_boolean(self, client_for, owner, project, blind):
        response = client_for(owner).patch(url(project), {"blind": blind})
        assert response.status_code == 400
        assert response.json() == {"blind": ["Must be a boolean."]}
        assert Project.objects.get(pk=project.pk).blind is True

    def test_a_number_where_a_string_goes_is_refused(self, client_for, annotator, document, label):
        body = {"label": label.pk, "start": 4, "end": 12, "note": 12}
        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)
        assert response.status_code == 400
        assert response.json() == {"note": ["Must be a string."]}

    def test_a_string_where_an_integer_goes_is_refused(self, client_for, annotator, document, label):
        body = {"label": str(label.pk), "start": 4, "end": 12}
        response = client_for(annotator).post(url(document.project, "documents", document, "spans"), body)
        assert response.status_code == 400
        assert response.json() == {"label": ["Must be an integer."]}

    def test_each_item_of_a_list_is_checked(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "labels"), [{"name": "Fine"}, {"name": 7}])
        assert response.status_code == 400
        assert response.json() == [{}, {"name": ["Must be a string."]}]
        assert not Label.objects.filter(project=project, name="Fine").exists()


class TestLabelColor:
    def test_an_empty_colour_is_refused(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "labels"), {"name": "Appeal to fear", "color": ""})
        assert response.status_code == 400
        assert "color" in response.json()


class TestMemberPatch:
    def test_a_patch_without_role_changes_nothing(self, client_for, owner, project, annotator):
        member = Member.objects.get(project=project, user=annotator)
        response = client_for(owner).patch(url(project, "members", member), {})
        assert response.status_code == 200
        assert response.json()["role"] == "annotator"

    def test_the_schema_marks_role_optional_as_the_server_reads_it(self, schema):
        request = schema["components"]["schemas"]["PatchedMemberRoleRequest"]
        assert "role" not in request.get("required", [])


class TestDocumentFields:
    def test_metadata_null_is_refused_and_the_schema_says_object(self, client_for, owner, project, schema):
        response = client_for(owner).post(url(project, "documents"), {"text": "t", "metadata": None})
        assert response.status_code == 400
        assert "metadata" in response.json()
        metadata = schema["components"]["schemas"]["DocumentRequest"]["properties"]["metadata"]
        assert metadata["type"] == "object"
        assert not metadata.get("nullable")

    @pytest.mark.parametrize("address", ['https://example.org/a"b', "https://example.org/a b", "https://e.org/{x}"])
    def test_a_url_no_address_may_hold_is_refused(self, client_for, owner, project, address):
        response = client_for(owner).post(url(project, "documents"), {"text": "t", "url": address})
        assert response.status_code == 400
        assert "url" in response.json()
        assert not Document.objects.filter(project=project).exists()

    def test_an_address_with_letters_beyond_ascii_is_taken(self, client_for, owner, project):
        address = "https://новини.example/статті/перемовини"
        response = client_for(owner).post(url(project, "documents"), {"text": "t", "url": address})
        assert response.status_code == 201
        assert response.json()["url"] == address


class TestIdFilters:
    @pytest.mark.parametrize("value", ["0", "-1", "1.5", "x"])
    def test_a_label_filter_the_schema_refuses_is_400(self, client_for, owner, document, value):
        response = client_for(owner).get(url(document.project, "documents", document, "spans"), {"label": value})
        assert response.status_code == 400

    def test_the_schema_gives_the_label_filter_its_range(self, schema):
        path = "/api/v1/projects/{project_id}/documents/{document_id}/spans/"
        [label] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "label"]
        assert (label["schema"]["type"], label["schema"]["minimum"]) == ("integer", 1)


class TestRelationSchema:
    def test_end_labels_are_a_list_of_label_ids_in_the_schema_and_at_the_server(
        self, schema, client_for, owner, project
    ):
        from_labels = schema["components"]["schemas"]["RelationTypeCreateRequest"]["properties"]["from_labels"]
        response = client_for(owner).post(
            url(project, "relation-types"), {"name": "Says", "from_labels": ["1"]}, format="json"
        )

        assert (from_labels["type"], from_labels["items"]["type"], from_labels["items"]["minimum"]) == (
            "array",
            "integer",
            1,
        )
        assert from_labels["maxItems"] == 1000
        assert response.status_code == 400
        assert response.json() == {"from_labels": ["Each item must be an integer."]}

    def test_a_relation_patch_names_no_end_as_the_server_changes_none(self, schema):
        patch = schema["components"]["schemas"]["PatchedRelationUpdateRequest"]["properties"]
        assert set(patch) == {"type", "note", "version"}

    def test_the_schema_gives_the_type_filter_its_range(self, schema):
        path = "/api/v1/projects/{project_id}/documents/{document_id}/relations/"
        [type_filter] = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == "type"]
        assert (type_filter["schema"]["type"], type_filter["schema"]["minimum"]) == ("integer", 1)


class TestAnswerSchema:
    def test_a_value_is_an_option_a_list_of_options_or_an_integer_in_the_schema(self, schema):
        value = schema["components"]["schemas"]["AnswerCreateRequest"]["properties"]["value"]

        assert [kind["type"] for kind in value["oneOf"]] == ["string", "array", "integer"]

    def test_an_answer_patch_names_no_question_as_the_server_changes_none(self, schema, client_for, world):
        patch = schema["components"]["schemas"]["PatchedAnswerUpdateRequest"]["properties"]
        path = url(world.project, "documents", world.document, "answers", world.answer)

        response = client_for(world.annotator).patch(path, {"value": "anti", "question": world.spare_question.pk})

        assert set(patch) == {"value", "version"}
        assert response.status_code == 400
        assert list(response.json()) == ["question"]

    def test_a_questions_options_and_bounds_have_the_servers_limits(self, schema, client_for, owner, project):
        fields = schema["components"]["schemas"]["QuestionCreateRequest"]["properties"]
        response = client_for(owner).post(
            url(project, "questions"), {"name": "Slant", "kind": "scale", "min": 0, "max": 2**31}, format="json"
        )

        assert (fields["options"]["maxItems"], fields["options"]["items"]["maxLength"]) == (100, 200)
        assert fields["max"]["maximum"] == 2**31 - 1
        assert response.status_code == 400
        assert list(response.json()) == ["max"]

    def test_submits_400_naming_the_unanswered_questions_is_in_the_schema(self, schema, client_for, world):
        path = "/api/v1/projects/{project_id}/documents/{document_id}/submit/"
        refused = schema["paths"][path]["post"]["responses"]["400"]["content"]["application/json"]["schema"]
        world.spare_question.required = True
        world.spare_question.save(update_fields=["required"])

        response = client_for(world.annotator).post(url(world.project, "documents", world.document, "submit"))

        assert refused["$ref"].endswith("/Unanswered")
        assert schema["components"]["schemas"]["Unanswered"]["required"] == ["questions"]
        assert (response.status_code, response.json()) == (400, {"questions": ["Genre"]})
