"""`lexicon`: phrase lists per label; every word-bounded occurrence of each phrase becomes a suggestion.

Config: {"entries": [{"label": id, "phrase": "…"}], "case_sensitive": false, "score": 1.0}. A phrase is plain
text (trimmed of surrounding white space); "score" (optional, default 1.0) is every suggestion's score, since a
phrase list is sure of where a phrase is but not of the label, which the team decides by its own threshold.
"""

from annotator.recommenders.base import ConfigError, check_label, check_score
from annotator.recommenders.matcher import PhraseMatcher

MAX_ENTRIES = 100_000
MAX_PHRASE = 1_000
KEYS = {"entries", "case_sensitive", "score"}


def clean_config(config):
    """The config with its phrases trimmed and its defaults filled in; raises ConfigError naming the first bad part
    (an unknown key, a missing or blank phrase, a label that is not an id, a score outside [0, 1])."""
    if not isinstance(config, dict):
        raise ConfigError("", "The config must be a JSON object.")
    unknown = sorted(set(config) - KEYS)
    if unknown:
        raise ConfigError(unknown[0], f"unknown key; a lexicon takes {', '.join(sorted(KEYS))}.")
    case_sensitive = config.get("case_sensitive", False)
    if not isinstance(case_sensitive, bool):
        raise ConfigError("case_sensitive", "must be true or false.")
    score = check_score(config.get("score", 1.0), "score")
    entries = config.get("entries")
    if not isinstance(entries, list) or not entries:
        raise ConfigError("entries", "must be a non-empty list of {label, phrase}.")
    if len(entries) > MAX_ENTRIES:
        raise ConfigError("entries", f"at most {MAX_ENTRIES:,} entries.")
    cleaned = []
    for index, entry in enumerate(entries):
        field = f"entries[{index}]"
        if not isinstance(entry, dict) or set(entry) != {"label", "phrase"}:
            raise ConfigError(field, "must be an object with exactly label and phrase.")
        label = check_label(entry["label"], f"{field}.label")
        phrase = entry["phrase"]
        if not isinstance(phrase, str):
            raise ConfigError(f"{field}.phrase", "must be a string.")
        phrase = phrase.strip()
        if not phrase:
            raise ConfigError(f"{field}.phrase", "may not be blank.")
        if len(phrase) > MAX_PHRASE:
            raise ConfigError(f"{field}.phrase", f"at most {MAX_PHRASE:,} characters.")
        cleaned.append({"label": label, "phrase": phrase})
    return {"entries": cleaned, "case_sensitive": case_sensitive, "score": score}


def labels(config):
    """The label ids a (clean) config names, for the caller to check against the project's labels."""
    return sorted({entry["label"] for entry in config["entries"]})


class Lexicon:
    """Built once per job from a config (checked by clean_config); `suggest(text)` per document."""

    def __init__(self, config):
        config = clean_config(config)
        self.matcher = PhraseMatcher(
            ((e["phrase"], e["label"], config["score"]) for e in config["entries"]), config["case_sensitive"]
        )

    def suggest(self, text):
        return self.matcher.find(text)
