"""annotator/recommenders/registry.py: one way in for the API and the jobs, whatever the local kind."""

import pytest

from annotator.recommenders.attribution import default_config
from annotator.recommenders.base import ConfigError
from annotator.recommenders.registry import build, clean_config, config_labels

LEXICON = {"entries": [{"label": 4, "phrase": "Kremlin"}, {"label": 5, "phrase": "said"}]}


class TestRegistry:
    def test_each_local_kind_is_built_and_suggests(self):
        text = '"We are ready," the Kremlin said.'
        assert [s["label"] for s in build("lexicon", LEXICON).suggest(text)] == [4, 5]
        assert [s["label"] for s in build("memory", {}, [("kremlin", 7)]).suggest(text)] == [7]
        attribution = build("attribution", {"source": 1, "cue": 2, "content": 3})
        assert sorted(s["label"] for s in attribution.suggest(text)) == [1, 2, 3]

    def test_the_labels_a_config_names_are_listed_for_the_caller_to_check(self):
        assert config_labels("lexicon", clean_config("lexicon", LEXICON)) == [4, 5]
        assert config_labels("attribution", {"source": 3, "cue": 2, "content": 3}) == [2, 3]
        assert config_labels("memory", {}) == []

    @pytest.mark.parametrize(
        "kind, config, field",
        [("regex", {}, "kind"), ("memory", {"size": 3}, "size"), ("memory", [], ""), ("lexicon", {}, "entries")],
    )
    def test_a_bad_kind_or_config_is_refused_naming_the_field(self, kind, config, field):
        with pytest.raises(ConfigError) as error:
            clean_config(kind, config)
        assert error.value.field == field


class TestAttributionDefaults:
    def test_labels_named_source_cue_and_content_are_the_default(self):
        labels = [(9, "Frame"), (3, "content"), (1, " Source "), (2, "CUE")]
        assert default_config(labels) == {"source": 1, "cue": 2, "content": 3}

    def test_a_missing_label_is_named(self):
        with pytest.raises(ConfigError) as error:
            default_config([(1, "Source"), (3, "Content")])
        assert error.value.field == "cue"
