"""Screenshot of the annotate page for the README, taken from a running Slant with the demo loaded.

SLANT_DEMO_PASSWORD=… make run                       # in one terminal
.venv/bin/python docs/screenshot.py --password …    # in another: writes docs/annotate.png
"""

import argparse
import json
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def first_document(base, username, password):
    """(project id, document id) of the user's first assigned document, found through the API."""

    def call(path, token=None, body=None):
        url = base + "/api/v1/" + path  # a URL the user gives on the command line
        request = urllib.request.Request(url, data=body and json.dumps(body).encode())  # noqa: S310
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Token {token}")
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return json.load(response)

    token = call("auth/token/", body={"username": username, "password": password})["token"]
    project = call("projects/", token)["results"][0]["id"]
    document = call(f"projects/{project}/documents/?assigned_to=me", token)["results"][0]["id"]
    return project, document


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="anna")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", default=str(Path(__file__).with_name("annotate.png")))
    args = parser.parse_args()
    project, document = first_document(args.url, args.username, args.password)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, base_url=args.url)
        page.goto("/accounts/login/")
        page.fill("input[name=username]", args.username)
        page.fill("input[name=password]", args.password)
        page.click("button[type=submit]")
        page.goto(f"/projects/{project}/documents/{document}/")
        page.wait_for_selector("[data-testid='document-text'][data-ready='true']")
        page.screenshot(path=args.out)
        browser.close()
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
