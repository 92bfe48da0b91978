"""Visibility as chainable queryset methods: lists are scoped by filtering, never by per-row checks."""

from django.db import models

from annotator.permissions import sees_all_spans


class ProjectQuerySet(models.QuerySet):
    def for_user(self, user):
        """Projects `user` is a member of, each annotated with `role`, the user's role in it."""
        # The annotation follows the filter, so it reads the membership row the filter joined: the user's own.
        return self.filter(members__user=user).annotate(role=models.F("members__role"))


class SpanQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Spans `member` may read: in a blind project an annotator reads only their own."""
        if sees_all_spans(member):
            return self
        return self.filter(annotator_id=member.user_id)


class RelationQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Relations `member` may read: as for spans, in a blind project an annotator reads only their own."""
        if sees_all_spans(member):
            return self
        return self.filter(annotator_id=member.user_id)


class AnswerQuerySet(models.QuerySet):
    def visible_to(self, member):
        """Answers `member` may read: as for spans, in a blind project an annotator reads only their own."""
        if sees_all_spans(member):
            return self
        return self.filter(annotator_id=member.user_id)
