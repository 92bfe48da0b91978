"""What every recommender shares: the error a bad config raises and the shape of a suggestion."""

from annotator.errors import InvalidInput


class ConfigError(InvalidInput):
    """A recommender config that cannot be used: `field` names the part ("entries[3].phrase"), `message` says
    what is wrong. The API answers 400 with {"config": ["entries[3].phrase: …"]}."""

    def __init__(self, field, message):
        self.field = field
        self.message = message
        super().__init__({"config": [f"{field}: {message}" if field else message]})

    def __str__(self):
        return f"{self.field}: {self.message}" if self.field else self.message


def suggestion(label, start, end, score):
    return {"label": label, "start": start, "end": end, "score": score}


def in_order(suggestions):
    """`suggestions` sorted by (start, end, label) without duplicates, the order every recommender answers in."""
    seen = {}
    for s in suggestions:
        seen.setdefault((s["start"], s["end"], s["label"]), s)
    return [seen[key] for key in sorted(seen)]


def check_score(value, field):
    """`value` as a float in [0, 1]; raises ConfigError naming `field` otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigError(field, "must be a number from 0 to 1.")
    return float(value)


def check_label(value, field):
    """`value` as a label id (a positive integer); whether the project has it is the caller's to check."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(field, "must be a label id.")
    return value
