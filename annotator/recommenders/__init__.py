"""Suggestion makers: pure code over plain data (no ORM, no Django). Each local one is built once per job from its
config and then called per document: `recommender.suggest(text) -> [{"label", "start", "end", "score"}]`, offsets in
code points of `text`, sorted by (start, end, label).

base.py        ConfigError (a 400 naming the config entry) and the suggestion shape
matcher.py     PhraseMatcher: every word-bounded occurrence of thousands of phrases (Aho-Corasick), case folding
lexicon.py     `lexicon`: phrase lists per label
memory.py      `memory`: learns text → label from the project's accepted and gold spans
attribution.py `attribution`: English reported speech, as Source, Cue and Content
registry.py    the local kinds by name: clean_config(kind, config), config_labels, build(kind, config, training)
remote.py      `http` and `labelstudio-ml`: remote models over one HTTP helper, allow-listed hosts only
"""
