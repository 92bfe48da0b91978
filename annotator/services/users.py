"""Users: created by staff through the API, or by Django's createsuperuser."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from annotator.errors import InvalidInput
from annotator.services.audit import audit_record, snapshot


@transaction.atomic
def user_create(*, actor, username, password, email=""):
    """Create a user; InvalidInput if the username is taken or the password too weak."""
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise InvalidInput({"username": [f"The username {username!r} is taken."]})
    user = User(username=username, email=email)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput({"password": list(exc.messages)}) from None
    user.set_password(password)
    user.save()
    after = {k: v for k, v in snapshot(user).items() if k != "password"}
    audit_record(actor=actor, action="user.create", obj=user, project_id=None, after=after)
    return user
