"""The label presets as the pages offer them: the one the UI offers first leading, the rest by name."""

from annotator.presets import DEFAULT_PRESET, PRESETS

LABEL_FIELDS = ("name", "key", "color", "description")


def preset_choices():
    """Every preset as {"name", "labels"}, each label with the fields a label POST takes."""
    names = [DEFAULT_PRESET, *sorted(name for name in PRESETS if name != DEFAULT_PRESET)]
    return [
        {"name": name, "labels": [{field: label[field] for field in LABEL_FIELDS} for label in PRESETS[name]]}
        for name in names
    ]
