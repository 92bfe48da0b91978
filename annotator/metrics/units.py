"""The units Cohen's kappa and Krippendorff's alpha compare: (token, label) pairs, a token being a match of
`\\w+|[^\\w\\s]` extended to whole grapheme clusters (annotator.text.tokenize), the value 1 when one of the
annotator's spans of that label covers any character of the token, else 0. An annotator's 1s for one label are
kept as runs of token indices."""

from bisect import bisect_left
from collections import Counter

from annotator.metrics.spans import merge


def covered_tokens(tokens, spans):
    """Sorted, disjoint runs [i, j) of indices into `tokens` ((start, end), in text order) of the tokens that
    any of `spans` ((start, end)) covers at least one character of."""
    runs = []
    for start, end in spans:
        first = bisect_left(tokens, (start + 1,))  # the first token starting after `start` …
        if first and tokens[first - 1][1] > start:  # … or the one `start` falls in
            first -= 1
        last = bisect_left(tokens, (end,))  # tokens from here on start at or after `end`
        if first < last:
            runs.append((first, last))
    return merge(runs)


def run_length(runs):
    return sum(j - i for i, j in runs)


def intersection_length(a, b):
    """How many token indices two lists of sorted, disjoint runs share."""
    total = i = j = 0
    while i < len(a) and j < len(b):
        low, high = max(a[i][0], b[j][0]), min(a[i][1], b[j][1])
        if low < high:
            total += high - low
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return total


def coverage_counts(layers):
    """{k: how many token indices exactly k of `layers` (lists of runs) cover}, for k >= 1."""
    edges = Counter()
    for runs in layers:
        for i, j in runs:
            edges[i] += 1
            edges[j] -= 1
    counts = Counter()
    depth, previous = 0, None
    for position in sorted(edges):
        if depth:
            counts[depth] += position - previous
        depth += edges[position]
        previous = position
    return counts
