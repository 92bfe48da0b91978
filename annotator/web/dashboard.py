"""A project's overview page: progress per annotator, spans per label and per source, the answers to each question
overall and per source, how each source of suggestions fares, the user's own queue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.dateparse import parse_datetime

from annotator.choices import AssignmentStatus
from annotator.permissions import REVIEWERS, sees_all_spans
from annotator.selectors.agreement import project_agreement
from annotator.selectors.documents import document_queue
from annotator.selectors.projects import project_progress
from annotator.services.figures import figures_agreement, figures_in_request, figures_progress, figures_stats
from annotator.web.access import page_member
from annotator.web.charts import bars, heatmap, stacked_bars

# The overview lists this much of the user's queue; the documents page has all of it.
QUEUE_ROWS = 50


@login_required
def page(request, project_id):
    """The overview of one project for any of its members; a blind project's annotator sees only their own figures."""
    member = page_member(request.user, project_id)
    stats = figures_stats(member=member)
    everyone = sees_all_spans(member)
    progress = project_progress(
        member=member,
        stats=stats if everyone else None,
        counts=figures_progress(project=member.project) if everyone else None,
    )
    queue = document_queue(member=member, limit=QUEUE_ROWS)
    mine = next((row for row in progress["annotators"] if row["username"] == request.user.username), None)
    since = since_version(request, member.project)
    context = {
        "project": member.project,
        "role": member.role,
        "tab": "overview",
        "sees_all": sees_all_spans(member),
        "progress": progress,
        "queue": queue,
        "queue_total": mine["total"] if mine else len(queue),
        "next": queue[0] if queue and queue[0]["status"] != AssignmentStatus.SUBMITTED else None,
        "max_label_spans": max((label["spans"] for label in progress["labels"]), default=0),
        "profile": framing_profile(stats),
        "question_charts": question_charts(stats),
        "suggestions": stats["suggestions"],
        **gold_basis(stats),
        "agreement": agreement_charts(agreement_figures(member.project, since)) if member.role in REVIEWERS else None,
        # Version 1 would keep every document: everything was made under it or later.
        "since_versions": range(member.project.codebook_version, 1, -1),
    }
    return render(request, "annotator/project.html", context)


def agreement_figures(project, since):
    """The default figures from the cache (services.figures); restricted to a codebook version, computed here."""
    if since is None:
        figures = figures_agreement(project=project)
    else:
        figures = figures_in_request(project_agreement(project=project, since_version=since))
    return {**figures, "computed_at_time": parse_datetime(figures["computed_at"]) if figures["computed_at"] else None}


def since_version(request, project):
    """The codebook version the agreement figures are restricted to (`?since_version=n`, 1 <= n <= the current
    version), or None, for every version's, when the page is asked for none or for anything else."""
    value = request.GET.get("since_version", "")
    if not value.isascii() or not value.isdigit() or len(value) > 9:  # int() refuses over 4,300 digits
        return None
    number = int(value)
    return number if 1 <= number <= project.codebook_version else None


def framing_profile(stats):
    """Sources × labels, spans per 1,000 characters of each source's text, as a heat map (None: no spans)."""
    used = [label["name"] for label in stats["labels"] if label["spans"]]
    sources = {row["source"] or "(no source)": row for row in stats["sources"] if row["characters"]}
    if not used or not sources:
        return None
    return heatmap(
        list(sources),
        used,
        lambda source, label: sources[source]["labels_per_1000_characters"].get(label, 0.0),
    )


def gold_basis(stats):
    """What the suggestions' precision and recall rest on, the same for every source: `gold_basis`, the gold
    documents and spans (None without gold, or for an annotator, who never sees gold), and `no_gold`, True for an
    owner or reviewer of a project with suggestions but no gold yet."""
    gold = next((row["gold"] for row in stats["suggestions"]), None)
    return {
        "gold_basis": gold if gold and gold["documents"] else None,
        "no_gold": gold is not None and not gold["documents"],
    }


ALL_SOURCES = "All outlets"


def question_charts(stats):
    """Per question with answers, in id order: its answers' distribution overall and per source (outlet) as
    stacked bars, each value's share of the row (a multi answer counts under each option it chose), every bar
    carrying its row's number of answers for the table beside it."""
    charts = []
    for question in stats["questions"]:
        if not question["answers"]:
            continue
        values = [str(row["value"]) for row in question["values"]]
        rows = [(ALL_SOURCES, question["answers"], question["values"])]
        rows += [(row["source"] or "(no source)", row["answers"], row["values"]) for row in question["sources"]]
        counted = [(name, {str(row["value"]): row["answers"] for row in counts}) for name, _, counts in rows]
        chart = stacked_bars(counted, values)
        for bar, (_, answers, _) in zip(chart["bars"], rows, strict=True):
            bar["answers"] = answers
        charts.append({**{key: question[key] for key in ("question", "name", "kind")}, "chart": chart})
    return charts


def agreement_charts(figures):
    """The agreement table's figures, a pair-by-pair heat map of Cohen's kappa (its diagonal, each annotator
    against themselves, left blank) and per-label alpha bars."""
    names = sorted({pair["a"] for pair in figures["pairs"]} | {pair["b"] for pair in figures["pairs"]})
    kappa = {frozenset((pair["a"], pair["b"])): pair["cohen_kappa"] for pair in figures["pairs"]}
    return {
        **figures,
        "pair_map": heatmap(names, names, lambda a, b: kappa.get(frozenset((a, b))), scale=1.0, blank_diagonal=True)
        if len(names) >= 2
        else None,
        "label_bars": bars([(row["name"], row["krippendorff_alpha"]) for row in figures["labels"]]),
    }
