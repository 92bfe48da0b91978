"""Shared data for the format tests: export records, the label scheme, and golden-file helpers.

Golden files live in tests/unit/golden/. `SLANT_UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit -k formats` rewrites
the expected ones from the codecs' output; review the diff before keeping it.
"""

import json
import os
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"

FLAG_UA = "\U0001f1fa\U0001f1e6"
SHIP = "\U0001f6a2"
GRIN = "\U0001f600"
CAFE = "cafe\u0301"  # e + COMBINING ACUTE ACCENT

EN = (
    f"Harbour council delays the ferry vote {SHIP}\n"
    "The council postponed Tuesday's vote after islanders asked for more time. "
    f'"We were handed forty pages on Friday," said Olena Petrenko {FLAG_UA}, who chairs the islanders\' association.\n'
    f'At the {CAFE} by the pier, a spokesperson told reporters the timetable "protects the late crossing".'
)
UK = (
    "Рада гавані відклала голосування.\n"
    f"Олена Петренко заявила: «Нам дали сорок сторінок у п'ятницю» {GRIN}.\n"
    "Рішення очікують 19 березня."
)

LABELS = [
    {"name": "Source attribution", "color": "#4e79a7", "description": "Who says it."},
    {"name": "Editorial appeal", "color": "#f28e2b", "description": "Words that ask the reader to feel."},
    {"name": "Diplomatic claim", "color": "#e15759", "description": "A claim made on behalf of a state."},
    {"name": "Place", "color": "#76b7b2", "description": "Where it happens."},
]
# The relation types export_records' relations use.
RELATION_TYPES = [
    {"name": "Located at", "color": "#59a14f", "description": "Where the source is."},
    {"name": "Says", "color": "#b07aa1", "description": "The source and what it says."},
]

# The questions export_records' answers answer.
QUESTIONS = [
    {"name": "Primary frame", "kind": "single", "options": ["Economic", "Political", "Legality"], "min": None,
     "max": None, "description": "The frame the article leads with."},
    {"name": "Frames", "kind": "multi", "options": ["Economic", "Political", "Legality"], "min": None, "max": None,
     "description": ""},
    {"name": "Slant", "kind": "scale", "options": [], "min": -2, "max": 2, "description": "Against (-2) to for (2)."},
]  # fmt: skip


def at(text, piece):
    start = text.index(piece)
    return start, start + len(piece)


def span(text, piece, label, annotator=None, review_status="pending", note="", *, id=None):
    start, end = at(text, piece)
    return {
        "id": id,
        "start": start,
        "end": end,
        "label": label,
        "annotator": annotator,
        "text": piece,
        "note": note,
        "review_status": review_status,
    }


def relation(kind, start, end, annotator=None, review_status="pending", note=""):
    return {"type": kind, "from": start, "to": end, "annotator": annotator, "review_status": review_status,
            "note": note}  # fmt: skip


def answer(question, value, annotator=None, review_status="pending"):
    return {"question": question, "value": value, "annotator": annotator, "review_status": review_status}


def export_records():
    """Two documents as the export service hands them over: emoji, a flag, a combining accent, Cyrillic; spans by
    id and relations between them by those ids; bob worked under codebook version 2, everyone else under 1."""
    return _versioned([
        {
            "id": 7,
            "external_id": "ledger-031",
            "title": "Harbour council delays the ferry vote",
            "text": EN,
            "source": "The Quayside Ledger",
            "url": "https://ledger.example/harbour/ferry-vote",
            "author": "Mira Kovač",
            "published_at": "2024-03-05T09:30:00+01:00",
            "language": "en",
            "metadata": {"section": "harbour", "tags": ["ferry", "council"]},
            "spans": [
                span(
                    EN, f"said Olena Petrenko {FLAG_UA}", "Source attribution", "alice", "accepted", "names her", id=101
                ),
                span(EN, "Olena Petrenko", "Place", "alice", id=102),  # nested in the one above
                span(EN, '"We were handed forty pages on Friday,"', "Editorial appeal", "bob", "rejected", id=103),
                span(EN, CAFE, "Place", "bob", id=104),
                span(EN, "a spokesperson told reporters", "Source attribution", "bob", id=105),
            ],
            "relations": [
                relation("Located at", 101, 102, "alice", "accepted"),
                relation("Says", 105, 103, "bob", note="=the quote it frames"),
            ],
            "answers": [
                answer("Primary frame", "Political", "alice", "accepted"),
                answer("Slant", -1, "alice"),
                answer("Frames", ["Economic", "Political"], "bob", "rejected"),
                answer("Slant", 2, "bob"),
            ],
        },
        {
            "id": 8,
            "external_id": "",
            "title": "Рада гавані відклала голосування",
            "text": UK,
            "source": "",
            "url": "",
            "author": "",
            "published_at": None,
            "language": "uk",
            "metadata": {},
            "spans": [
                span(UK, "Олена Петренко", "Source attribution", "alice", note="line one\nline two", id=201),
                span(UK, f"«Нам дали сорок сторінок у п'ятницю» {GRIN}", "Editorial appeal", "alice", id=202),
                span(UK, "голосування.\nОлена", "Diplomatic claim", None, "accepted", id=203),  # gold, across a break
                span(UK, "Петренко заявила", "Diplomatic claim", "bob", id=204),  # overlaps the first
            ],
            "relations": [relation("Says", 201, 202, "alice", note="line one\nline two")],
            "answers": [answer("Primary frame", "Legality", "alice"), answer("Primary frame", "Economic", None, None)],
        },
    ])


def _versioned(records):
    """`records` with the codebook version each span, relation and answer was made under."""
    for record in records:
        for key in ("spans", "relations", "answers"):
            for item in record.get(key, ()):
                item["codebook_version"] = 2 if item.get("annotator") == "bob" else 1
    return records


def golden_bytes(name):
    return (GOLDEN / name).read_bytes()


def golden_json(name):
    return json.loads(golden_bytes(name))


def assert_golden(name, data):
    """`data` (bytes) equals the golden file `name`; SLANT_UPDATE_GOLDEN=1 rewrites the file first."""
    path = GOLDEN / name
    if os.environ.get("SLANT_UPDATE_GOLDEN") == "1":
        path.write_bytes(data)
    assert data == path.read_bytes()


def assert_golden_records(name, records):
    """Read records equal the golden JSON `name` (SLANT_UPDATE_GOLDEN=1 rewrites it first)."""
    data = (json.dumps(records, ensure_ascii=False, indent=1) + "\n").encode()
    assert_golden(name, data)


def comparable(records):
    """Records reduced to what every span-carrying format keeps, for round-trip comparisons."""
    return [
        (
            record["text"],
            sorted((item["start"], item["end"], item["label"]) for item in record["spans"]),
        )
        for record in records
    ]


def relation_ends(record, *keys):
    """The record's relations as (type, from span, to span, *keys), each span as (start, end, label), sorted: what a
    round trip must give back whatever ids the spans get."""
    spans = {item["id"]: (item["start"], item["end"], item["label"]) for item in record["spans"]}
    return sorted((item["type"], spans[item["from"]], spans[item["to"]], *(item[key] for key in keys))
                  for item in record["relations"])  # fmt: skip
