"""Agreement between a project's annotators (SPEC "Agreement"): the data comes in a fixed handful of queries,
whatever the project's size; the maths, pooling and nulls live in annotator.metrics."""

from collections import defaultdict
from itertools import chain

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef

from annotator.choices import AssignmentStatus
from annotator.metrics import report
from annotator.metrics.gamma import document_gamma, gamma_block, no_gamma, with_gamma
from annotator.metrics.questions import question_agreement
from annotator.metrics.relations import End, RelationTally, relation_agreement, relation_figures, relation_tallies
from annotator.metrics.relations import Relation as RelationTuple
from annotator.models import (
    Answer,
    Assignment,
    CodebookVersion,
    Document,
    Label,
    Question,
    Relation,
    RelationType,
    Span,
)
from annotator.selectors.figures import document_block, stored_gammas
from annotator.text import tokenize


def _submitted(project):
    return Assignment.objects.filter(document__project=project, status=AssignmentStatus.SUBMITTED)


def _submitters(*, project, since_version=None, document_ids=None):
    """{document id: {user id: late}} of the submitted assignments, `late` saying whether the assignment was
    submitted at or after codebook version `since_version` was made (always True without it, or for version 1,
    under which everything was made). One query. A submitted assignment's updated_at is when it was submitted:
    nothing writes a submitted assignment again (services.assignments), and Slant keeps no other such time."""
    assignments = _submitted(project)
    if document_ids is not None:
        assignments = assignments.filter(document_id__in=document_ids)
    if since_version is None or since_version <= 1:
        rows = (
            (document_id, user_id, True) for document_id, user_id in assignments.values_list("document_id", "user_id")
        )
    else:
        made = CodebookVersion.objects.filter(
            project=project, number=since_version, created_at__lte=OuterRef("updated_at")
        )
        rows = assignments.values_list("document_id", "user_id", Exists(made))
    submitters = defaultdict(dict)
    for document_id, user_id, late in rows:
        submitters[document_id][user_id] = late
    return submitters


def _span_rows(*, project, document_ids=None):
    """(document id, user id, codebook version, label id, start, end) of the project's spans. One query."""
    spans = Span.objects.filter(document__project=project)
    if document_ids is not None:
        spans = spans.filter(document_id__in=document_ids)
    return list(spans.values_list("document_id", "annotator_id", "codebook_version", "label_id", "start", "end"))


def _compared(*, submitters, span_rows, include_unsubmitted):
    """{document id: {user id: [(label id, start, end), …]}} for the documents two or more annotators annotated,
    an annotator of a document being a user whose assignment on it is submitted (with `include_unsubmitted`: or
    who has a span on it), with an entry, spans or none, for each of them."""
    annotations = defaultdict(dict)
    for document_id, by_user in submitters.items():
        for user_id in by_user:
            annotations[document_id][user_id] = []
    if include_unsubmitted:
        for document_id, user_id, _, label_id, start, end in span_rows:
            annotations[document_id].setdefault(user_id, []).append((label_id, start, end))
    else:
        for document_id, user_id, _, label_id, start, end in span_rows:
            own = annotations[document_id].get(user_id) if document_id in annotations else None
            if own is not None:  # spans of someone who has not submitted the document do not count
                own.append((label_id, start, end))
    return {document_id: by_user for document_id, by_user in annotations.items() if len(by_user) >= 2}


def _annotations(*, project, include_unsubmitted, document_ids=None):
    """_compared over the project's (or `document_ids`') submitted assignments and spans. Two queries."""
    return _compared(
        submitters=_submitters(project=project, document_ids=document_ids),
        span_rows=_span_rows(project=project, document_ids=document_ids),
        include_unsubmitted=include_unsubmitted,
    )


def _made_since(*, since_version, submitters, work, include_unsubmitted):
    """The ids of the documents on which every compared annotator worked under codebook version `since_version` or
    later: each has a span, relation or answer there and all of them carry that version or a later one, or (with
    nothing there) submitted the document after that version was made. The compared annotators of a document are
    those who submitted it (with `include_unsubmitted`: and whoever has a span, relation or answer on it).
    `submitters` as _submitters gives it; `work` rows of (document id, user id, codebook version, …)."""
    oldest = defaultdict(dict)  # document -> user -> the lowest version of their work on it
    for document_id, user_id, version, *_ in work:
        by_user = oldest[document_id]
        by_user[user_id] = min(version, by_user.get(user_id, version))
    kept = set()
    for document_id in submitters.keys() | oldest.keys():
        submitted, worked = submitters.get(document_id, {}), oldest.get(document_id, {})
        users = submitted.keys() | worked.keys() if include_unsubmitted else submitted.keys()
        if all(worked[user_id] >= since_version if user_id in worked else submitted[user_id] for user_id in users):
            kept.add(document_id)
    return kept


def _texts(*, project, include_unsubmitted):
    """(id, text) of the documents that may be compared, in id order: those two annotators submitted, or with
    `include_unsubmitted` those anyone submitted or drew a span on (a superset: the caller skips the rest).
    A subquery rather than a list of ids, which SQLite caps at 32,766."""
    documents = Document.objects.filter(project=project)
    if include_unsubmitted:
        documents = documents.filter(
            Exists(_submitted(project).filter(document=OuterRef("pk")))
            | Exists(Span.objects.filter(document=OuterRef("pk")))
        )
    else:
        twice = _submitted(project).values("document_id").annotate(n=Count("id")).filter(n__gte=2)
        documents = documents.filter(id__in=twice.values("document_id"))
    return documents.order_by("id").values_list("id", "text")


def _relation_rows(*, project, document_ids=None):
    """(document id, user id, codebook version, type id, from label, start, end, to label, start, end) of the
    project's (or `document_ids`') relations, each end as its span's label, start and end. One query."""
    relations = Relation.objects.filter(document__project=project)
    if document_ids is not None:
        relations = relations.filter(document_id__in=document_ids)
    return list(
        relations.values_list(
            "document_id",
            "annotator_id",
            "codebook_version",
            "type_id",
            "from_span__label_id",
            "from_span__start",
            "from_span__end",
            "to_span__label_id",
            "to_span__start",
            "to_span__end",
        )
    )


def _relations(*, relation_rows, annotations):
    """{document id: {user id: [Relation, …]}} for the documents and annotators `annotations` compares, with an
    entry, relations or none, for each of them."""
    compared = {document_id: {user_id: [] for user_id in by_user} for document_id, by_user in annotations.items()}
    for document_id, user_id, _, type_id, *ends in relation_rows:
        own = compared.get(document_id, {}).get(user_id)
        if own is not None:  # relations of someone not compared on the document do not count
            own.append(RelationTuple(type_id, End(*ends[:3]), End(*ends[3:])))
    return compared


def _relation_figures(*, project, relation_rows, annotations, usernames):
    """SPEC's `relations` block: relation F1 (exact and overlap) overall, per type (with its name) and per pair.
    One query."""
    compared = _relations(relation_rows=relation_rows, annotations=annotations)
    figures = relation_agreement(
        {usernames[user_id]: relations for user_id, relations in by_user.items()} for by_user in compared.values()
    )
    names = dict(RelationType.objects.filter(project=project).values_list("id", "name"))
    figures["types"] = [{"type": row["type"], "name": names[row["type"]], **row} for row in figures["types"]]
    return figures


def _answer_rows(*, project, include_unsubmitted, document_ids=None):
    """(document id, user id, codebook version, question id, value) of the answers compared: those of annotators
    who submitted the document, or with `include_unsubmitted` every answer (answering a document is annotating
    it). One query."""
    answers = Answer.objects.filter(document__project=project)
    if document_ids is not None:
        answers = answers.filter(document_id__in=document_ids)
    if not include_unsubmitted:
        answers = answers.filter(
            Exists(_submitted(project).filter(document_id=OuterRef("document_id"), user_id=OuterRef("annotator_id")))
        )
    return list(answers.values_list("document_id", "annotator_id", "codebook_version", "question_id", "value"))


def _question_figures(*, project, answer_rows, usernames):
    """SPEC's `questions` block: per question of the project, in id order, its agreement over the documents two or
    more compared annotators answered, from _answer_rows, the documents in id order and the annotators named by
    `usernames` ({user id: username}), as pooled_agreement has them: the same sums in the same order. One query."""
    by_question = defaultdict(lambda: defaultdict(dict))  # question -> document -> {annotator: value}
    for document_id, user_id, _, question_id, value in sorted(answer_rows, key=lambda row: row[0]):
        by_question[question_id][document_id][usernames[user_id]] = value
    return _questions_block(project=project, by_question=by_question)


def _questions_block(*, project, by_question):
    """_question_figures from {question: {document: {annotator: value}}}. One query."""
    return [
        {
            "question": pk,
            "name": name,
            "kind": kind,
            **question_agreement(kind, options, by_question.get(pk, {}).values()),
        }
        for pk, name, kind, options in Question.objects.filter(project=project)
        .order_by("id")
        .values_list("id", "name", "kind", "options")
    ]


def project_agreement(*, project, include_unsubmitted=False, since_version=None):
    """SPEC's agreement figures for `project`: {documents, overall, labels: [{label, name, documents, …}],
    pairs: [{a, b, documents, …}], relations: {overall, types, pairs}, questions: [{question, name, kind,
    documents, …}], since_version}, labels, types and questions in id order, pairs by username (a < b); None where
    a figure has nothing to rest on. With `since_version`, every figure rests only on the documents _made_since
    keeps, whole. Ten queries; each compared document's text is tokenised once."""
    submitters = _submitters(project=project, since_version=since_version)
    span_rows = _span_rows(project=project)
    relation_rows = _relation_rows(project=project)
    answer_rows = _answer_rows(project=project, include_unsubmitted=include_unsubmitted)
    if since_version is not None:
        kept = _made_since(
            since_version=since_version,
            submitters=submitters,
            work=chain(span_rows, relation_rows, answer_rows),
            include_unsubmitted=include_unsubmitted,
        )
        submitters = {document_id: by_user for document_id, by_user in submitters.items() if document_id in kept}
        span_rows, relation_rows, answer_rows = (
            [row for row in rows if row[0] in kept] for rows in (span_rows, relation_rows, answer_rows)
        )
    annotations = _compared(submitters=submitters, span_rows=span_rows, include_unsubmitted=include_unsubmitted)
    user_ids = {user_id for by_user in annotations.values() for user_id in by_user}
    user_ids.update(row[1] for row in answer_rows)
    usernames = dict(get_user_model().objects.filter(id__in=user_ids).values_list("id", "username"))
    blocks = defaultdict(report.AgreementReport)
    for document_id, text in _texts(project=project, include_unsubmitted=include_unsubmitted):
        by_user = annotations.get(document_id)
        if by_user is not None:
            blocks[document_block(document_id)].add(
                tokenize(text), {usernames[user_id]: spans for user_id, spans in by_user.items()}
            )
    figures = report.AgreementReport()
    for block in sorted(blocks):  # pooled as the cached figures pool their blocks: the same sums, bit for bit
        figures += blocks[block]
    return _answer(
        project=project,
        figures=figures,
        relations=_relation_figures(
            project=project, relation_rows=relation_rows, annotations=annotations, usernames=usernames
        ),
        questions=_question_figures(project=project, answer_rows=answer_rows, usernames=usernames),
        since_version=since_version,
        gamma=_request_gamma(project=project, annotations=annotations, include_unsubmitted=include_unsubmitted),
    )


def gamma_request_limit():
    """At most this many documents' γ is computed in a request (metrics.gamma: about 5 ms a document of two
    annotators); the rest come from the stored figures, or are counted in `gamma_pending`."""
    return getattr(settings, "SLANT_GAMMA_REQUEST_DOCUMENTS", 20)


def gamma_quick(by_user):
    """Whether a document's γ is quick enough to compute in a request or in the figures refresh itself: two
    annotators' is an assignment problem (milliseconds); three or more heavily overlapping ones' can take HiGHS
    seconds a sample, so it is left to the γ job (services.gamma)."""
    return len(by_user) <= 2


def _request_gamma(*, project, annotations, include_unsubmitted):
    """The γ block (metrics.gamma.gamma_block) of an answer computed in the request over `annotations` (as
    _compared gives them): each document's stored γ where it is current (the default comparison only: with
    `include_unsubmitted` a document's annotators may differ from those its stored γ compared), the others
    computed here if at most gamma_request_limit() of them and quick (gamma_quick), else left out and counted as
    pending. One query."""
    stored = {} if include_unsubmitted or not annotations else stored_gammas(project=project, current=True)
    missing = [document_id for document_id in sorted(annotations) if document_id not in stored]
    computed = {}
    if len(missing) <= gamma_request_limit():
        computed = {pk: document_gamma(annotations[pk]) for pk in missing if gamma_quick(annotations[pk])}
    gammas = [stored.get(document_id) or computed.get(document_id) for document_id in sorted(annotations)]
    present = [gamma for gamma in gammas if gamma is not None]
    return gamma_block(present, pending=len(gammas) - len(present))


def _answer(*, project, figures, relations, questions, since_version, gamma):
    """SPEC's agreement answer from a filled AgreementReport, the relations and questions blocks and the γ block
    (metrics.gamma.gamma_block). One query."""
    result = figures.figures()
    names = dict(Label.objects.filter(project=project).values_list("id", "name"))
    answer = {
        "documents": result["documents"],
        "overall": {**result["overall"], "gamma": None},
        "labels": [
            {"label": label, "name": names[label], **row, "gamma": None} for label, row in result["labels"].items()
        ],
        "pairs": [{"a": a, "b": b, **row} for (a, b), row in result["pairs"].items()],
        "relations": relations,
        "questions": questions,
        "since_version": since_version,
    }
    return with_gamma(answer, gamma)


def empty_agreement(*, gamma_pending=0):
    """The agreement answer of a project with nothing compared yet."""
    answer = {
        "documents": 0,
        "overall": {**report.AgreementReport().figures()["overall"], "gamma": None},
        "labels": [],
        "pairs": [],
        "relations": relation_figures(set(), {}),
        "questions": [],
        "since_version": None,
    }
    return with_gamma(answer, no_gamma(pending=gamma_pending))


def document_parts(*, project, document_ids):
    """{document id: (annotators, part)} for those of `document_ids` in `project`: how many annotators submitted
    it and, when two or more did, its share of project_agreement's default figures as JSON data that
    block_parts adds up ({"spans", "relations", "answers", "span_f1_overlap"}), else None. Seven queries."""
    submitters = _submitters(project=project, document_ids=document_ids)
    annotations = _compared(
        submitters=submitters,
        span_rows=_span_rows(project=project, document_ids=document_ids),
        include_unsubmitted=False,
    )
    user_ids = {user_id for by_user in annotations.values() for user_id in by_user}
    usernames = dict(get_user_model().objects.filter(id__in=user_ids).values_list("id", "username"))
    compared_ids = sorted(annotations)
    relations = _relations(
        relation_rows=_relation_rows(project=project, document_ids=compared_ids), annotations=annotations
    )
    answers = defaultdict(list)
    # Every answer on these documents, those of annotators who did not submit left out here: the subquery that
    # _answer_rows would add costs PostgreSQL seconds per batch at W2.
    for document_id, user_id, _, question_id, value in _answer_rows(
        project=project, include_unsubmitted=True, document_ids=compared_ids
    ):
        if user_id in annotations[document_id]:
            answers[document_id].append([question_id, usernames[user_id], value])
    texts = dict(Document.objects.filter(project=project, id__in=compared_ids).values_list("id", "text"))
    parts = {}
    for document_id in document_ids:
        by_user = annotations.get(document_id)
        if by_user is None:
            parts[document_id] = (len(submitters.get(document_id, ())), None)
            continue
        figures = report.AgreementReport()
        figures.add(tokenize(texts[document_id]), {usernames[user]: spans for user, spans in by_user.items()})
        _, tallies = relation_tallies({usernames[user]: rows for user, rows in relations[document_id].items()})
        parts[document_id] = (
            len(by_user),
            {
                "spans": figures.to_data(),
                "relations": [
                    [a, b, kind, t.exact, t.overlap, t.size_a, t.size_b] for ((a, b), kind), t in tallies.items()
                ],
                "answers": answers.get(document_id, []),
                "span_f1_overlap": figures.span_f1_overlap(),
            },
        )
    return parts


def block_parts(parts):
    """One block's documents' parts (document_parts), as (document id, part) in document id order, pooled into the
    block's data: {"spans": the AgreementReport's to_data(), "relations": [[a, b, type, exact, overlap, size_a,
    size_b], …] summed, "answers": [[document id, question id, username, value], …]}."""
    figures = report.AgreementReport()
    tallies = defaultdict(RelationTally)
    answers = []
    for document_id, part in parts:
        figures.add_data(part["spans"])
        for a, b, kind, exact, overlap, size_a, size_b in part["relations"]:
            tallies[(a, b), kind] += RelationTally(exact, overlap, size_a, size_b)
        answers.extend([document_id, *answer] for answer in part["answers"])
    return {
        "spans": figures.to_data(),
        "relations": [[a, b, kind, t.exact, t.overlap, t.size_a, t.size_b] for ((a, b), kind), t in tallies.items()],
        "answers": answers,
    }


def pooled_agreement(*, project, blocks):
    """project_agreement's default answer (no include_unsubmitted, no since_version) from `blocks`, the data of the
    project's blocks (block_parts) in block order: the same figures, bit for bit, as project_agreement pools its
    documents block by block. Three queries."""
    figures = report.AgreementReport()
    tallies = defaultdict(RelationTally)
    by_question = defaultdict(dict)  # question -> document -> {annotator: value}
    for block in blocks:
        figures.add_data(block["spans"])
        for a, b, kind, exact, overlap, size_a, size_b in block["relations"]:
            tallies[(a, b), kind] += RelationTally(exact, overlap, size_a, size_b)
        for document_id, question_id, username, value in block["answers"]:
            by_question[question_id].setdefault(document_id, {})[username] = value
    relations = relation_figures(set(figures.pair_documents), tallies)
    names = dict(RelationType.objects.filter(project=project).values_list("id", "name"))
    relations["types"] = [{"type": row["type"], "name": names[row["type"]], **row} for row in relations["types"]]
    return _answer(
        project=project,
        figures=figures,
        relations=relations,
        questions=_questions_block(project=project, by_question=by_question),
        since_version=None,
        gamma=no_gamma(),  # kept apart (ProjectFigures.GAMMA) and merged in when read: selectors.figures
    )


def compared_annotations(*, project, document_ids):
    """{document id: {user id: [(label id, start, end), …]}} of those of `document_ids` two or more annotators
    submitted, with an entry for each who did: what a document's γ compares. Two queries."""
    return _annotations(project=project, include_unsubmitted=False, document_ids=document_ids)


def document_disagreement(*, project, include_unsubmitted=False, document_ids=None):
    """{document id: mean over pairs of its annotators of their exact span F1} for the documents of `project`
    (or of `document_ids`) that two or more annotators annotated, as project_agreement counts them; the lowest
    is where they disagree most; None where none of them drew a span. Two queries, no text read."""
    annotations = _annotations(project=project, include_unsubmitted=include_unsubmitted, document_ids=document_ids)
    return {document_id: report.document_disagreement(by_user) for document_id, by_user in annotations.items()}
