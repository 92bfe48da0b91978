"""How a source of suggestions fares: the share of decisions that accept it, and precision and recall against the
gold layer. Pure arithmetic over plain data; a figure with nothing to rest on is None.

A source is judged on the documents that have gold (at least one gold span): its suggestions there that equal a
gold span (label, start, end) are its matches; precision is matches over its suggestions there, recall matches
over every gold span there. A document without gold says nothing about a source: nobody has decided what is right
on it. Recall counts every gold document, also those the source made no suggestion on (it was not run there, or
found nothing): the question is how much of the gold the source finds.
"""

from collections import namedtuple

# One suggestion or gold span, as the matching sees it: its document and its label, start and end.
Item = namedtuple("Item", "document label start end")


def ratio(part, whole):
    """part / whole, or None when whole is 0."""
    return part / whole if whole else None


def acceptance_rate(*, accepted, rejected):
    """The share of decisions that accepted: accepted / (accepted + rejected); None before any decision."""
    return ratio(accepted, accepted + rejected)


def precision_recall(*, matches, suggestions, gold):
    """(precision, recall) of a source: `matches` of its `suggestions` on documents with gold equal a gold span,
    out of `gold` spans on those documents. Precision is None without suggestions there, recall None without
    gold."""
    return ratio(matches, suggestions), ratio(matches, gold)


def gold_counts(suggestions, gold):
    """The counts precision_recall takes, from plain data: `suggestions` of one source and `gold` spans, each an
    Item (document, label, start, end). {"documents": documents with gold, "suggestions": the source's
    suggestions on them, "spans": gold spans, "matches": suggestions equal to a gold span}. The stats selector
    counts the same in the database; its tests hold it to this."""
    gold = set(gold)
    documents = {item.document for item in gold}
    # A source suggests a span once (the database's unique rule), so a repeat here is the same suggestion.
    judged = {item for item in suggestions if item.document in documents}
    return {
        "documents": len(documents),
        "suggestions": len(judged),
        "spans": len(gold),
        "matches": len(judged & gold),
    }
