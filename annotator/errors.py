"""Domain errors raised by services; annotator.api.errors maps each to one HTTP answer."""


class DomainError(Exception):
    status = 400
    default_detail = "The request cannot be carried out."

    def __init__(self, detail=None):
        self.detail = detail or self.default_detail
        super().__init__(self.detail)


class InvalidInput(DomainError):
    """Bad input; `detail` is a {field: [messages]} mapping or a message."""

    status = 400


class NotAllowed(DomainError):
    status = 403
    default_detail = "Your role in this project does not allow this."


class NotFound(DomainError):
    status = 404
    default_detail = "Not found."


class Conflict(DomainError):
    status = 409


class ConflictWith(Conflict):
    """A conflict with one object, `current`, which the answer carries beside "detail"."""

    def __init__(self, current):
        self.current = current
        super().__init__()


class VersionConflict(ConflictWith):
    """The client's version is stale; `current` is the object as it now stands."""

    default_detail = "Someone changed this since you last loaded it; here is the current version."


class SpanExists(ConflictWith):
    """The caller already has this span (label, start, end) on the document; `current` is it."""

    default_detail = "You already have this span (the same label, start and end); here it is."


class RelationExists(ConflictWith):
    """The caller already has this relation (type, from span, to span); `current` is it."""

    default_detail = "You already have this relation (the same type, from span and to span); here it is."


class AnswerExists(ConflictWith):
    """The caller has already answered this question on the document; `current` is that answer."""

    default_detail = "You have already answered this question on this document; here is your answer. Change it instead."


class GoldAnswerExists(ConflictWith):
    """The gold layer already answers this question on the document; `current` is that gold answer."""

    default_detail = "The gold layer already answers this question on this document; here it is. Change it instead."


class LabelInUse(Conflict):
    default_detail = 'This label is used by spans; deactivate it with {"active": false} instead.'


class RelationTypeInUse(Conflict):
    default_detail = 'This relation type is used by relations; deactivate it with {"active": false} instead.'


class QuestionInUse(Conflict):
    default_detail = 'This question has answers; deactivate it with {"active": false} instead.'


class TextFrozen(Conflict):
    default_detail = "The text of a document cannot change once spans point into it."


class TooLarge(DomainError):
    status = 413
    default_detail = "The file is too large."
