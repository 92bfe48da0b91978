"""Agreement between the project's annotators (SPEC "Agreement"); owners and reviewers."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from annotator.api.base import ScopedView, validated
from annotator.permissions import REVIEWERS
from annotator.selectors.agreement import project_agreement


def figure(help_text):
    return serializers.FloatField(allow_null=True, help_text=help_text + " Null with nothing to rest on.")


SPAN_F1_EXACT = "Span F1, exact: 2 x matches / (|A| + |B|), a match being the same label, start and end."
SPAN_F1_OVERLAP = "Span F1, overlap (SemEval-2020 Task 11): each span earns the share of it the other covers."
COHEN_KAPPA = "Cohen's kappa over (token, label) units."
KRIPPENDORFF_ALPHA = "Krippendorff's alpha (nominal) over (token, label) units, all annotators."
DOCUMENTS = "Documents the figures rest on."


class OverallAgreementSerializer(serializers.Serializer):
    span_f1_exact = figure(SPAN_F1_EXACT + " Pooled over every pair.")
    span_f1_overlap = figure(SPAN_F1_OVERLAP + " Pooled over every pair.")
    cohen_kappa = figure(COHEN_KAPPA + " The mean over pairs.")
    krippendorff_alpha = figure(KRIPPENDORFF_ALPHA)


class LabelAgreementSerializer(serializers.Serializer):
    label = serializers.IntegerField()
    name = serializers.CharField()
    documents = serializers.IntegerField(help_text="Compared documents where an annotator used the label.")
    span_f1_exact = figure(SPAN_F1_EXACT + " Pooled over every pair.")
    span_f1_overlap = figure(SPAN_F1_OVERLAP + " Pooled over every pair.")
    cohen_kappa = figure(COHEN_KAPPA + " The mean over pairs.")
    krippendorff_alpha = figure(KRIPPENDORFF_ALPHA)


class PairAgreementSerializer(serializers.Serializer):
    a = serializers.CharField(help_text="Username; a < b. A's spans give overlap precision, B's recall.")
    b = serializers.CharField(help_text="Username.")
    documents = serializers.IntegerField(help_text="Compared documents both annotated.")
    span_f1_exact = figure(SPAN_F1_EXACT)
    span_f1_overlap = figure(SPAN_F1_OVERLAP)
    cohen_kappa = figure(COHEN_KAPPA)


class AgreementSerializer(serializers.Serializer):
    documents = serializers.IntegerField(help_text="Documents that two or more annotators annotated.")
    overall = OverallAgreementSerializer()
    labels = LabelAgreementSerializer(many=True, help_text="The labels any compared annotator used, in id order.")
    pairs = PairAgreementSerializer(many=True, help_text="Pairs of annotators who share a compared document.")


class AgreementQuerySerializer(serializers.Serializer):
    include_unsubmitted = serializers.BooleanField(
        default=False, help_text="Also compare work not yet submitted: anyone with a span on a document."
    )


class AgreementView(ScopedView):
    """Span F1 (exact and overlap), Cohen's kappa and Krippendorff's alpha between the project's annotators,
    overall, per label and per pair, over the documents two or more of them submitted."""

    roles = {"GET": REVIEWERS}
    serializer_class = AgreementSerializer

    @extend_schema(parameters=[AgreementQuerySerializer], responses=AgreementSerializer)
    def get(self, request, project_id):
        query = validated(AgreementQuerySerializer, request.query_params)
        return Response(
            project_agreement(project=self.member.project, include_unsubmitted=query["include_unsubmitted"])
        )
