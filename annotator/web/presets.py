"""The label presets as the pages offer them: the one the UI offers first leading, the rest by name."""

from annotator.presets import DEFAULT_PRESET, PRESETS, QUESTION_PRESETS, RELATION_PRESETS

LABEL_FIELDS = ("name", "key", "color", "description")
RELATION_TYPE_FIELDS = ("name", "key", "color", "description", "from_labels", "to_labels")
QUESTION_FIELDS = ("name", "kind", "options", "key", "description")


def preset_choices():
    """Every preset as {"name", "labels", "relation_types", "questions"}: each label with the fields a label POST
    takes, each relation type with those of a relation type POST but its ends' labels by name (the project's ids
    are not known until its labels exist), each question with those of a question POST."""
    names = [DEFAULT_PRESET, *sorted(name for name in PRESETS if name != DEFAULT_PRESET)]
    return [
        {
            "name": name,
            "labels": [{field: label[field] for field in LABEL_FIELDS} for label in PRESETS[name]],
            "relation_types": [
                {field: relation_type[field] for field in RELATION_TYPE_FIELDS}
                for relation_type in RELATION_PRESETS.get(name, [])
            ],
            "questions": [
                {field: question[field] for field in QUESTION_FIELDS} for question in QUESTION_PRESETS.get(name, [])
            ],
        }
        for name in names
    ]
