"""Screenshots for the README and docs/, taken from a running Slant with the demo loaded.

SLANT_DEMO_PASSWORD=… make run                       # in one terminal
.venv/bin/python docs/screenshot.py --password …    # in another: writes docs/*.png

Each shot signs in as the demo user it needs: `annotate` (anna's assigned article with the most relations),
`editor` (the span editor open on a span low on that article), `questions` (that article's questions panel with
anna's answers), `suggestions` (that article's open suggestions, the fourth one focused by Tab as a keyboard user
would), `review` (rita on the first article, its relations' arcs drawn), `overview-questions` (rita: the
overview's question agreement and answers per outlet), `projects` and `new-project` (olga), and
`guidelines-changed` (anna's banner after olga edits the guidelines and a label's description: this shot changes
the demo, as an owner would, each run toggling the same guidelines line). `--only` picks some; `--prefix` names the
files
(docs/issue-13/ and docs/issue-14/ keep before and after shots).
"""

import argparse
import json
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1400, "height": 800}
SHOTS = (
    "annotate",
    "editor",
    "questions",
    "suggestions",
    "review",
    "overview-questions",
    "projects",
    "new-project",
    "guidelines-changed",
)
DENIAL = "- **Denial** needs an explicit rejection; a refusal to comment is not a denial."
DENIAL_EDITED = (
    "- **Denial** needs an explicit rejection. A refusal to comment is not a denial: leave it unmarked,\n"
    "  or mark the spokesperson's words as an **Official statement** if the outlet quotes them."
)


class Demo:
    """The demo's ids, found through the API as the shots' users see them."""

    def __init__(self, base, password):
        self.base, self.password = base, password

    def call(self, path, username, *, method=None, body=None):
        token = self._open("auth/token/", body={"username": username, "password": self.password})["token"]
        return self._open(path, token=token, method=method, body=body)

    def _open(self, path, token=None, body=None, method=None):
        url = self.base + "/api/v1/" + path  # a URL the user gives on the command line
        request = urllib.request.Request(url, data=body and json.dumps(body).encode(), method=method)  # noqa: S310
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {token}")
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return json.load(response) if response.status != 204 else None

    def change_the_guidelines(self, project, reader, owner):
        """`reader` reads the current guidelines; then `owner` edits one of their lines and a label's description,
        so that `reader`'s page says what changed."""
        codebook = self.call(f"projects/{project}/codebook/", reader)
        self.call(f"projects/{project}/codebook/read/", reader, method="POST", body={"version": codebook["version"]})
        guidelines = codebook["guidelines"]
        edited = (
            guidelines.replace(DENIAL, DENIAL_EDITED)
            if DENIAL in guidelines
            else guidelines.replace(DENIAL_EDITED, DENIAL)
        )
        self.call(f"projects/{project}/", owner, method="PATCH", body={"guidelines": edited})
        label = next(label for label in codebook["labels"] if label["name"] == "Denial")
        described = label["description"].removesuffix(" A refusal to comment is not one.")
        if described == label["description"]:
            described += " A refusal to comment is not one."
        self.call(f"projects/{project}/labels/{label['id']}/", owner, method="PATCH", body={"description": described})

    def showcase(self, username):
        """(project, document, the id of the user's last span on it) for the user's assigned article with the most
        relations of theirs, the longest among equals: the annotate shot shows arcs as well as spans."""
        project = self.call("projects/", username)["results"][0]["id"]
        queue = self.call(f"projects/{project}/documents/?assigned_to=me&page_size=100", username)["results"]
        best, best_rank = None, None
        for row in queue:
            base = f"projects/{project}/documents/{row['id']}/"
            text = self.call(base, username)["text"]
            spans = self.call(base + "spans/?page_size=1000", username)["results"]
            relations = self.call(base + "relations/?page_size=1000", username)["count"]
            own = [span for span in spans if span["annotator"] == username]
            rank = (relations, len(text))
            if own and (best_rank is None or rank > best_rank):
                best, best_rank = (project, row["id"], max(own, key=lambda span: span["start"])["id"]), rank
        return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=str(Path(__file__).parent))
    parser.add_argument("--prefix", default="")
    parser.add_argument("--only", nargs="*", choices=SHOTS, default=SHOTS)
    args = parser.parse_args()
    demo = Demo(args.url, args.password)
    project, document, low_span = demo.showcase("anna")
    out = Path(args.out)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)

        def signed_in(username):
            page = browser.new_page(viewport=VIEWPORT, base_url=args.url)
            page.goto("/accounts/login/")
            page.fill("input[name=username]", username)
            page.fill("input[name=password]", args.password)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            return page

        def save(shown, name, **options):
            """Screenshot `shown`: a page, or a locator for one element of it."""
            path = out / f"{args.prefix}{name}.png"
            shown.screenshot(path=str(path), **options)
            print(f"wrote {path}")

        if "suggestions" in args.only:
            page = signed_in("anna")
            page.goto(f"/projects/{project}/documents/{document}/")
            page.wait_for_selector("[data-testid='document-text'][data-ready='true']")
            page.locator("[data-testid='document-text']").focus()
            for _ in range(4):  # to the anonymous diplomat, mid-article, with the other suggestions around it
                page.keyboard.press("Tab")
            page.wait_for_timeout(300)
            save(page, "suggestions")
        if {"annotate", "editor", "questions"} & set(args.only):
            page = signed_in("anna")
            page.goto(f"/projects/{project}/documents/{document}/")
            page.wait_for_selector("[data-testid='document-text'][data-ready='true']")
            if "annotate" in args.only:
                save(page, "annotate")
            if "editor" in args.only:
                highlight = page.locator(f"[data-span-id~='{low_span}']").last
                highlight.scroll_into_view_if_needed()
                highlight.click()
                page.wait_for_timeout(500)
                save(page, "editor")
            if "questions" in args.only:
                page.keyboard.press("Escape")
                page.set_viewport_size({"width": VIEWPORT["width"], "height": 2000})  # the sidebar shows them whole
                panel = page.locator(".questions-section")
                panel.scroll_into_view_if_needed()
                save(panel, "questions")
        if "review" in args.only:
            page = signed_in("rita")
            first = demo.call(f"projects/{project}/documents/?page_size=1", "rita")["results"][0]["id"]
            page.goto(f"/projects/{project}/documents/{first}/review/")
            page.wait_for_selector("[data-testid='lanes'][data-ready='true']")
            page.wait_for_selector("[data-annotator='gold'] [data-testid='relation-arcs'][data-ready='true']")
            save(page, "review", full_page=True)
        if "overview-questions" in args.only:
            page = signed_in("rita")
            page.goto(f"/projects/{project}/")
            table, charts = (
                page.locator("[data-testid='question-agreement']"),
                page.locator("[data-testid='question-distribution']"),
            )
            table.scroll_into_view_if_needed()
            save(table, "overview-question-agreement")
            charts.scroll_into_view_if_needed()
            save(charts, "overview-questions")
        if "guidelines-changed" in args.only:
            demo.change_the_guidelines(project, "anna", "olga")
            page = signed_in("anna")
            page.goto(f"/projects/{project}/documents/{document}/")
            page.wait_for_selector("[data-testid='document-text'][data-ready='true']")
            save(page, "guidelines-changed")
        if {"projects", "new-project"} & set(args.only):
            page = signed_in("olga")
            if "projects" in args.only:
                page.goto("/")
                save(page, "projects")
            if "new-project" in args.only:
                page.goto("/projects/new/")
                save(page, "new-project", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
