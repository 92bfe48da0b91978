"""Agreement between the project's annotators (SPEC "Agreement"); owners and reviewers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.api.base import ID_MAX, ScopedView, validated
from annotator.choices import QuestionKind
from annotator.permissions import REVIEWERS
from annotator.selectors.agreement import project_agreement
from annotator.services.figures import figures_agreement, figures_documents, figures_in_request


def figure(help_text):
    return serializers.FloatField(allow_null=True, help_text=help_text + " Null with nothing to rest on.")


SPAN_F1_EXACT = "Span F1, exact: 2 x matches / (|A| + |B|), a match being the same label, start and end."
SPAN_F1_OVERLAP = "Span F1, overlap (SemEval-2020 Task 11): each span earns the share of it the other covers."
COHEN_KAPPA = "Cohen's kappa over (token, label) units."
KRIPPENDORFF_ALPHA = "Krippendorff's alpha (nominal) over (token, label) units, all annotators."
DOCUMENTS = "Documents the figures rest on."


GAMMA = (
    "Gamma (Mathet, Widlöcher and Métivier 2015) with pygamma-agreement's defaults (combined positional and "
    "categorical dissimilarity), per document over its compared annotators; the project's is the mean over documents "
    "weighted by their spans (a label's: by its spans)."
)
COMPUTED_AT = "When the figures were computed; null while the first computation is on its way."
STALE = (
    "True when changes newer than computed_at are known, or some documents' gamma is still being computed "
    "(gamma_pending); a refresh or a gamma job is then on its way."
)
GAMMA_PENDING = (
    "Compared documents whose gamma the figures leave out or count at its value before their latest change: "
    "being computed by a gamma job (a job of kind gamma), or, for figures computed in the request "
    "(include_unsubmitted, since_version), more than the request computes."
)


class OverallAgreementSerializer(serializers.Serializer):
    span_f1_exact = figure(SPAN_F1_EXACT + " Pooled over every pair.")
    span_f1_overlap = figure(SPAN_F1_OVERLAP + " Pooled over every pair.")
    cohen_kappa = figure(COHEN_KAPPA + " The mean over pairs.")
    krippendorff_alpha = figure(KRIPPENDORFF_ALPHA)
    gamma = figure(GAMMA)


class LabelAgreementSerializer(serializers.Serializer):
    label = serializers.IntegerField()
    name = serializers.CharField()
    documents = serializers.IntegerField(help_text="Compared documents where an annotator used the label.")
    span_f1_exact = figure(SPAN_F1_EXACT + " Pooled over every pair.")
    span_f1_overlap = figure(SPAN_F1_OVERLAP + " Pooled over every pair.")
    cohen_kappa = figure(COHEN_KAPPA + " The mean over pairs.")
    krippendorff_alpha = figure(KRIPPENDORFF_ALPHA)
    gamma = figure(GAMMA)


class DocumentAgreementSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    title = serializers.CharField()
    annotators = serializers.IntegerField(help_text="Annotators who submitted the document.")
    span_f1_overlap = figure(SPAN_F1_OVERLAP + " Pooled over the document's pairs.")
    gamma = figure(GAMMA)


class PairAgreementSerializer(serializers.Serializer):
    a = serializers.CharField(help_text="Username; a < b. A's spans give overlap precision, B's recall.")
    b = serializers.CharField(help_text="Username.")
    documents = serializers.IntegerField(help_text="Compared documents both annotated.")
    span_f1_exact = figure(SPAN_F1_EXACT)
    span_f1_overlap = figure(SPAN_F1_OVERLAP)
    cohen_kappa = figure(COHEN_KAPPA)


RELATION_F1_EXACT = (
    "Relation F1, exact: 2 x matches / (|A| + |B|), two relations matching when their types are equal and each "
    "end has the same label, start and end as the same end of the other; matches one-to-one."
)
RELATION_F1_OVERLAP = "Relation F1, overlap: as exact, each end sharing a character and the label instead."


class RelationFiguresSerializer(serializers.Serializer):
    f1_exact = figure(RELATION_F1_EXACT + " Pooled over every pair.")
    f1_overlap = figure(RELATION_F1_OVERLAP + " Pooled over every pair.")


class RelationTypeAgreementSerializer(RelationFiguresSerializer):
    type = serializers.IntegerField()
    name = serializers.CharField()


class RelationPairAgreementSerializer(serializers.Serializer):
    a = serializers.CharField(help_text="Username; a < b.")
    b = serializers.CharField(help_text="Username.")
    f1_exact = figure(RELATION_F1_EXACT)
    f1_overlap = figure(RELATION_F1_OVERLAP)


class RelationAgreementSerializer(serializers.Serializer):
    overall = RelationFiguresSerializer()
    types = RelationTypeAgreementSerializer(many=True, help_text="The types any compared annotator used, by id.")
    pairs = RelationPairAgreementSerializer(many=True, help_text="Pairs who share a compared document.")


class QuestionAgreementSerializer(serializers.Serializer):
    question = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=QuestionKind.choices)
    documents = serializers.IntegerField(help_text="Compared documents two or more compared annotators answered.")
    percent_agreement = figure("The share of (document, pair) whose two answers are identical (multi: as sets).")
    cohen_kappa = figure(
        "Cohen's kappa, unweighted, the mean over pairs; units are the documents, or for multi each (document, "
        "option), 1 if chosen, every option of the question on every compared document."
    )
    krippendorff_alpha = figure(
        "Krippendorff's alpha over the same units, all annotators: nominal for single and multi, ordinal for scale."
    )


class AgreementSerializer(serializers.Serializer):
    documents = serializers.IntegerField(
        help_text="Documents that two or more annotators annotated (with since_version: those of them that remain)."
    )
    overall = OverallAgreementSerializer()
    labels = LabelAgreementSerializer(many=True, help_text="The labels any compared annotator used, in id order.")
    pairs = PairAgreementSerializer(many=True, help_text="Pairs of annotators who share a compared document.")
    relations = RelationAgreementSerializer(help_text="Relation F1 over the same documents and annotators.")
    questions = QuestionAgreementSerializer(many=True, help_text="Every question of the project, in id order.")
    since_version = serializers.IntegerField(
        allow_null=True, help_text="The `since_version` the figures were restricted by; null without it."
    )
    gamma_pending = serializers.IntegerField(help_text=GAMMA_PENDING)
    computed_at = serializers.DateTimeField(allow_null=True, help_text=COMPUTED_AT)
    stale = serializers.BooleanField(help_text=STALE)
    documents_detail = DocumentAgreementSerializer(
        many=True,
        required=False,
        help_text=(
            "With by=document: each document two or more annotators submitted, the lowest span_f1_overlap first "
            "(null last), ties by id; always the default figures (submitted work, every codebook version)."
        ),
    )


class AgreementQuerySerializer(serializers.Serializer):
    include_unsubmitted = serializers.BooleanField(
        default=False,
        help_text="Also compare work not yet submitted: anyone with a span on a document (questions: any answer).",
    )
    since_version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=(
            "Compare only the documents whose every compared annotator worked on them under this codebook version "
            "or a later one: each has a span, relation or answer there and all of them carry codebook_version >= "
            "this, or, with nothing there, submitted the document after this version was made. Other documents "
            "are left out whole, from every figure. At most the project's current codebook version."
        ),
    )

    by = serializers.ChoiceField(choices=["document"], required=False, help_text="`document` adds documents_detail.")
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=ID_MAX,
        help_text="With by=document: at most this many documents (default: all).",
    )

    def validate_since_version(self, value):
        current = self.context["project"].codebook_version
        if value > current:
            raise serializers.ValidationError(f"The codebook is at version {current}; ask for {current} or less.")
        return value


class AgreementView(ScopedView):
    """Span F1 (exact and overlap), Cohen's kappa and Krippendorff's alpha between the project's annotators,
    overall, per label and per pair, relation F1 overall, per type and per pair, and per question percent
    agreement, kappa and alpha, over the documents two or more of them submitted (with `since_version`: those of
    them whose compared annotators all worked under that codebook version or later)."""

    roles = {"GET": REVIEWERS}
    serializer_class = AgreementSerializer

    @extend_schema(parameters=[AgreementQuerySerializer], responses=AgreementSerializer)
    def get(self, request, project_id):
        project = self.member.project
        query = validated(AgreementQuerySerializer, request.query_params, context={"project": project})
        if query["include_unsubmitted"] or query.get("since_version") is not None:
            figures = figures_in_request(
                project_agreement(
                    project=project,
                    include_unsubmitted=query["include_unsubmitted"],
                    since_version=query.get("since_version"),
                )
            )
        else:
            figures = figures_agreement(project=project)
        if query.get("by") == "document":
            figures["documents_detail"] = figures_documents(project=project, limit=query.get("limit"))
        return Response(figures)
