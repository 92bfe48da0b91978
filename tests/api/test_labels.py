import re

import pytest

from annotator.models import Label, Span
from tests.conftest import url
from tests.factories import ARTICLE


def span_body(label, phrase):
    start = ARTICLE.index(phrase)
    return {"label": label.pk, "start": start, "end": start + len(phrase)}


class TestLabelCreate:
    def test_owner_adds_a_label(self, client_for, owner, project):
        body = {"name": "Hedging", "key": "h", "color": "#12ab34", "description": "Words that soften a claim."}

        response = client_for(owner).post(url(project, "labels"), body)

        assert response.status_code == 201, response.json()
        assert {k: response.json()[k] for k in body} == body
        assert response.json()["active"] is True
        assert Label.objects.filter(project=project, name="Hedging", key="h").exists()

    def test_a_label_without_a_colour_gets_one(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "labels"), {"name": "Hedging"})

        assert response.status_code == 201, response.json()
        assert re.fullmatch(r"#[0-9a-fA-F]{6}", response.json()["color"])

    def test_a_name_the_project_already_has_is_refused_naming_name(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "labels"), {"name": "Source attribution", "key": "z"})

        assert response.status_code == 400
        assert "name" in response.json()
        assert Label.objects.filter(project=project, name="Source attribution").count() == 1

    def test_a_key_the_project_already_uses_is_refused_naming_key(self, client_for, owner, project):
        taken = project.labels.get(name="Source attribution").key

        response = client_for(owner).post(url(project, "labels"), {"name": "Hedging", "key": taken})

        assert response.status_code == 400
        assert "key" in response.json()
        assert not Label.objects.filter(project=project, name="Hedging").exists()

    def test_a_name_and_key_used_in_another_project_are_free_here(self, client_for, owner, project, other_project):
        foreign = other_project.labels.get(name="Source")

        response = client_for(owner).post(url(project, "labels"), {"name": foreign.name, "key": "9"})

        assert response.status_code == 201, response.json()
        assert project.labels.filter(name="Source").exists()

    def test_labels_without_a_key_may_be_many(self, client_for, owner, project):
        client = client_for(owner)

        first = client.post(url(project, "labels"), {"name": "Hedging", "key": ""})
        second = client.post(url(project, "labels"), {"name": "Irony", "key": ""})

        assert (first.status_code, second.status_code) == (201, 201)

    @pytest.mark.parametrize("color", ["red", "#fff", "#12345g", "123456", "#1234567"])
    def test_a_colour_that_is_not_rrggbb_is_refused_naming_color(self, client_for, owner, project, color):
        response = client_for(owner).post(url(project, "labels"), {"name": "Hedging", "color": color})

        assert response.status_code == 400
        assert "color" in response.json()
        assert not Label.objects.filter(project=project, name="Hedging").exists()

    def test_posting_a_list_answers_201_with_the_list(self, client_for, owner, project):
        body = [{"name": "Hedging", "key": "1"}, {"name": "Irony", "key": "2"}]

        response = client_for(owner).post(url(project, "labels"), body)

        assert response.status_code == 201, response.json()
        assert [row["name"] for row in response.json()] == ["Hedging", "Irony"]
        assert all(isinstance(row["id"], int) for row in response.json())
        assert set(project.labels.filter(key__in=["1", "2"]).values_list("name", flat=True)) == {"Hedging", "Irony"}

    def test_a_list_with_one_bad_label_stores_none_of_them(self, client_for, owner, project):
        body = [{"name": "Hedging", "key": "1"}, {"name": "Source attribution", "key": "2"}]

        response = client_for(owner).post(url(project, "labels"), body)

        assert response.status_code == 400
        assert not project.labels.filter(name="Hedging").exists()


class TestLabelUpdate:
    def test_owner_renames_and_recolours_a_label(self, client_for, owner, label):
        response = client_for(owner).patch(
            url(label.project, "labels", label), {"name": "Attribution", "color": "#00aa00"}
        )

        assert response.status_code == 200, response.json()
        label.refresh_from_db()
        assert (label.name, label.color) == ("Attribution", "#00aa00")

    def test_renaming_to_a_taken_name_is_refused_naming_name(self, client_for, owner, label):
        response = client_for(owner).patch(url(label.project, "labels", label), {"name": "Editorial appeal"})

        assert response.status_code == 400
        assert "name" in response.json()
        label.refresh_from_db()
        assert label.name == "Source attribution"

    def test_taking_another_labels_key_is_refused_naming_key(self, client_for, owner, label):
        other_key = label.project.labels.get(name="Editorial appeal").key

        response = client_for(owner).patch(url(label.project, "labels", label), {"key": other_key})

        assert response.status_code == 400
        assert "key" in response.json()

    def test_keeping_its_own_name_and_key_is_fine(self, client_for, owner, label):
        response = client_for(owner).patch(
            url(label.project, "labels", label), {"name": label.name, "key": label.key, "description": "Who said it."}
        )

        assert response.status_code == 200, response.json()
        assert response.json()["description"] == "Who said it."

    def test_a_bad_colour_is_refused_naming_color(self, client_for, owner, label):
        response = client_for(owner).patch(url(label.project, "labels", label), {"color": "blue"})

        assert response.status_code == 400
        assert "color" in response.json()

    def test_a_deactivated_label_refuses_new_spans_naming_label(self, client_for, owner, annotator, document, label):
        response = client_for(owner).patch(url(label.project, "labels", label), {"active": False})

        assert response.status_code == 200, response.json()
        assert response.json()["active"] is False
        refused = client_for(annotator).post(
            url(document.project, "documents", document, "spans"), span_body(label, "told reporters")
        )
        assert refused.status_code == 400
        assert "label" in refused.json()
        assert not Span.objects.exists()

    def test_a_deactivated_label_keeps_its_spans_and_stays_listed(self, client_for, owner, annotator, document, label):
        created = client_for(annotator).post(
            url(document.project, "documents", document, "spans"), span_body(label, "told reporters")
        )
        assert created.status_code == 201, created.json()

        client_for(owner).patch(url(label.project, "labels", label), {"active": False})

        assert Span.objects.filter(pk=created.json()["id"], label=label).exists()
        listed = client_for(annotator).get(url(label.project, "labels"))
        assert {row["id"]: row["active"] for row in listed.json()["results"]}[label.pk] is False

    def test_a_reactivated_label_takes_spans_again(self, client_for, owner, annotator, document, label):
        client_for(owner).patch(url(label.project, "labels", label), {"active": False})

        client_for(owner).patch(url(label.project, "labels", label), {"active": True})

        response = client_for(annotator).post(
            url(document.project, "documents", document, "spans"), span_body(label, "told reporters")
        )
        assert response.status_code == 201, response.json()


class TestLabelDelete:
    def test_an_unused_label_is_deleted(self, client_for, owner, label):
        response = client_for(owner).delete(url(label.project, "labels", label))

        assert response.status_code == 204
        assert not Label.objects.filter(pk=label.pk).exists()

    def test_a_label_spans_use_is_refused_with_409(self, client_for, owner, annotator, document, label):
        client_for(annotator).post(
            url(document.project, "documents", document, "spans"), span_body(label, "told reporters")
        )

        response = client_for(owner).delete(url(label.project, "labels", label))

        assert response.status_code == 409
        assert "detail" in response.json()
        assert Label.objects.filter(pk=label.pk).exists()

    def test_a_label_the_gold_layer_uses_is_refused_with_409(self, client_for, owner, reviewer, document, label):
        gold = client_for(reviewer).post(
            url(document.project, "documents", document, "gold"), span_body(label, "told reporters")
        )
        assert gold.status_code == 201, gold.json()

        response = client_for(owner).delete(url(label.project, "labels", label))

        assert response.status_code == 409
        assert Label.objects.filter(pk=label.pk).exists()
