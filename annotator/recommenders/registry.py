"""The local recommender kinds by name: how a config is checked, which labels it names, how a job builds one.

A job builds its recommender once (`build`) and calls `suggest(text)` per document. `memory` needs the training
spans [(text, label id)] the caller gathers (the project's accepted and gold spans); the other kinds ignore them.
"""

from annotator.recommenders import attribution, lexicon
from annotator.recommenders.base import ConfigError
from annotator.recommenders.memory import Memory


def _clean_memory(config):
    if not isinstance(config, dict):
        raise ConfigError("", "The config must be a JSON object.")
    if config:
        raise ConfigError(sorted(config)[0], "unknown key; memory takes no settings.")
    return {}


CLEAN = {"lexicon": lexicon.clean_config, "memory": _clean_memory, "attribution": attribution.clean_config}


def clean_config(kind, config):
    """`config` checked and filled in for `kind`; raises ConfigError naming the bad part, or "kind" when the kind
    is not a local one."""
    if kind not in CLEAN:
        raise ConfigError("kind", f"must be one of {', '.join(sorted(CLEAN))}.")
    return CLEAN[kind](config)


def config_labels(kind, config):
    """The label ids a clean config names, for the caller to check against the project's labels."""
    if kind == "lexicon":
        return lexicon.labels(config)
    if kind == "attribution":
        return sorted(set(config.values()))
    return []


def build(kind, config, training=()):
    """A recommender of `kind` built from its config (and, for memory, the training spans [(text, label)])."""
    config = clean_config(kind, config)
    if kind == "lexicon":
        return lexicon.Lexicon(config)
    if kind == "attribution":
        return attribution.Attribution(config)
    return Memory(training)
