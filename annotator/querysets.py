"""Visibility as chainable queryset methods: lists are scoped by filtering, never by per-row checks."""

from django.db import models


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        """Projects `user` is a member of, each annotated with `role`, the user's role in it."""
        from annotator.models import Member  # models imports this module

        role = Member.objects.filter(project=models.OuterRef("pk"), user=user).values("role")[:1]
        return self.filter(members__user=user).annotate(role=models.Subquery(role))


class SpanQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Spans `member` may read: in a blind project an annotator reads only their own."""
        from annotator.permissions import sees_all_spans

        if sees_all_spans(member):
            return self
        return self.filter(annotator_id=member.user_id)
