"""Cohen's kappa (Cohen 1960): agreement of two raters on the same units, corrected for chance."""


def cohen_kappa(table):
    """Kappa of a k×k contingency table (rows: rater A's category, columns: rater B's), in exact integer
    arithmetic until the last division. None when there are no units, or when chance agreement is already
    total (both raters gave every unit the same one category: kappa is 0/0)."""
    n = sum(sum(row) for row in table)
    agreed = sum(table[i][i] for i in range(len(table)))
    chance = sum(sum(row) * sum(column) for row, column in zip(table, zip(*table, strict=True), strict=True))
    if n == 0 or chance == n * n:
        return None
    return (n * agreed - chance) / (n * n - chance)


def binary_kappa(*, both, only_a, only_b, neither):
    """Kappa of two raters marking units 1 or 0, from the counts of units each combination got."""
    return cohen_kappa([[both, only_a], [only_b, neither]])
