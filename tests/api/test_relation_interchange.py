"""Relations through the API in doccano's relation-extraction JSON Lines and Label Studio's `relation` results: each
layer exports its own, a round trip into a new project gives them back, and a bad file stores nothing."""

import io
import json
import zipfile
from xml.etree import ElementTree

import pytest

from annotator.models import Document, Relation, RelationType, Span
from tests.api import test_relation_datasets as datasets
from tests.api.test_relation_datasets import body, post_import, relations_of
from tests.arrange import draw, make_relation_type, relate
from tests.conftest import url
from tests.unit.formats_unicode import utf16_slice

# The relation datasets' fixtures: a "Says" type, a document related by both annotators and in gold, a new project.
says, related, copy = datasets.says, datasets.related, datasets.copy


def export(client, project, fmt, **params):
    return body(client.get(url(project, "export"), {"format": fmt, **params}))


def exported_relations(fmt, data):
    """The relations of a doccano or Label Studio export as (type, from text, to text), sorted."""
    found = []
    if fmt == "doccano":
        for line in map(json.loads, data.splitlines()):
            texts = {item["id"]: utf16_slice(line["text"], item["start_offset"], item["end_offset"])
                     for item in line["entities"]}  # fmt: skip
            found += [(item["type"], texts[item["from_id"]], texts[item["to_id"]]) for item in line["relations"]]
        return sorted(found)
    for task in json.loads(data):
        for annotation in task["annotations"]:
            texts = {result["id"]: result["value"]["text"] for result in annotation["result"]
                     if result["type"] == "labels"}  # fmt: skip
            found += [(kind, texts[result["from_id"]], texts[result["to_id"]]) for result in annotation["result"]
                      if result["type"] == "relation" for kind in result["labels"]]  # fmt: skip
    return sorted(found)


def state():
    return tuple(model.objects.count() for model in (Document, Span, Relation, RelationType))


@pytest.fixture
def after_emoji(annotator, document, says):
    """A relation by `annotator` between two spans that come after the emoji 👍🏽, so UTF-16 offsets differ."""
    source = draw(annotator, document, "Source attribution", "according to the outlet")
    appeal = draw(annotator, document, "Editorial appeal", "Readers can donate")
    return relate(annotator, says, source, appeal)


FORMATS = ["doccano", "labelstudio"]


class TestExport:
    @pytest.mark.parametrize(
        ("layer", "expected"),
        [
            ("annotations", [("Says", "The ministry's spokesman", "We expect a result within weeks"),
                             ("Says", "Ілля Коваль", "talks would resume")]),
            ("accepted", [("Says", "Ілля Коваль", "talks would resume")]),
            ("gold", [("Says", "he said", "We expect a result within weeks")]),
        ],
    )  # fmt: skip
    @pytest.mark.parametrize("fmt", FORMATS)
    def test_each_layer_exports_its_own_relations(self, client_for, owner, project, related, fmt, layer, expected):
        data = export(client_for(owner), project, fmt, layer=layer)

        assert exported_relations(fmt, data) == expected

    def test_doccano_writes_relation_extraction_lines_counted_in_utf16(self, client_for, owner, project, related,
                                                                       after_emoji):  # fmt: skip
        [line] = map(json.loads, export(client_for(owner), project, "doccano").splitlines())

        assert list(line)[:4] == ["id", "text", "entities", "relations"]
        spans = {span.pk: span for span in Span.objects.filter(document=related)}
        for entity in line["entities"]:
            span = spans[entity["id"]]
            assert (entity["label"], utf16_slice(line["text"], entity["start_offset"], entity["end_offset"])) == (
                span.label.name, related.text[span.start : span.end]
            )
        assert entity["start_offset"] > span.start  # the emoji before it counts two units each
        assert {item["id"] for item in line["relations"]} == set(
            Relation.objects.filter(document=related).values_list("pk", flat=True)
        )

    def test_a_doccano_export_of_a_project_without_relation_types_stays_sequence_labeling(self, client_for, owner,
                                                                                         project, document,
                                                                                         annotator):  # fmt: skip
        draw(annotator, document, "Source attribution", "Ілля Коваль")

        [line] = map(json.loads, export(client_for(owner), project, "doccano").splitlines())

        assert "entities" not in line and len(line["label"]) == 1

    def test_the_label_studio_zip_config_names_the_relation_types(self, client_for, owner, project, related):
        make_relation_type(owner, project, "Quotes <directly>", color="#112233")

        archive = zipfile.ZipFile(io.BytesIO(export(client_for(owner), project, "labelstudio", zip="true")))

        view = ElementTree.fromstring(archive.read("label_config.xml"))  # noqa: S314 (our own XML)
        assert [tag.get("value") for tag in view.iter("Relation")] == ["Says", "Quotes <directly>"]


class TestRoundTrip:
    @pytest.mark.parametrize(("fmt", "params"), [("doccano", {}), ("doccano", {"offsets": "codepoints"}),
                                                 ("labelstudio", {})])  # fmt: skip
    def test_export_then_import_into_a_new_project_gives_back_the_same_relations(self, client_for, owner, project,
                                                                                 related, after_emoji, copy, fmt,
                                                                                 params):  # fmt: skip
        client = client_for(owner)
        exported = export(client, project, fmt, **params)
        make_relation_type(owner, copy, "Says", from_labels=["Source attribution"])

        response = post_import(client, copy, exported, format=fmt, **params)

        assert response.status_code == 201, response.content
        assert response.json()["relations"] == {"stored": 3, "skipped": 0}
        [imported] = Document.objects.filter(project=copy)
        assert imported.text == related.text
        spans = lambda project: sorted(  # noqa: E731
            Span.objects.filter(document__project=project).values_list("label__name", "start", "end",
                                                                        "annotator__username")
        )  # fmt: skip
        if fmt == "labelstudio":
            assert spans(copy) == spans(project)
            assert relations_of(copy) == relations_of(project)
        else:  # doccano's format names no annotator: the spans and relations come back as the importer's
            assert [row[:3] for row in spans(copy)] == [row[:3] for row in spans(project)]
            assert [row[:-1] for row in relations_of(copy)] == [row[:-1] for row in relations_of(project)]
            assert {row[-1] for row in relations_of(copy)} == {owner.username}

    @pytest.mark.parametrize("fmt", FORMATS)
    def test_create_labels_brings_the_relation_types_along(self, client_for, owner, project, related, copy, fmt):
        client = client_for(owner)
        exported = export(client, project, fmt)

        refused = post_import(client, copy, exported, format=fmt)
        response = post_import(client, copy, exported, format=fmt, create_labels="true")

        assert refused.status_code == 400
        assert [problem["message"] for problem in refused.json()["problems"]] == [
            "relation type 'Says' is not in this project (import with create_labels=true)"
        ]
        assert response.status_code == 201, response.content
        assert response.json()["relation_types_created"] == ["Says"]
        assert len(relations_of(copy)) == 2


def doccano_line(entities, relations):
    return json.dumps({
        "text": "Peskov told reporters the talks would resume.",
        "entities": [{"id": ident, "start_offset": start, "end_offset": end, "label": label}
                     for ident, start, end, label in entities],
        "relations": [{"id": number, "from_id": start, "to_id": end, "type": kind}
                      for number, (start, end, kind) in enumerate(relations, 1)],
    })  # fmt: skip


class TestImportRefuses:
    def test_a_doccano_relation_naming_a_missing_entity_is_a_400_naming_its_line(self, client_for, owner, project,
                                                                                 says):  # fmt: skip
        entities = [(1, 0, 6, "Source attribution"), (2, 26, 44, "Diplomatic claim")]
        data = "\n".join([doccano_line(entities, [(1, 2, "Says")]), doccano_line(entities, [(1, 7, "Says")])])
        before = state()

        response = post_import(client_for(owner), project, data.encode(), format="doccano")

        assert response.status_code == 400
        assert response.json()["problems"] == [
            {"line": 2, "message": "relation 1: to_id 7 is not the id of a span of this document"}
        ]
        assert state() == before

    def test_an_unknown_relation_type_is_a_400_without_create_labels(self, client_for, owner, project, says):
        entities = [(1, 0, 6, "Source attribution"), (2, 26, 44, "Diplomatic claim")]
        before = state()

        response = post_import(client_for(owner), project, doccano_line(entities, [(1, 2, "Denies")]).encode(),
                               format="doccano")  # fmt: skip

        assert response.status_code == 400
        assert response.json()["problems"] == [
            {"line": 1, "message": "relation type 'Denies' is not in this project (import with create_labels=true)"}
        ]
        assert state() == before

    def test_a_label_studio_relation_to_a_result_of_another_annotation_is_a_400(self, client_for, owner, project,
                                                                                says):  # fmt: skip
        def region(ident, start, end, label):
            value = {"start": start, "end": end, "labels": [label]}
            return {"id": ident, "from_name": "label", "to_name": "text", "type": "labels", "value": value}

        task = {"data": {"text": "Peskov told reporters the talks would resume."}, "annotations": [
            {"completed_by": {"email": "annotator@slant.invalid"}, "result": [region("a", 0, 6, "Source attribution")]},
            {"completed_by": {"email": "annotator2@slant.invalid"}, "result": [
                region("b", 26, 44, "Diplomatic claim"),
                {"from_id": "a", "to_id": "b", "type": "relation", "direction": "right", "labels": ["Says"]},
            ]},
        ]}  # fmt: skip
        before = state()

        response = post_import(client_for(owner), project, json.dumps([task], indent=1).encode(),
                               format="labelstudio")  # fmt: skip

        assert response.status_code == 400
        assert response.json()["problems"] == [
            {"line": 2, "message": "task 1, annotation 2, result 2: from_id 'a' is not the id of a labels result of"
                                   " this annotation (it is one of annotation 1)"}
        ]  # fmt: skip
        assert state() == before
