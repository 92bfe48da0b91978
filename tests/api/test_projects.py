import re

import pytest

from annotator.models import Document, Label, Member, Project, Role
from annotator.services.projects import project_create
from tests.conftest import url

PROJECTS = "/api/v1/projects/"
COLOR = re.compile(r"^#[0-9a-f]{6}$", re.IGNORECASE)


def labels_of(client, project_id):
    response = client.get(f"{PROJECTS}{project_id}/labels/", {"page_size": 1000})
    assert response.status_code == 200, response.json()
    return response.json()["results"]


class TestProjectCreate:
    def test_the_creator_becomes_owner(self, client_for, owner):
        response = client_for(owner).post(PROJECTS, {"name": "Ceasefire coverage"})

        assert response.status_code == 201, response.json()
        assert response.json()["role"] == "owner"
        member = Member.objects.get(project_id=response.json()["id"])
        assert (member.user, member.role) == (owner, Role.OWNER)

    def test_without_a_label_preset_the_project_starts_with_no_labels(self, client_for, owner):
        client = client_for(owner)

        response = client.post(PROJECTS, {"name": "Blank slate"})

        assert response.status_code == 201, response.json()
        assert labels_of(client, response.json()["id"]) == []

    def test_defaults_are_blind_with_two_annotators_per_document(self, client_for, owner):
        response = client_for(owner).post(PROJECTS, {"name": "Defaults"})

        assert response.status_code == 201, response.json()
        assert response.json()["blind"] is True
        assert response.json()["annotators_per_document"] == 2

    def test_settings_given_at_creation_are_kept(self, client_for, owner):
        body = {
            "name": "Open project",
            "description": "Coverage of the talks",
            "guidelines": "# Guidelines\n\nMark *who* says it.\n",
            "blind": False,
            "annotators_per_document": 3,
        }

        response = client_for(owner).post(PROJECTS, body)

        assert response.status_code == 201, response.json()
        assert {k: response.json()[k] for k in body} == body
        project = Project.objects.get(pk=response.json()["id"])
        assert (project.blind, project.annotators_per_document, project.guidelines) == (False, 3, body["guidelines"])

    @pytest.mark.parametrize("preset", ["framing", "media-frames", "persuasion", "attribution"])
    def test_each_preset_gives_labels_with_unique_keys_colours_and_descriptions(self, client_for, owner, preset):
        client = client_for(owner)

        response = client.post(PROJECTS, {"name": preset, "label_preset": preset})

        assert response.status_code == 201, response.json()
        labels = labels_of(client, response.json()["id"])
        assert labels
        keys = [label["key"] for label in labels]
        assert all(len(key) == 1 and not key.isspace() for key in keys)
        assert len(set(keys)) == len(keys)
        assert len({label["name"] for label in labels}) == len(labels)
        assert all(COLOR.match(label["color"]) for label in labels)
        assert all(label["description"].strip() for label in labels)
        assert all(label["active"] for label in labels)

    def test_the_framing_preset_has_the_framing_analysts_labels(self, client_for, owner):
        client = client_for(owner)

        project_id = client.post(PROJECTS, {"name": "Framing", "label_preset": "framing"}).json()["id"]

        names = {label["name"] for label in labels_of(client, project_id)}
        assert {"Source attribution", "Editorial appeal", "Diplomatic claim"} <= names
        assert len(names) > 3

    @pytest.mark.parametrize(("preset", "count"), [("media-frames", 15), ("persuasion", 23)])
    def test_codebook_presets_have_their_codebooks_number_of_labels(self, client_for, owner, preset, count):
        client = client_for(owner)

        project_id = client.post(PROJECTS, {"name": preset, "label_preset": preset}).json()["id"]

        assert len(labels_of(client, project_id)) == count

    def test_the_attribution_preset_has_source_cue_and_content(self, client_for, owner):
        client = client_for(owner)

        project_id = client.post(PROJECTS, {"name": "PARC", "label_preset": "attribution"}).json()["id"]

        assert {label["name"] for label in labels_of(client, project_id)} == {"Source", "Cue", "Content"}

    def test_an_unknown_preset_is_refused_naming_label_preset(self, client_for, owner):
        response = client_for(owner).post(PROJECTS, {"name": "Typo", "label_preset": "framming"})

        assert response.status_code == 400
        assert "label_preset" in response.json()
        assert not Project.objects.exists()


class TestProjectList:
    def test_lists_only_the_callers_projects_with_the_callers_role(self, client_for, annotator, project, other_project):
        mine = project_create(user=annotator, name="Annotator's own")

        response = client_for(annotator).get(PROJECTS)

        assert response.status_code == 200
        rows = {row["id"]: row["role"] for row in response.json()["results"]}
        assert rows == {project.pk: "annotator", mine.pk: "owner"}
        assert response.json()["count"] == 2

    def test_a_user_in_no_project_gets_an_empty_list(self, client_for, outsider, project):
        response = client_for(outsider).get(PROJECTS)

        assert response.status_code == 200
        assert response.json()["results"] == []
        assert response.json()["count"] == 0

    def test_a_member_reads_the_project_with_their_role(self, client_for, reviewer, project):
        response = client_for(reviewer).get(url(project))

        assert response.status_code == 200
        assert response.json()["name"] == "Ceasefire coverage"
        assert response.json()["role"] == "reviewer"


class TestProjectUpdate:
    def test_owner_changes_the_settings(self, client_for, owner, project):
        body = {"name": "Renamed", "guidelines": "Mark attributions.", "blind": False}

        response = client_for(owner).patch(url(project), body)

        assert response.status_code == 200, response.json()
        assert {k: response.json()[k] for k in body} == body
        project.refresh_from_db()
        assert (project.name, project.guidelines, project.blind) == ("Renamed", "Mark attributions.", False)

    def test_a_partial_change_leaves_the_other_settings_alone(self, client_for, owner, project):
        response = client_for(owner).patch(url(project), {"description": "Now with a description"})

        assert response.status_code == 200, response.json()
        project.refresh_from_db()
        assert project.description == "Now with a description"
        assert (project.name, project.blind, project.annotators_per_document) == ("Ceasefire coverage", True, 2)


class TestProjectDelete:
    def test_owner_deletes_the_project_with_everything_in_it(self, client_for, owner, project, document):
        client = client_for(owner)

        response = client.delete(url(project))

        assert response.status_code == 204
        assert not Project.objects.filter(pk=project.pk).exists()
        assert not Document.objects.filter(pk=document.pk).exists()
        assert not Label.objects.filter(project_id=project.pk).exists()
        assert client.get(url(project)).status_code == 404
