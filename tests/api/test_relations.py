"""The relation endpoints as SPEC's Relations section gives them: one or a list made between the caller's own
spans, every rule a 400 naming its field, a duplicate a 409 with the relation, versions and If-Match, review,
blind visibility, and relations going with the spans they join."""

import pytest

from annotator.access import access_project
from annotator.models import AuditEvent, GoldRelation, GoldSpan, Relation, ReviewStatus
from annotator.selectors.relations import RelationRows, relation_list
from annotator.services.projects import project_update
from tests.arrange import draw, relate
from tests.conftest import url

MISSING_ID = 987_654_321_012
RELATION_KEYS = {
    "id",
    "codebook_version",
    "document",
    "type",
    "from_span",
    "to_span",
    "note",
    "annotator",
    "review_status",
    "review_comment",
    "reviewer",
    "version",
    "created_at",
    "updated_at",
}


@pytest.fixture
def world(class_world):
    """One world per class (tests/conftest.py), each test's changes rolled back after it."""
    return class_world


def relations_url(world, *parts):
    return url(world.project, "documents", world.document, "relations", *parts)


def body(world, from_span, to_span, relation_type=None, **fields):
    relation_type = relation_type or world.spare_relation_type
    return {"type": relation_type.pk, "from_span": from_span.pk, "to_span": to_span.pk, **fields}


@pytest.fixture
def third(world):
    """`annotator`'s third span: an Official statement over "talks would resume"."""
    return draw(world.annotator, world.document, "Official statement", "talks would resume")


class TestRelationCreate:
    def test_an_annotator_links_two_of_their_spans_and_gets_the_relation_back(self, world, client_for, third):
        response = client_for(world.annotator).post(relations_url(world), body(world, world.span, third, note="n"))

        assert response.status_code == 201, response.json()
        relation = response.json()
        assert set(relation) == RELATION_KEYS
        assert (relation["from_span"], relation["to_span"], relation["type"]) == (
            world.span.pk,
            third.pk,
            world.spare_relation_type.pk,
        )
        assert (relation["annotator"], relation["review_status"], relation["version"], relation["note"]) == (
            "annotator",
            "pending",
            1,
            "n",
        )
        assert relation["created_at"].endswith("Z")
        assert AuditEvent.objects.filter(action="relation.create", object_id=relation["id"]).count() == 1

    def test_a_list_makes_every_relation_and_answers_the_list(self, world, client_for, third):
        items = [body(world, world.span, third), body(world, third, world.target)]

        response = client_for(world.annotator).post(relations_url(world), items, format="json")

        assert response.status_code == 201, response.json()
        assert [(r["from_span"], r["to_span"]) for r in response.json()] == [
            (world.span.pk, third.pk),
            (third.pk, world.target.pk),
        ]

    def test_a_list_whose_second_item_breaks_a_rule_stores_nothing(self, world, client_for, third):
        items = [body(world, world.span, third), body(world, third, third)]

        response = client_for(world.annotator).post(relations_url(world), items, format="json")

        assert response.status_code == 400
        assert response.json() == {
            "to_span": ["a relation joins two different spans; from_span and to_span are the same"]
        }
        assert Relation.objects.count() == 1  # the world's own

    def test_a_list_over_the_limit_is_refused(self, world, client_for, settings, third):
        settings.SLANT_LIST_MAX_ITEMS = 2
        items = [body(world, world.span, third)] * 3

        response = client_for(world.annotator).post(relations_url(world), items, format="json")

        assert response.status_code == 400
        assert "at most 2" in response.json()["non_field_errors"][0]

    def test_another_annotators_span_is_refused_naming_the_end(self, world, client_for):
        theirs = draw(world.annotator2, world.document, "Official statement", "talks would resume")

        response = client_for(world.annotator).post(relations_url(world), body(world, world.span, theirs))

        assert response.status_code == 400
        assert response.json() == {"to_span": [f"span {theirs.pk} is not one of your spans of this document"]}

    def test_a_span_of_another_project_is_refused_like_one_that_does_not_exist(self, world, client_for, other_project):
        foreign = draw(world.outsider, other_project.documents.get(), "Source", "Foreign")
        client = client_for(world.annotator)

        foreign_answer = client.post(
            relations_url(world), {**body(world, world.span, world.target), "to_span": foreign.pk}
        )
        missing = client.post(relations_url(world), {**body(world, world.span, world.target), "to_span": MISSING_ID})

        assert foreign_answer.status_code == missing.status_code == 400
        assert foreign_answer.json()["to_span"][0].replace(str(foreign.pk), "N") == (
            missing.json()["to_span"][0].replace(str(MISSING_ID), "N")
        )

    def test_a_type_of_another_project_is_refused_naming_type(self, world, client_for, other_project):
        foreign = other_project.relation_types.first()

        response = client_for(world.annotator).post(
            relations_url(world), body(world, world.span, world.target, relation_type=foreign)
        )

        assert response.status_code == 400
        assert response.json() == {"type": [f"relation type {foreign.pk} is not in this project"]}

    def test_a_label_the_type_does_not_allow_is_refused_naming_the_end(self, world, client_for):
        response = client_for(world.annotator).post(
            relations_url(world), body(world, world.target, world.span, relation_type=world.relation_type)
        )

        assert response.status_code == 400
        assert response.json() == {"from_span": ["relation type 'Says' does not start at a span with this label"]}

    def test_a_deactivated_type_is_refused_naming_type(self, world, client_for, third):
        client_for(world.owner).patch(
            url(world.project, "relation-types", world.spare_relation_type), {"active": False}
        )

        response = client_for(world.annotator).post(relations_url(world), body(world, world.span, third))

        assert response.status_code == 400
        assert list(response.json()) == ["type"]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("type", "1", "Must be an integer."),
            ("from_span", 1.5, "Must be an integer."),
            ("to_span", True, "Must be an integer."),
            ("note", 3, "Must be a string."),
        ],
    )
    def test_a_value_of_the_wrong_json_type_is_refused_naming_it(self, world, client_for, third, field, value, message):
        response = client_for(world.annotator).post(
            relations_url(world), {**body(world, world.span, third), field: value}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {field: [message]}

    @pytest.mark.parametrize("field", ["type", "from_span", "to_span"])
    @pytest.mark.parametrize("value", [0, -1, 2**63, 10**30])
    def test_an_id_no_row_can_have_is_refused_naming_it(self, world, client_for, third, field, value):
        response = client_for(world.annotator).post(
            relations_url(world), {**body(world, world.span, third), field: value}, format="json"
        )

        assert response.status_code == 400
        assert list(response.json()) == [field]

    def test_the_same_relation_twice_is_a_conflict_answering_the_first(self, world, client_for):
        response = client_for(world.annotator).post(
            relations_url(world), body(world, world.span, world.target, relation_type=world.relation_type)
        )

        assert response.status_code == 409
        assert response.json()["id"] == world.relation.pk
        assert set(response.json()) == RELATION_KEYS | {"detail"}
        assert Relation.objects.count() == 1

    def test_in_an_open_project_an_annotator_the_document_is_not_assigned_to_is_forbidden(
        self, world, client_for, third
    ):
        project_update(member=access_project(world.owner, world.project.pk), blind=False)
        world.document.assignments.filter(user=world.annotator).delete()

        response = client_for(world.annotator).post(relations_url(world), body(world, world.span, third))

        assert response.status_code == 403


class TestRelationChanges:
    def test_a_note_changes_with_if_match(self, world, client_for):
        response = client_for(world.annotator).patch(
            relations_url(world, world.relation), {"note": "who said it"}, HTTP_IF_MATCH='"1"'
        )

        assert response.status_code == 200, response.json()
        assert (response.json()["note"], response.json()["version"]) == ("who said it", 2)

    def test_a_stale_version_is_a_conflict_with_the_current_relation(self, world, client_for):
        client = client_for(world.annotator)
        client.patch(relations_url(world, world.relation), {"note": "first", "version": 1})

        response = client.patch(relations_url(world, world.relation), {"note": "second", "version": 1})

        assert response.status_code == 409
        assert (response.json()["note"], response.json()["version"]) == ("first", 2)
        assert "detail" in response.json()

    def test_a_stale_if_match_on_delete_keeps_it(self, world, client_for):
        client = client_for(world.annotator)
        client.patch(relations_url(world, world.relation), {"note": "first"})

        response = client.delete(relations_url(world, world.relation), HTTP_IF_MATCH='"1"')

        assert response.status_code == 409
        assert Relation.objects.filter(pk=world.relation.pk).exists()

    def test_another_type_is_checked_again(self, world, client_for):
        project = world.project
        narrow = client_for(world.owner).post(
            url(project, "relation-types"), {"name": "Denies", "to_labels": [project.labels.get(name="Denial").pk]}
        )

        response = client_for(world.annotator).patch(
            relations_url(world, world.relation), {"type": narrow.json()["id"]}, format="json"
        )

        assert response.status_code == 400
        assert list(response.json()) == ["to_span"]

    @pytest.mark.parametrize("end", ["from_span", "to_span"])
    def test_the_ends_never_change(self, world, client_for, third, end):
        response = client_for(world.annotator).patch(relations_url(world, world.relation), {end: third.pk})

        assert response.status_code == 400
        assert list(response.json()) == [end]
        assert getattr(Relation.objects.get(pk=world.relation.pk), f"{end}_id") != third.pk

    def test_its_annotator_deletes_it_with_its_version(self, world, client_for):
        response = client_for(world.annotator).delete(relations_url(world, world.relation), {"version": 1})

        assert response.status_code == 204
        assert not Relation.objects.filter(pk=world.relation.pk).exists()

    def test_a_reviewer_accepts_it_with_a_comment(self, world, client_for):
        response = client_for(world.reviewer).post(
            relations_url(world, world.relation, "review"), {"decision": "accepted", "comment": "Right.", "version": 1}
        )

        assert response.status_code == 200
        assert (response.json()["review_status"], response.json()["reviewer"], response.json()["version"]) == (
            ReviewStatus.ACCEPTED,
            "reviewer",
            2,
        )


class TestRelationsGoWithTheirSpans:
    def test_deleting_a_span_deletes_its_relations_each_with_an_audit_event(self, world, client_for):
        response = client_for(world.annotator).delete(
            url(world.project, "documents", world.document, "spans", world.span), HTTP_IF_MATCH='"1"'
        )

        assert response.status_code == 204
        assert not Relation.objects.exists()
        events = AuditEvent.objects.filter(action__in=["relation.delete", "span.delete"]).order_by("id")
        assert [(event.action, event.object_id) for event in events] == [
            ("relation.delete", world.relation.pk),
            ("span.delete", world.span.pk),
        ]

    def test_deleting_a_gold_span_deletes_its_gold_relations(self, world, client_for):
        response = client_for(world.reviewer).delete(
            url(world.project, "documents", world.document, "gold", world.gold_target)
        )

        assert response.status_code == 204
        assert not GoldRelation.objects.exists()
        assert AuditEvent.objects.filter(action="gold_relation.delete", object_id=world.gold_relation.pk).exists()


class TestRelationVisibility:
    def test_in_a_blind_project_an_annotator_lists_only_their_own(self, world, client_for):
        source = draw(world.annotator2, world.document, "Source attribution", "told reporters")
        claim = draw(world.annotator2, world.document, "Official statement", "talks would resume")
        relate(world.annotator2, world.relation_type, source, claim)

        mine = client_for(world.annotator).get(relations_url(world)).json()["results"]
        everyone = client_for(world.reviewer).get(relations_url(world)).json()["results"]
        filtered = client_for(world.owner).get(relations_url(world), {"annotator": "annotator2"}).json()["results"]

        assert [r["annotator"] for r in mine] == ["annotator"]
        assert [r["annotator"] for r in everyone] == ["annotator", "annotator2"]
        assert [r["annotator"] for r in filtered] == ["annotator2"]

    def test_another_annotators_relation_answers_like_one_that_does_not_exist(self, world, client_for):
        client = client_for(world.annotator2)

        hidden = client.get(relations_url(world, world.relation))
        missing = client.get(relations_url(world, MISSING_ID))

        assert hidden.status_code == missing.status_code == 404
        assert hidden.json() == missing.json()

    def test_in_an_open_project_annotators_see_everyones(self, world, client_for):
        project_update(member=access_project(world.owner, world.project.pk), blind=False)

        response = client_for(world.annotator2).get(relations_url(world))

        assert [r["id"] for r in response.json()["results"]] == [world.relation.pk]

    @pytest.mark.parametrize("value", ["0", "x", "1.5"])
    def test_a_type_filter_the_schema_refuses_is_400(self, world, client_for, value):
        response = client_for(world.owner).get(relations_url(world), {"type": value})

        assert response.status_code == 400


class TestRelationRows:
    """A relation list without filters is read with SQL compiled once (RelationRows): it must give the queryset's
    rows, pages and counts, for every visibility rule."""

    @pytest.fixture
    def related(self, world):
        """Besides world's relation, two more of `annotator`'s and three of `annotator2`'s: six in all."""
        claim = draw(world.annotator, world.document, "Official statement", "talks would resume")
        relate(world.annotator, world.spare_relation_type, world.span, claim, note="annotator 1")
        relate(world.annotator, world.spare_relation_type, claim, world.target, note="annotator 2")
        phrases = ["told reporters", "talks would resume", "We expect a result within weeks"]
        ends = [draw(world.annotator2, world.document, "Official statement", phrase) for phrase in phrases]
        for n, (a, b) in enumerate(zip(ends, ends[1:] + ends[:1], strict=True)):
            relate(world.annotator2, world.spare_relation_type, a, b, note=f"annotator2 {n}")
        return world

    @pytest.mark.parametrize("who", ["owner", "annotator", "reviewer"])
    @pytest.mark.parametrize("blind", [True, False])
    def test_rows_pages_and_counts_equal_the_querysets(self, related, who, blind):
        project_update(member=access_project(related.owner, related.project.pk), blind=blind)
        member = access_project(getattr(related, who), related.project.pk)
        expected = list(relation_list(member=member, document=related.document))
        rows = RelationRows(member=member, document=related.document)

        assert len(expected) == (3 if blind and who == "annotator" else 6)
        assert rows[0:100] == expected
        assert rows[1:4] == expected[1:4]
        assert rows[4:20] == expected[4:20]
        assert rows.count() == len(expected)

    def test_api_pages_are_the_filtered_lists_pages(self, related, client_for):
        client = client_for(related.owner)

        pages = [client.get(relations_url(related), {"page": page, "page_size": 4}).json() for page in (1, 2)]
        # A filter takes the queryset; the filter that keeps everything must list the same.
        everything = client.get(relations_url(related), {"review_status": "pending", "page_size": 100}).json()

        assert [page["count"] for page in pages] == [6, 6]
        assert [relation for page in pages for relation in page["results"]] == everything["results"]
        assert len(everything["results"]) == 6


class TestGoldRelations:
    def test_a_reviewer_copies_an_annotators_relation_with_its_spans(self, world, client_for):
        response = client_for(world.reviewer).post(
            url(world.project, "documents", world.document, "gold-relations"), {"from_relation": world.relation.pk}
        )

        assert response.status_code == 201, response.json()
        gold = GoldRelation.objects.get(pk=response.json()["id"])
        assert (gold.from_span.start, gold.from_span.end) == (world.span.start, world.span.end)
        assert gold.to_span.source_span_id == world.target.pk
        assert response.json()["source_relation"] == world.relation.pk
        assert GoldSpan.objects.filter(source_span=world.span).exists()

    def test_gold_spans_of_this_document_are_linked_by_id(self, world, client_for):
        path = url(world.project, "documents", world.document, "gold-relations")

        response = client_for(world.owner).post(
            path, {"type": world.spare_relation_type.pk, "from_span": world.gold_target.pk, "to_span": world.gold.pk}
        )

        assert response.status_code == 201, response.json()
        listed = client_for(world.reviewer).get(path).json()["results"]
        assert [g["id"] for g in listed] == [world.gold_relation.pk, response.json()["id"]]

    def test_an_annotators_relation_of_another_document_is_refused_naming_from_relation(
        self, world, client_for, other_project, outsider
    ):
        response = client_for(world.reviewer).post(
            url(world.project, "documents", world.document, "gold-relations"), {"from_relation": MISSING_ID}
        )

        assert response.status_code == 400
        assert list(response.json()) == ["from_relation"]

    def test_a_change_with_a_stale_version_is_a_conflict(self, world, client_for):
        path = url(world.project, "documents", world.document, "gold-relations", world.gold_relation)
        client = client_for(world.reviewer)
        client.patch(path, {"note": "first"})

        response = client.patch(path, {"note": "second"}, HTTP_IF_MATCH='"1"')

        assert response.status_code == 409
        assert response.json()["note"] == "first"


class TestRelationTypes:
    def test_the_owner_adds_one_with_its_end_labels(self, world, client_for):
        cue = world.project.labels.get(name="Source attribution").pk

        response = client_for(world.owner).post(
            url(world.project, "relation-types"),
            {"name": "Quotes", "key": "w", "color": "#AABBCC", "from_labels": [cue], "to_labels": []},
            format="json",
        )

        assert response.status_code == 201, response.json()
        assert response.json() == {
            "id": response.json()["id"],
            "name": "Quotes",
            "key": "w",
            "color": "#aabbcc",
            "description": "",
            "active": True,
            "from_labels": [cue],
            "to_labels": [],
        }

    def test_members_list_them_with_their_ends(self, world, client_for):
        response = client_for(world.annotator).get(url(world.project, "relation-types"))

        listed = {t["name"]: t for t in response.json()["results"]}
        assert listed["Says"]["from_labels"] == [world.label.pk]
        assert listed["Spare"]["from_labels"] == listed["Spare"]["to_labels"] == []

    def test_they_come_a_page_at_a_time(self, world, client_for):
        response = client_for(world.annotator).get(url(world.project, "relation-types"), {"page_size": 1, "page": 2})

        assert response.status_code == 200
        assert response.json()["count"] == 2
        assert [t["name"] for t in response.json()["results"]] == ["Spare"]

    @pytest.mark.parametrize(("field", "value"), [("name", "Says"), ("key", "q")])
    def test_a_taken_name_or_key_is_refused_naming_it(self, world, client_for, field, value):
        response = client_for(world.owner).post(
            url(world.project, "relation-types"), {"name": "Fresh", "key": "z", field: value}
        )

        assert response.status_code == 400
        assert list(response.json()) == [field]

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            (["1"], "Each item must be an integer."),
            ([True], "Each item must be an integer."),
            (1, "Must be a list."),
            ({"a": 1}, "Must be a list."),
        ],
    )
    def test_end_labels_must_be_a_list_of_integers(self, world, client_for, value, message):
        response = client_for(world.owner).post(
            url(world.project, "relation-types"), {"name": "Fresh", "from_labels": value}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {"from_labels": [message]}

    @pytest.mark.parametrize("value", [[0], [2**63], [-1]])
    def test_an_end_label_id_no_row_can_have_is_refused(self, world, client_for, value):
        response = client_for(world.owner).post(
            url(world.project, "relation-types"), {"name": "Fresh", "to_labels": value}, format="json"
        )

        assert response.status_code == 400
        assert "to_labels" in response.json()

    def test_a_label_of_another_project_is_refused_naming_the_end(self, world, client_for, other_project):
        foreign = other_project.labels.first().pk

        response = client_for(world.owner).post(
            url(world.project, "relation-types"), {"name": "Fresh", "to_labels": [foreign]}, format="json"
        )

        assert response.status_code == 400
        assert response.json() == {"to_labels": [f"label {foreign} is not in this project"]}

    def test_a_type_in_use_is_a_conflict_on_delete_and_is_deactivated_instead(self, world, client_for):
        path = url(world.project, "relation-types", world.relation_type)
        client = client_for(world.owner)

        refused = client.delete(path)
        deactivated = client.patch(path, {"active": False})

        assert refused.status_code == 409
        assert "deactivate" in refused.json()["detail"]
        assert deactivated.json()["active"] is False

    def test_a_label_a_type_allows_is_a_conflict_on_delete(self, world, client_for):
        appeal = world.spare_label
        client = client_for(world.owner)
        client.patch(
            url(world.project, "relation-types", world.spare_relation_type), {"to_labels": [appeal.pk]}, format="json"
        )

        response = client.delete(url(world.project, "labels", appeal))

        assert response.status_code == 409
        assert "'Spare'" in response.json()["detail"]

    def test_a_project_from_the_attribution_preset_starts_with_source_and_content(self, client_for, owner):
        created = client_for(owner).post("/api/v1/projects/", {"name": "PARC", "label_preset": "attribution"})
        project_id = created.json()["id"]

        response = client_for(owner).get(f"/api/v1/projects/{project_id}/relation-types/")

        assert sorted(t["name"] for t in response.json()["results"]) == ["content", "source"]
