"""Error pages in Chromium: Slant's layout under its CSP, and a way back that works."""

from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD


class TestNotFound:
    def test_a_missing_project_leads_back_to_the_projects(self, page, setting):
        sign_in(page, setting.annotator, PASSWORD)

        response = page.goto(f"/projects/{setting.project.pk + 1000}/")

        assert response.status == 404
        assert page.get_by_role("heading", name="Page not found").is_visible()
        page.get_by_role("link", name="Back to your projects").click()
        page.wait_for_url("**/")
        assert page.locator(f"[data-project-id='{setting.project.pk}']").is_visible()


class TestForbidden:
    def test_a_sign_in_whose_form_lost_its_csrf_cookie_leads_back_to_sign_in(self, page, setting):
        page.goto("/accounts/login/")
        page.context.clear_cookies()
        page.fill("input[name=username]", setting.annotator.username)
        page.fill("input[name=password]", PASSWORD)

        with page.expect_navigation() as navigation:
            page.click("button[type=submit]")

        assert navigation.value.status == 403
        assert page.get_by_role("heading", name="Sign-in form expired").is_visible()
        page.get_by_role("link", name="Sign in again").click()
        sign_in(page, setting.annotator, PASSWORD)
        assert page.locator(f"[data-project-id='{setting.project.pk}']").is_visible()
