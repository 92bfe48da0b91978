from django.contrib import admin

from annotator.models import (
    Answer,
    Assignment,
    AuditEvent,
    CodebookVersion,
    Document,
    GoldAnswer,
    GoldRelation,
    GoldSpan,
    Job,
    Label,
    Member,
    Project,
    Question,
    Recommender,
    Relation,
    RelationType,
    RelationTypeLabel,
    Span,
    Suggestion,
    SuggestionDecision,
)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "blind", "annotators_per_document", "codebook_version", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["codebook_version"]  # services.codebook's alone


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "name", "key", "color", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "user", "role"]
    list_filter = ["role"]
    raw_id_fields = ["project", "user"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "title", "external_id", "source", "published_at"]
    search_fields = ["title", "external_id", "source"]
    raw_id_fields = ["project"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "user", "status"]
    list_filter = ["status"]
    raw_id_fields = ["document", "user"]


@admin.register(Span)
class SpanAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "annotator", "label", "start", "end", "review_status", "origin", "version"]
    list_filter = ["review_status"]
    raw_id_fields = ["document", "annotator", "label", "reviewed_by"]


@admin.register(GoldSpan)
class GoldSpanAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "label", "start", "end", "version"]
    raw_id_fields = ["document", "label", "source_span", "created_by"]


class RelationTypeLabelInline(admin.TabularInline):
    model = RelationTypeLabel
    raw_id_fields = ["label"]
    extra = 0


@admin.register(RelationType)
class RelationTypeAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "name", "key", "color", "active"]
    list_filter = ["active"]
    search_fields = ["name"]
    inlines = [RelationTypeLabelInline]


@admin.register(Relation)
class RelationAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "annotator", "type", "from_span", "to_span", "review_status", "version"]
    list_filter = ["review_status"]
    raw_id_fields = ["document", "annotator", "type", "from_span", "to_span", "reviewed_by"]


@admin.register(GoldRelation)
class GoldRelationAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "type", "from_span", "to_span", "version"]
    raw_id_fields = ["document", "type", "from_span", "to_span", "source_relation", "created_by"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "name", "kind", "key", "required", "active"]
    list_filter = ["kind", "required", "active"]
    search_fields = ["name"]
    raw_id_fields = ["project"]


@admin.register(Answer)
class AnswerAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "annotator", "question", "value", "review_status", "version"]
    list_filter = ["review_status"]
    raw_id_fields = ["document", "annotator", "question", "reviewed_by"]


@admin.register(GoldAnswer)
class GoldAnswerAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "question", "value", "version"]
    raw_id_fields = ["document", "question", "source_answer", "created_by"]


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["id", "document", "label", "start", "end", "score", "source", "created_at"]
    list_filter = ["source"]
    raw_id_fields = ["document", "label"]


@admin.register(SuggestionDecision)
class SuggestionDecisionAdmin(admin.ModelAdmin):
    list_display = ["id", "suggestion", "user", "decision", "span", "created_at"]
    list_filter = ["decision"]
    raw_id_fields = ["suggestion", "user", "span"]


@admin.register(Recommender)
class RecommenderAdmin(admin.ModelAdmin):
    list_display = ["id", "project", "name", "kind", "active", "created_at"]
    list_filter = ["kind", "active"]
    search_fields = ["name"]
    raw_id_fields = ["project"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """Jobs are the workers' to write; the admin shows them (the tasks behind them: django_tasks_db's own admin)."""

    list_display = ["id", "project", "kind", "recommender", "status", "done", "total", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["project", "recommender", "created_by"]
    readonly_fields = ["documents", "errors", "task_result_id", "lease_until", "started_at", "finished_at"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["id", "project_id", "actor_username", "action", "object_type", "object_id", "created_at"]
    list_filter = ["action", "object_type"]

    def has_change_permission(self, request, obj=None):
        return False  # the trail is read-only

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CodebookVersion)
class CodebookVersionAdmin(admin.ModelAdmin):
    """Read-only: versions are append-only, made by services.codebook alone."""

    list_display = ["id", "project", "number", "created_by", "created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
