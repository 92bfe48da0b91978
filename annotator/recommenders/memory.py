"""`memory`: learns from the project's accepted and gold spans which label each text gets, and suggests it
wherever that text occurs (word-bounded, compared case-folded).

Each distinct text (case-folded, trimmed) gets the label most often given to it, with score = that label's share
of the text's spans; on a tie, the lowest label id, so that a rerun answers the same.
"""

from collections import Counter, defaultdict

from annotator.recommenders.matcher import PhraseMatcher


def learn(spans):
    """[(phrase, label, score)] from training spans [(text, label)]: one per distinct case-folded text."""
    counts = defaultdict(Counter)
    shown = {}
    for text, label in spans:
        phrase = text.strip()
        if phrase:
            key = phrase.casefold()
            counts[key][label] += 1
            shown.setdefault(key, phrase)
    learned = []
    for key, labels in counts.items():
        label, count = min(labels.items(), key=lambda item: (-item[1], item[0]))
        learned.append((shown[key], label, count / labels.total()))
    return learned


class Memory:
    """Built once per job from the training spans [(text, label)] (gathered by the caller); `suggest(text)` per
    document."""

    def __init__(self, spans):
        self.learned = learn(spans)
        self.matcher = PhraseMatcher(self.learned, case_sensitive=False)

    def suggest(self, text):
        return self.matcher.find(text)
