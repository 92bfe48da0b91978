"""SPEC's agreement figures for a set of documents, from plain data: who annotated each document, their spans
and the document's tokens. The selector fetches; everything SPEC says about pooling and nulls lives here."""

from collections import Counter, defaultdict
from itertools import combinations

from annotator.metrics.alpha import binary_alpha
from annotator.metrics.kappa import binary_kappa
from annotator.metrics.spans import SpanTally, covered_share, exact_matches, merge
from annotator.metrics.units import coverage_counts, covered_tokens, intersection_length, run_length


def mean(values):
    """The mean of the values that are not None; None when none is."""
    values = [value for value in values if value is not None]
    return sum(values) / len(values) if values else None


class UnitTally:
    """One pair's (token, label) units: how many both marked 1, only A, only B; the rest are 0 for both."""

    __slots__ = ("both", "only_a", "only_b")

    def __init__(self):
        self.both = self.only_a = self.only_b = 0

    def __iadd__(self, other):
        self.both += other.both
        self.only_a += other.only_a
        self.only_b += other.only_b
        return self

    def kappa(self, units):
        """Cohen's kappa over `units` units, those not counted here being 0 for both."""
        neither = units - self.both - self.only_a - self.only_b
        return binary_kappa(both=self.both, only_a=self.only_a, only_b=self.only_b, neither=neither)


class Layer:
    """One annotator's spans of one label in one document, prepared once for every pair it is part of."""

    __slots__ = ("size", "intervals", "cover", "runs")

    def __init__(self, spans, tokens):
        self.size = len(spans)
        self.intervals = sorted((start, end) for _, start, end in spans)  # one label: (start, end) is the span
        self.cover = merge(self.intervals)
        self.runs = covered_tokens(tokens, self.cover)


class AgreementReport:
    """Add documents one by one, then read SPEC's figures (figures()).

    A document is `tokens` (its (start, end) tokens in text order, annotator.text.tokenize) and `annotations`
    {annotator: [(label, start, end), …]} with an entry for each of its annotators, spans or none; one with
    fewer than two annotators is not compared. Annotators and labels are any sortable ids; in a pair (a, b),
    a < b, and A's spans give overlap P, B's give R. Span F1 and unit counts are pooled over documents (micro
    average); kappa is a pair's, and a label's or the overall figure is the mean over pairs."""

    def __init__(self):
        self.documents = 0
        self.pair_documents = Counter()
        self.pair_tokens = Counter()  # each label gives a pair one unit per token of the documents both annotated
        self.tallies = defaultdict(SpanTally)  # (pair, label) -> span sums
        self.units = defaultdict(UnitTally)  # (pair, label) -> unit counts
        self.label_documents = Counter()
        self.ones = defaultdict(Counter)  # label -> {(coders, k >= 1): units where k of the coders gave 1}
        self.tokens_by_coders = Counter()  # coders -> tokens of the documents with that many annotators

    def add(self, tokens, annotations):
        coders = sorted(annotations)
        if len(coders) < 2:
            return
        self.documents += 1
        self.tokens_by_coders[len(coders)] += len(tokens)
        layers = {}  # (coder, label) -> Layer
        for coder in coders:
            by_label = defaultdict(list)
            for span in annotations[coder]:
                by_label[span[0]].append(span)
            for label, spans in by_label.items():
                layers[coder, label] = Layer(spans, tokens)
        labels = {label for _, label in layers}
        self.label_documents.update(labels)
        for pair in combinations(coders, 2):
            self.pair_documents[pair] += 1
            self.pair_tokens[pair] += len(tokens)
            for label in labels:
                a, b = layers.get((pair[0], label)), layers.get((pair[1], label))
                if a is not None or b is not None:
                    self._compare(self.tallies[pair, label], self.units[pair, label], a, b)
        for label in labels:
            counts = coverage_counts([layers[coder, label].runs for coder in coders if (coder, label) in layers])
            for k, n in counts.items():
                self.ones[label][len(coders), k] += n

    def __iadd__(self, other):
        """Pool another report's documents into this one. Every sum here is additive; adding documents' reports in
        the order their documents would have been added gives exactly the figures of adding them directly (the
        float sums are made in the same order, the counters keep the same key order)."""
        self.documents += other.documents
        self.pair_documents.update(other.pair_documents)
        self.pair_tokens.update(other.pair_tokens)
        for key, tally in other.tallies.items():
            self.tallies[key] += tally
        for key, units in other.units.items():
            self.units[key] += units
        self.label_documents.update(other.label_documents)
        for label, counts in other.ones.items():
            mine = self.ones[label]
            for key, n in counts.items():
                mine[key] += n
        self.tokens_by_coders.update(other.tokens_by_coders)
        return self

    def to_data(self):
        """This report's sums as plain JSON data (lists, in insertion order), for from_data to read back."""
        return {
            "documents": self.documents,
            "pairs": [[a, b, n, self.pair_tokens[a, b]] for (a, b), n in self.pair_documents.items()],
            "tallies": [
                [a, b, label, t.matches, t.size_a, t.size_b, t.covered_a, t.covered_b, u.both, u.only_a, u.only_b]
                for ((a, b), label), t in self.tallies.items()
                for u in (self.units[(a, b), label],)
            ],
            "labels": [[label, n] for label, n in self.label_documents.items()],
            "ones": [[label, m, k, n] for label, counts in self.ones.items() for (m, k), n in counts.items()],
            "tokens_by_coders": [[m, n] for m, n in self.tokens_by_coders.items()],
        }

    @classmethod
    def from_data(cls, data):
        """The report to_data described."""
        report = cls()
        report.documents = data["documents"]
        for a, b, n, tokens in data["pairs"]:
            report.pair_documents[a, b] = n
            report.pair_tokens[a, b] = tokens
        for a, b, label, matches, size_a, size_b, covered_a, covered_b, both, only_a, only_b in data["tallies"]:
            report.tallies[(a, b), label] = SpanTally(matches, size_a, size_b, covered_a, covered_b)
            units = report.units[(a, b), label]
            units.both, units.only_a, units.only_b = both, only_a, only_b
        for label, n in data["labels"]:
            report.label_documents[label] = n
        for label, m, k, n in data["ones"]:
            report.ones[label][m, k] = n
        for m, n in data["tokens_by_coders"]:
            report.tokens_by_coders[m] = n
        return report

    def add_data(self, data):
        """Pool one report's to_data() into this one: `self += from_data(data)` without making its objects (a
        refresh pools 50,000 documents' data), the sums added in the same order."""
        self.documents += data["documents"]
        for a, b, n, tokens in data["pairs"]:
            self.pair_documents[a, b] += n
            self.pair_tokens[a, b] += tokens
        tallies, units = self.tallies, self.units
        for a, b, label, matches, size_a, size_b, covered_a, covered_b, both, only_a, only_b in data["tallies"]:
            tally = tallies[(a, b), label]
            tally.matches += matches
            tally.size_a += size_a
            tally.size_b += size_b
            tally.covered_a += covered_a
            tally.covered_b += covered_b
            unit = units[(a, b), label]
            unit.both += both
            unit.only_a += only_a
            unit.only_b += only_b
        for label, n in data["labels"]:
            self.label_documents[label] += n
        for label, m, k, n in data["ones"]:
            self.ones[label][m, k] += n
        for m, n in data["tokens_by_coders"]:
            self.tokens_by_coders[m] += n
        return self

    def span_f1_overlap(self):
        """Overlap span F1 pooled over every pair and label of the documents added (one document's own)."""
        tally = SpanTally()
        for key in sorted(self.tallies, key=repr):
            tally += self.tallies[key]
        return tally.f1_overlap

    @staticmethod
    def _compare(tally, units, a, b):
        """Add one document's spans of one label by A and B (either may be None: no spans)."""
        runs_a, runs_b = (a.runs if a else ()), (b.runs if b else ())
        both = intersection_length(runs_a, runs_b)
        units.both += both
        units.only_a += run_length(runs_a) - both
        units.only_b += run_length(runs_b) - both
        tally.size_a += a.size if a else 0
        tally.size_b += b.size if b else 0
        if a and b:
            tally.matches += exact_matches(a.intervals, b.intervals)
            tally.covered_a += covered_share(a.intervals, b.cover)
            tally.covered_b += covered_share(b.intervals, a.cover)

    def _alpha_units(self, label):
        """The full histogram of one label's units: where nobody gave 1, every token not counted in `ones`."""
        units = Counter(self.ones[label])
        for coders, tokens in self.tokens_by_coders.items():
            units[coders, 0] += tokens - sum(n for (m, _), n in self.ones[label].items() if m == coders)
        return units

    def figures(self):
        """{"documents": n, "overall": {…}, "labels": {label: {…}}, "pairs": {(a, b): {…}}}: span_f1_exact,
        span_f1_overlap, cohen_kappa, krippendorff_alpha (not per pair), each None with nothing to rest on, and
        per label and pair the documents it rests on (a label's: the compared documents where it was used)."""
        labels = sorted(self.label_documents)
        pairs = sorted(self.pair_documents)
        none = UnitTally()
        pair_rows = {}
        for pair in pairs:
            tally, units = SpanTally(), UnitTally()
            for label in labels:
                tally += self.tallies.get((pair, label), SpanTally())
                units += self.units.get((pair, label), none)
            pair_rows[pair] = {
                "documents": self.pair_documents[pair],
                "span_f1_exact": tally.f1_exact,
                "span_f1_overlap": tally.f1_overlap,
                "cohen_kappa": units.kappa(self.pair_tokens[pair] * len(labels)),
            }
        label_rows = {}
        overall, all_units = SpanTally(), Counter()
        for label in labels:
            tally = SpanTally()
            for pair in pairs:
                tally += self.tallies.get((pair, label), SpanTally())
            overall += tally
            units = self._alpha_units(label)
            all_units.update(units)
            label_rows[label] = {
                "documents": self.label_documents[label],
                "span_f1_exact": tally.f1_exact,
                "span_f1_overlap": tally.f1_overlap,
                "cohen_kappa": mean(
                    self.units.get((pair, label), none).kappa(self.pair_tokens[pair]) for pair in pairs
                ),
                "krippendorff_alpha": binary_alpha(units),
            }
        return {
            "documents": self.documents,
            "overall": {
                "span_f1_exact": overall.f1_exact,
                "span_f1_overlap": overall.f1_overlap,
                "cohen_kappa": mean(row["cohen_kappa"] for row in pair_rows.values()),
                "krippendorff_alpha": binary_alpha(all_units),
            },
            "labels": label_rows,
            "pairs": pair_rows,
        }


def agreement_report(documents):
    """SPEC's figures over `documents`, an iterable of (tokens, annotations) as AgreementReport.add takes."""
    report = AgreementReport()
    for tokens, annotations in documents:
        report.add(tokens, annotations)
    return report.figures()


def document_disagreement(annotations):
    """Mean over pairs of one document's annotators of their exact span F1 (lowest: most disagreement);
    `annotations` as AgreementReport.add takes. None with fewer than two annotators or no span at all."""
    coders = sorted(annotations)
    return mean(SpanTally().add(annotations[a], annotations[b]).f1_exact for a, b in combinations(coders, 2))
