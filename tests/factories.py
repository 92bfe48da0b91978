"""Fixture factories. Composite objects (projects with owners, documents with assignments) go through the
services, so tests see the same rows the API would write."""

import factory
from django.contrib.auth import get_user_model

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


ARTICLE = (
    "The ministry's spokesman, Ілля Коваль, told reporters on Monday that talks would resume. "
    '"We expect a result within weeks," he said in a statement. 👍🏽 Readers can donate to keep '
    "this reporting free, according to the outlet."
)
