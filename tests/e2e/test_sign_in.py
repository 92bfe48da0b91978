from annotator.access import access_project
from annotator.models import Role
from annotator.services.documents import document_create_many
from annotator.services.members import member_add
from annotator.services.projects import project_create
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, UserFactory


class TestSignIn:
    def test_annotator_signs_in_and_sees_their_projects_and_queue(self, page):
        owner, annotator = UserFactory(username="owner"), UserFactory(username="annotator")
        project = project_create(user=owner, name="Ceasefire coverage", label_preset="framing")
        member_add(actor=access_project(owner, project.pk), username="annotator", role=Role.ANNOTATOR)
        document_create_many(member=access_project(owner, project.pk), items=[{"text": "One."}, {"text": "Two."}])
        project_create(user=owner, name="Not shared with the annotator")

        sign_in(page, annotator, PASSWORD)

        row = page.locator(f"[data-project-id='{project.pk}']")
        assert page.url.endswith("/")
        assert row.locator("td").all_inner_texts()[:4] == ["Ceasefire coverage", "annotator", "2", "0 of 2 submitted"]
        assert page.locator("[data-project-id]").count() == 1

    def test_wrong_password_stays_on_the_form_with_an_alert(self, page):
        annotator = UserFactory(username="annotator")

        sign_in(page, annotator, "not-the-password")

        assert "/accounts/login/" in page.url
        assert page.get_by_role("alert").is_visible()

    def test_signed_out_visitor_is_sent_to_sign_in(self, page):
        page.goto("/")

        assert "/accounts/login/?next=/" in page.url

    def test_sign_out_ends_the_session(self, page):
        annotator = UserFactory(username="annotator")
        sign_in(page, annotator, PASSWORD)

        page.get_by_role("button", name="Sign out").click()
        page.goto("/")

        assert "/accounts/login/" in page.url

    def test_project_names_with_markup_render_as_text_and_run_nothing(self, page):
        owner = UserFactory(username="owner")
        hostile = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>'
        project_create(user=owner, name=hostile)

        sign_in(page, owner, PASSWORD)

        assert page.locator("[data-project-id] td").first.inner_text() == hostile
        assert page.evaluate("() => window.pwned === undefined")
