"""Visibility as chainable queryset methods: lists are scoped by filtering, never by per-row checks."""

from django.db import models


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        """Projects `user` is a member of."""
        return self.filter(members__user=user)


class SpanQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Spans `member` may read: in a blind project an annotator reads only their own."""
        from annotator.permissions import sees_all_spans

        if sees_all_spans(member):
            return self
        return self.filter(annotator_id=member.user_id)
