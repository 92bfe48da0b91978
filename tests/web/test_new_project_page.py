"""The new-project page: signed-in users only, every preset with each of its labels, linked from the projects page."""

from annotator.presets import DEFAULT_PRESET, PRESETS, QUESTION_PRESETS, RELATION_PRESETS
from tests.web.arrange import assert_sent_to_sign_in, signed_in
from tests.web.html import attribute, find, find_all, text, tree

PATH = "/projects/new/"


class TestNewProjectPage:
    def test_an_anonymous_visitor_is_sent_to_sign_in(self, client, db):
        assert_sent_to_sign_in(client.get(PATH), PATH)

    def test_every_preset_is_offered_with_its_labels_and_colours_the_default_first_and_chosen(self, client, outsider):
        page = tree(signed_in(client, outsider).get(PATH))

        presets = [attribute(node, "data-preset") for node in find_all(page, "data-preset")]
        assert presets == [DEFAULT_PRESET, *sorted(set(PRESETS) - {DEFAULT_PRESET}), ""]
        for name, labels in PRESETS.items():
            shown = list(find_all(find(page, "data-preset", name), "data-testid", "preset-label"))
            assert [text(item) for item in shown] == [label["name"] for label in labels]
            assert [attribute(find(item, "fill"), "fill") for item in shown] == [label["color"] for label in labels]
        assert "checked" in dict(find(find(page, "data-preset", DEFAULT_PRESET), "type", "radio").attributes)

    def test_a_preset_that_carries_relation_types_shows_each_with_its_ends(self, client, outsider):
        page = tree(signed_in(client, outsider).get(PATH))

        attribution = find(page, "data-preset", "attribution")
        shown = list(find_all(attribution, "data-testid", "preset-relation-type"))
        assert [text(item) for item in shown] == ["source: Cue → Source", "content: Cue → Content"]
        assert [attribute(find(item, "fill"), "fill") for item in shown] == [
            relation_type["color"] for relation_type in RELATION_PRESETS["attribution"]
        ]
        assert "3 labels, 2 relation types" in text(attribution)

    def test_a_preset_without_relation_types_shows_none(self, client, outsider):
        page = tree(signed_in(client, outsider).get(PATH))

        for name in set(PRESETS) - set(RELATION_PRESETS):
            assert list(find_all(find(page, "data-preset", name), "data-testid", "preset-relation-type")) == []
            assert "relation type" not in text(find(page, "data-preset", name))

    def test_a_preset_that_carries_questions_names_each_with_its_kind(self, client, outsider):
        page = tree(signed_in(client, outsider).get(PATH))

        frames = find(page, "data-preset", "media-frames")
        persuasion = find(page, "data-preset", "persuasion")
        assert [text(item) for item in find_all(frames, "data-testid", "preset-question")] == [
            "Primary frame: one of 15",
            "Tone: one of 3",
        ]
        assert [text(item) for item in find_all(persuasion, "data-testid", "preset-question")] == [
            "Genre: one of 3",
            "Frames: any of 14",
        ]
        assert "15 labels, 2 questions" in text(frames)
        for name in set(PRESETS) - set(QUESTION_PRESETS):
            assert list(find_all(find(page, "data-preset", name), "data-testid", "preset-question")) == []

    def test_the_projects_page_links_to_it_with_or_without_projects(self, client, owner, project, make_user):
        for user in (owner, make_user("newcomer")):
            page = tree(signed_in(client, user).get("/"))
            assert list(find_all(page, "href", PATH)), user.username
