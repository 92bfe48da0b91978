"""Agreement maths: pure functions over plain data (no ORM, no Django), unit-tested against published figures.

spans.py   span F1, exact and overlap (SemEval-2020 Task 11)
kappa.py   Cohen's kappa
alpha.py   Krippendorff's alpha (nominal, ordinal, interval, ratio; by coder or by unit; a fast form for 0/1 units)
questions.py  agreement on document questions: percent agreement, kappa, alpha (nominal, ordinal, per option)
relations.py  relation F1, exact and overlap, matches one-to-one (a maximum bipartite matching)
gamma.py   γ of Mathet et al. (2015) per document, overall and per label, as pygamma-agreement computes it
units.py   the (token, label) units kappa and alpha compare
suggestions.py  how a source of suggestions fares: acceptance rate, precision and recall against gold
report.py  SPEC's agreement figures for a set of documents: pooling, means over pairs, nulls
"""
