"""Driving the settings page's tables (labels, relation types, questions): each item a <tbody data-{singular}-row>,
with a message row that says what became of a Save or a Delete."""

from tests.e2e.conftest import open_as


def open_settings(page, project, owner):
    open_as(page, owner, f"/projects/{project.pk}/settings/")


def item_row(page, singular, item):
    """The row of `item` (a Label, RelationType or Question) in the table of `singular` ("relation-type" …)."""
    return page.locator(f"tbody[data-{singular}-row='{item.pk}']")


def wait_saved(page, singular, item):
    page.wait_for_selector(f"tbody[data-{singular}-row='{item.pk}'] .row-message.ok")


def delete_unused(page, plural, singular, item):
    """Delete `item` with its row's button; wait for the table's status to say so."""
    item_row(page, singular, item).get_by_role("button", name="Delete").click()
    page.wait_for_selector(f"#{plural}-status.ok")


def refused_delete(page, singular, item):
    """Delete `item` with its row's button and return the message that refuses it."""
    row = item_row(page, singular, item)
    row.get_by_role("button", name="Delete").click()
    message = row.locator(".row-message.error")
    message.wait_for()
    return message.inner_text()


def deactivate_instead(page, singular, item):
    """Take the refusal's offer to deactivate `item`; wait for the saved row."""
    item_row(page, singular, item).get_by_role("button", name="Deactivate instead").click()
    wait_saved(page, singular, item)
