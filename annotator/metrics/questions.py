"""Agreement on a document question (SPEC "Agreement", `questions`), from plain data: the answers each compared
annotator gave on each compared document.

Units are the documents (`single`: nominal; `scale`: ordinal, its integers ranked), or for `multi` each
(document, option) with 1 if the annotator chose the option, else 0 (nominal), every option of the question on
every compared document. `percent_agreement` is the share of (document, pair) whose two answers are identical (a
multi answer's options as a set); `cohen_kappa` is unweighted, each pair's over the units both answered, and the
mean over pairs; `krippendorff_alpha` takes every annotator at once. A figure with nothing to rest on is None: no
document two annotators answered, or (kappa, alpha) answers that never vary, where chance agreement is already
total and the figure is 0/0, as the `krippendorff` package refuses a single value too."""

from collections import Counter, defaultdict
from itertools import combinations

from annotator.metrics.alpha import binary_alpha, unit_alpha
from annotator.metrics.kappa import binary_kappa, cohen_kappa
from annotator.metrics.report import mean

MULTI, SCALE = "multi", "scale"


def question_agreement(kind, options, documents):
    """{documents, percent_agreement, cohen_kappa, krippendorff_alpha} of one question of `kind` ("single",
    "multi" or "scale") with `options` (multi: its options, in order; the others need none), over `documents`:
    an iterable of {annotator: value}, one a document, holding the compared annotators who answered it; a
    document with fewer than two is not compared. Annotators are any sortable ids."""
    # each document's annotators in order, and each pair's figures taken in order: the same float sums whatever
    # order the answers came in
    documents = [{coder: answers[coder] for coder in sorted(answers)} for answers in documents if len(answers) >= 2]
    if kind == MULTI:
        documents = [{coder: frozenset(value) for coder, value in answers.items()} for answers in documents]
        kappa, alpha = _multi_figures(options, documents)
    else:
        kappa, alpha = _single_figures(documents, "ordinal" if kind == SCALE else "nominal")
    return {
        "documents": len(documents),
        "percent_agreement": _percent_agreement(documents),
        "cohen_kappa": kappa,
        "krippendorff_alpha": alpha,
    }


def _pairs(answers):
    """Each pair (a, b), a < b, of one document's annotators, with their two answers."""
    for a, b in combinations(sorted(answers), 2):
        yield (a, b), answers[a], answers[b]


def _percent_agreement(documents):
    agreed = total = 0
    for answers in documents:
        for _, value_a, value_b in _pairs(answers):
            total += 1
            agreed += value_a == value_b
    return agreed / total if total else None


def _single_figures(documents, level):
    """Kappa (the mean over pairs of each pair's k×k table of values) and alpha at `level`, a document a unit."""
    pairs = defaultdict(list)  # (a, b) -> [(A's value, B's value), …]
    for answers in documents:
        for pair, value_a, value_b in _pairs(answers):
            pairs[pair].append((value_a, value_b))
    kappas = []
    for _, compared in sorted(pairs.items()):
        index = {}
        for value in (value for both in compared for value in both):
            index.setdefault(value, len(index))
        table = [[0] * len(index) for _ in index]
        for value_a, value_b in compared:
            table[index[value_a]][index[value_b]] += 1
        kappas.append(cohen_kappa(table))
    return mean(kappas), unit_alpha((list(answers.values()) for answers in documents), level)


def _multi_figures(options, documents):
    """Kappa (the mean over pairs of each pair's 0/1 table over (document, option) units) and binary alpha over
    the same units. The options are the question's and any an answer chose that it no longer offers."""
    offered = set(options)
    for answers in documents:
        for chosen in answers.values():
            offered |= chosen
    tallies = defaultdict(Counter)  # (a, b) -> {"both", "only_a", "only_b", "neither"}
    units = Counter()  # (coders, ones) -> (document, option) units where `ones` of the `coders` chose the option
    for answers in documents:
        for pair, chosen_a, chosen_b in _pairs(answers):
            tally = tallies[pair]
            tally["both"] += len(chosen_a & chosen_b)
            tally["only_a"] += len(chosen_a - chosen_b)
            tally["only_b"] += len(chosen_b - chosen_a)
            tally["neither"] += len(offered) - len(chosen_a | chosen_b)
        coders, ones = len(answers), Counter(option for chosen in answers.values() for option in chosen)
        for k in ones.values():
            units[coders, k] += 1
        units[coders, 0] += len(offered) - len(ones)
    kappa = mean(binary_kappa(**tally) for _, tally in sorted(tallies.items()))
    return kappa, binary_alpha(units)
