"""AgreementReport and relation F1 split into documents' shares (issue 18): a document's share computed alone,
through JSON and pooled gives exactly the figures of adding the documents directly."""

import json
import random

import pytest

from annotator.metrics.relations import (
    End,
    Relation,
    RelationTally,
    relation_agreement,
    relation_figures,
    relation_tallies,
)
from annotator.metrics.report import AgreementReport

TEXT_TOKENS = [(i * 6, i * 6 + 5) for i in range(40)]  # 40 five-character tokens, a space between


def random_document(rng, coders):
    annotations = {}
    for coder in rng.sample(coders, rng.randrange(1, len(coders) + 1)):
        spans = []
        for _ in range(rng.randrange(0, 6)):
            start = rng.randrange(0, 230)
            spans.append((rng.choice([1, 2, 3]), start, start + rng.randrange(1, 20)))
        annotations[coder] = spans
    return annotations


@pytest.mark.parametrize("seed", range(8))
def test_pooled_shares_equal_the_report_of_every_document(seed):
    rng = random.Random(seed)
    documents = [random_document(rng, ["ann", "bob", "cid", "dee"]) for _ in range(25)]
    direct = AgreementReport()
    for annotations in documents:
        direct.add(TEXT_TOKENS, annotations)
    pooled = AgreementReport()
    for annotations in documents:
        alone = AgreementReport()
        alone.add(TEXT_TOKENS, annotations)
        pooled.add_data(json.loads(json.dumps(alone.to_data())))

    assert pooled.figures() == direct.figures()
    assert AgreementReport.from_data(json.loads(json.dumps(direct.to_data()))).figures() == direct.figures()


@pytest.mark.parametrize("seed", range(4))
def test_relation_shares_add_up_to_relation_agreement(seed):
    rng = random.Random(seed)
    documents = []
    for _ in range(15):
        by_coder = {}
        for coder in rng.sample(["ann", "bob", "cid"], rng.randrange(1, 4)):
            by_coder[coder] = [
                Relation(rng.choice([7, 8]), End(1, s, s + 4), End(2, t, t + 3))
                for s, t in ((rng.randrange(20), rng.randrange(20)) for _ in range(rng.randrange(0, 4)))
            ]
        documents.append(by_coder)
    pairs, tallies = set(), {}
    for annotations in documents:
        document_pairs, document_tallies = relation_tallies(annotations)
        pairs |= document_pairs
        for key, tally in document_tallies.items():
            tallies.setdefault(key, RelationTally())
            tallies[key] += tally

    assert relation_figures(pairs, tallies) == relation_agreement(documents)
