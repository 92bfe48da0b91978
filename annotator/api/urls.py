from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

import annotator.converters  # noqa: F401 (registers <id:…>)
from annotator.api import (
    agreement,
    audit,
    datasets,
    documents,
    gold,
    gold_relations,
    labels,
    members,
    projects,
    relation_types,
    relations,
    spans,
    stats,
    tokens,
    users,
)

P = "projects/<id:project_id>/"
D = P + "documents/<id:document_id>/"

urlpatterns = [
    path("auth/token/", tokens.TokenView.as_view(), name="token"),
    path("users/", users.UserCreateView.as_view(), name="users"),
    path("users/me/", users.MeView.as_view(), name="me"),
    path("projects/", projects.ProjectListView.as_view(), name="projects"),
    path(P, projects.ProjectDetailView.as_view(), name="project"),
    path(P + "labels/", labels.LabelListView.as_view(), name="labels"),
    path(P + "labels/<id:label_id>/", labels.LabelDetailView.as_view(), name="label"),
    path(P + "members/", members.MemberListView.as_view(), name="members"),
    path(P + "members/<id:member_id>/", members.MemberDetailView.as_view(), name="member"),
    path(P + "documents/", documents.DocumentListView.as_view(), name="documents"),
    path(D, documents.DocumentDetailView.as_view(), name="document"),
    path(D + "assignments/", documents.AssignmentListView.as_view(), name="assignments"),
    path(D + "assignments/<id:assignment_id>/", documents.AssignmentDetailView.as_view(), name="assignment"),
    path(D + "submit/", documents.DocumentSubmitView.as_view(), name="submit"),
    path(D + "spans/", spans.SpanListView.as_view(), name="spans"),
    path(D + "spans/<id:span_id>/", spans.SpanDetailView.as_view(), name="span"),
    path(D + "spans/<id:span_id>/review/", spans.SpanReviewView.as_view(), name="review"),
    path(D + "gold/", gold.GoldListView.as_view(), name="gold"),
    path(D + "gold/<id:gold_id>/", gold.GoldDetailView.as_view(), name="gold-span"),
    path(P + "relation-types/", relation_types.RelationTypeListView.as_view(), name="relation-types"),
    path(P + "relation-types/<id:type_id>/", relation_types.RelationTypeDetailView.as_view(), name="relation-type"),
    path(D + "relations/", relations.RelationListView.as_view(), name="relations"),
    path(D + "relations/<id:relation_id>/", relations.RelationDetailView.as_view(), name="relation"),
    path(D + "relations/<id:relation_id>/review/", relations.RelationReviewView.as_view(), name="relation-review"),
    path(D + "gold-relations/", gold_relations.GoldRelationListView.as_view(), name="gold-relations"),
    path(
        D + "gold-relations/<id:gold_relation_id>/",
        gold_relations.GoldRelationDetailView.as_view(),
        name="gold-relation",
    ),
    path(P + "imports/", datasets.ImportView.as_view(), name="imports"),
    path(P + "export/", datasets.ExportView.as_view(), name="export"),
    path(P + "stats/", stats.StatsView.as_view(), name="stats"),
    path(P + "agreement/", agreement.AgreementView.as_view(), name="agreement"),
    path(P + "audit/", audit.AuditListView.as_view(), name="audit"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]
