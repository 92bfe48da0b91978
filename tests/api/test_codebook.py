"""GET /projects/{p}/codebook/, …/codebook/versions/ and …/versions/{n}/ (SPEC: Codebook versions)."""

import io
import json
import zipfile

import pytest
from rest_framework.authtoken.models import Token

from annotator.models import CodebookVersion, Project
from tests.api.test_query_counts import MANY, assert_flat
from tests.conftest import document_url, url

pytestmark = pytest.mark.django_db

CODEBOOK_KEYS = {"version", "guidelines", "labels", "relation_types", "questions"}
VERSION_KEYS = {"version", "created_at", "created_by", "changes"}


def rename(client, project, label, name):
    response = client.patch(url(project, "labels", label), {"name": name})
    assert response.status_code == 200, response.json()


class TestCurrentCodebook:
    def test_an_annotator_reads_the_codebook_they_follow(self, client_for, annotator, project):
        response = client_for(annotator).get(url(project, "codebook"))

        assert response.status_code == 200
        body = response.json()
        assert set(body) == CODEBOOK_KEYS | {"guidelines_read_version"}
        assert body["version"] == 1
        labels = client_for(annotator).get(url(project, "labels"), {"page_size": 1000}).json()["results"]
        assert body["labels"] == labels

    def test_a_change_through_the_api_raises_the_version(self, client_for, owner, project, label):
        rename(client_for(owner), project, label, "Attribution")

        body = client_for(owner).get(url(project, "codebook")).json()

        assert body["version"] == 2
        assert "Attribution" in [item["name"] for item in body["labels"]]

    def test_other_methods_are_not_allowed(self, client_for, owner, project):
        client = client_for(owner)
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(url(project, "codebook"), {}).status_code == 405
            assert getattr(client, method)(url(project, "codebook", "versions"), {}).status_code == 405
            assert getattr(client, method)(url(project, "codebook", "versions", 1), {}).status_code == 405
        assert CodebookVersion.objects.filter(project=project).count() == 1


class TestHistory:
    def test_versions_are_listed_newest_first_with_their_lines(self, client_for, owner, project, label):
        client = client_for(owner)
        rename(client, project, label, "Attribution")
        assert client.patch(url(project), {"guidelines": "Mark every quote."}).status_code == 200

        response = client.get(url(project, "codebook", "versions"))

        assert response.status_code == 200
        results = response.json()["results"]
        assert [row["version"] for row in results] == [3, 2, 1]
        assert set(results[0]) == VERSION_KEYS
        assert [row["changes"] for row in results] == [
            ["guidelines edited"],
            ['label "Source attribution" renamed to "Attribution"'],
            [],
        ]
        assert [row["created_by"] for row in results] == ["owner", "owner", "owner"]

    def test_a_patch_of_three_fields_is_one_version(self, client_for, owner, project, label):
        body = {"name": "Attribution", "color": "#112233", "active": False}

        assert client_for(owner).patch(url(project, "labels", label), body).status_code == 200

        [newest, _] = client_for(owner).get(url(project, "codebook", "versions")).json()["results"]
        assert newest["changes"] == [
            'label "Source attribution" renamed to "Attribution"',
            'label "Attribution" colour changed',
            'label "Attribution" deactivated',
        ]

    def test_a_list_posted_is_one_version(self, client_for, owner, project):
        response = client_for(owner).post(url(project, "labels"), [{"name": "Cue"}, {"name": "Content"}])

        assert response.status_code == 201
        assert Project.objects.get(pk=project.pk).codebook_version == 2
        assert CodebookVersion.objects.get(project=project, number=2).changes == [
            'label "Cue" added',
            'label "Content" added',
        ]

    @pytest.mark.parametrize(
        ("method", "path", "body", "status"),
        [
            ("patch", ("labels", "label"), {"name": "Editorial appeal"}, 400),
            ("patch", ("labels", "label"), {"color": "red"}, 400),
            ("delete", ("labels", "label"), None, 409),
            ("post", ("questions",), {"name": "Tone", "kind": "single", "options": ["one"]}, 400),
            ("post", ("relation-types",), {"name": "Says", "from_labels": [987654]}, 400),
        ],
    )
    def test_a_refused_change_makes_no_version(self, client_for, owner, span, project, label, method, path, body,
                                               status):  # fmt: skip
        parts = [label if part == "label" else part for part in path]

        response = getattr(client_for(owner), method)(url(project, *parts), body)

        assert response.status_code == status, response.json()
        assert Project.objects.get(pk=project.pk).codebook_version == 1
        assert CodebookVersion.objects.filter(project=project).count() == 1

    def test_one_versions_whole_codebook_and_the_lines_against_another(self, client_for, owner, annotator, project,
                                                                        label):  # fmt: skip
        client = client_for(owner)
        rename(client, project, label, "Attribution")
        question = {"name": "Tone", "kind": "single", "options": ["pro", "anti"]}
        assert client.post(url(project, "questions"), question).status_code == 201

        first = client_for(annotator).get(url(project, "codebook", "versions", 1))
        diff = client_for(annotator).get(url(project, "codebook", "versions", 3), {"against": 1})

        assert first.status_code == 200
        assert set(first.json()) == CODEBOOK_KEYS | VERSION_KEYS
        assert "Source attribution" in [item["name"] for item in first.json()["labels"]]
        assert diff.status_code == 200
        assert diff.json()["against"] == 1
        assert diff.json()["diff"] == ['label "Source attribution" renamed to "Attribution"', 'question "Tone" added']
        assert diff.json()["changes"] == ['question "Tone" added']
        assert diff.json()["guidelines_diff"] == []  # the guidelines did not change

    def test_the_guidelines_diff_against_another_version_goes_line_by_line(self, client_for, owner, project):
        client = client_for(owner)
        lines = ["# Framing", "Mark the frame.", "a", "b", "c", "d", "e", "One label a span.", "Ask when unsure."]
        for text in ("\n".join(lines), "\n".join([*lines[:-2], "One label a span, <b>never</b> two.", lines[-1]])):
            assert client.patch(url(project), {"guidelines": text}).status_code == 200

        answer = client.get(url(project, "codebook", "versions", 3), {"against": 2}).json()
        back = client.get(url(project, "codebook", "versions", 2), {"against": 3}).json()

        assert answer["guidelines_diff"] == [
            {"op": "skip", "line": ""},
            {"op": "same", "line": "d"},
            {"op": "same", "line": "e"},
            {"op": "del", "line": "One label a span."},
            {"op": "add", "line": "One label a span, <b>never</b> two."},
            {"op": "same", "line": "Ask when unsure."},
        ]
        assert [row["op"] for row in back["guidelines_diff"]][3:5] == ["del", "add"]
        assert back["guidelines_diff"][3]["line"] == "One label a span, <b>never</b> two."

    @pytest.mark.parametrize("against", ["9", "0", "x", "-1", str(2**70)])
    def test_against_a_version_that_does_not_exist_is_a_400_naming_it(self, client_for, owner, project, against):
        response = client_for(owner).get(url(project, "codebook", "versions", 1), {"against": against})

        assert response.status_code == 400
        assert "against" in response.json()

    @pytest.mark.parametrize("number", [2, 2**31, 2**63 - 1])
    def test_a_version_that_does_not_exist_is_not_found(self, client_for, owner, project, number):
        assert client_for(owner).get(url(project, "codebook", "versions", number)).status_code == 404

    def test_an_outsider_is_not_found(self, client_for, outsider, project):
        for path in (("codebook",), ("codebook", "versions"), ("codebook", "versions", 1)):
            assert client_for(outsider).get(url(project, *path)).status_code == 404


class TestAnnotationsCarryTheirVersion:
    def test_span_json_and_jsonl_export_carry_it(self, client_for, owner, annotator, project, document, label,
                                                 post_span):  # fmt: skip
        before = post_span(annotator, document, label, "told reporters")
        rename(client_for(owner), project, label, "Attribution")
        after = post_span(annotator, document, label, "he said")

        response = client_for(owner).get(url(project, "export"), {"format": "jsonl"})

        assert (before["codebook_version"], after["codebook_version"]) == (1, 2)
        [line] = [json.loads(row) for row in b"".join(response.streaming_content).decode().splitlines()]
        assert {span["id"]: span["codebook_version"] for span in line["spans"]} == {before["id"]: 1, after["id"]: 2}

    def test_a_changed_span_takes_the_version_current_then(self, client_for, owner, annotator, project, document,
                                                           label, post_span):  # fmt: skip
        span = post_span(annotator, document, label)
        rename(client_for(owner), project, label, "Attribution")

        response = client_for(annotator).patch(document_url(document, "spans", span["id"]), {"note": "sure"})

        assert response.status_code == 200
        assert response.json()["codebook_version"] == 2


    def test_the_dataset_card_lists_every_version_with_its_changes_and_annotations(
        self, client_for, owner, annotator, project, document, label, post_span
    ):
        post_span(annotator, document, label, "told reporters")
        rename(client_for(owner), project, label, "Attribution")
        post_span(annotator, document, label, "he said")
        post_span(annotator, document, label, "talks would resume")

        response = client_for(owner).get(url(project, "export"), {"format": "jsonl", "zip": "true"})

        archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
        card = archive.read("README.md").decode().split("## Codebook versions")[1]
        today = CodebookVersion.objects.get(project=project, number=2).created_at.date().isoformat()
        assert f"| 1 | {today} | owner | the first | 1 | 0 | 0 |" in card
        assert f'| 2 | {today} | owner | label "Source attribution" renamed to "Attribution" | 2 | 0 | 0 |' in card


class TestQueryCounts:
    def test_listing_many_versions_costs_what_one_costs(
        self, client_for, owner, project, django_assert_max_num_queries
    ):
        def grow():
            last = CodebookVersion.objects.filter(project=project).order_by("-number").first()
            CodebookVersion.objects.bulk_create(
                CodebookVersion(project=project, number=n, created_by=owner, changes=["x"], snapshot=last.snapshot)
                for n in range(last.number + 1, MANY + 1)
            )

        assert_flat(
            client_for(owner),
            url(project, "codebook", "versions"),
            grow,
            django_assert_max_num_queries=django_assert_max_num_queries,
        )


@pytest.mark.django_db(transaction=True)
class TestRacingChanges:
    def test_eight_changes_at_once_get_eight_numbers(self, api, owner, project):
        token = Token.objects.get_or_create(user=owner)[0].key
        labels = list(project.labels.order_by("id")[:4])

        def change(index):
            def job(send):
                if index < 4:
                    return send("PATCH", url(project, "labels", labels[index]), token, {"description": f"d{index}"})
                return send("POST", url(project, "labels"), token, {"name": f"Raced {index}"})

            return job

        results = api.race([change(index) for index in range(8)])

        assert [status for status, _ in results] == [200] * 4 + [201] * 4
        numbers = sorted(CodebookVersion.objects.filter(project=project).values_list("number", flat=True))
        assert numbers == list(range(1, 10))
        assert Project.objects.get(pk=project.pk).codebook_version == 9
        newest = CodebookVersion.objects.get(project=project, number=9)
        assert {label["name"] for label in newest.snapshot["labels"]} >= {f"Raced {i}" for i in range(4, 8)}
        assert sum(len(v.changes) for v in CodebookVersion.objects.filter(project=project, number__gt=1)) == 8
