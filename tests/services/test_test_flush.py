"""The suite's own plumbing: what a transactional test leaves is gone before the next one (tests/conftest.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from tests.conftest import app_models

STORED = (get_user_model(), *app_models())


@pytest.mark.django_db(transaction=True)
def test_the_flush_after_a_transactional_test_empties_every_table(world):
    assert {"User", "Project", "Document", "Span", "Relation", "Suggestion", "AuditEvent"} <= {
        model.__name__ for model in STORED if model.objects.exists()
    }

    # As TransactionTestCase flushes after each test.
    call_command("flush", verbosity=0, interactive=False, reset_sequences=False, allow_cascade=False)

    assert [model.__name__ for model in STORED if model.objects.exists()] == []
