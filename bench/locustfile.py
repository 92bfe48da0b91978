"""Locust users for bench/load_test.py: annotators who open a document, list its spans, draw a span, edit it and
delete it, each request followed by a think time.

bench/load_test.py seeds the database, writes the plan (tokens, assigned documents, candidate spans) to the file
named by LOAD_PLAN and runs locust headless with this file; every request's exact latency is written to LOAD_OUT
when locust quits, one file per locust process, with the ids of the spans the clients saw created (201) and
deleted (204), for the check that each is stored once. LOAD_HOSTS (comma-separated base URLs; --team: two web
processes) spreads the users over the hosts, user n on host n mod their number. Not meant to be run by hand.
"""

import itertools
import json
import os
import random

from locust import FastHttpUser, SequentialTaskSet, between, events, task

PLAN = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115 (read once at import)
THINK = (float(os.environ.get("LOAD_THINK_MIN", "0.5")), float(os.environ.get("LOAD_THINK_MAX", "1.5")))
PROCESSES = max(1, int(os.environ.get("LOAD_PROCESSES", "1")))
HOSTS = [host for host in os.environ.get("LOAD_HOSTS", "").split(",") if host]
API = "/api/v1"

SAMPLES = []  # (request name, milliseconds, ok, start time as a Unix timestamp, URL)
ERRORS = []
CREATED, DELETED = [], []  # span ids answered 201 to a POST, 204 to a DELETE
_local_index = itertools.count()


@events.request.add_listener
def record(name, response_time, exception, start_time=0.0, url="", **_):
    SAMPLES.append((name, response_time, exception is None, start_time, url))
    if exception is not None and len(ERRORS) < 20:
        ERRORS.append(f"{name}: {exception!r}"[:300])


@events.quitting.add_listener
def write_samples(**_):
    if SAMPLES or ERRORS:
        out = os.path.join(os.environ["LOAD_OUT"], f"samples-{os.getpid()}.json")
        with open(out, "w") as fh:
            json.dump({"samples": SAMPLES, "errors": ERRORS, "created": CREATED, "deleted": DELETED}, fh)


class AnnotateOneSpan(SequentialTaskSet):
    """One pass of an annotator over a document: the five requests in order, a think time after each."""

    def on_start(self):
        self.span = None

    def call(self, method, path, name, expect, body=None, version=None):
        headers = {"Authorization": self.user.auth}
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        with self.client.request(
            method, API + path, name=name, headers=headers, json=body, catch_response=True
        ) as response:
            if response.status_code == 409 and name in ("POST span", "PATCH span") and "already have" in response.text:
                # The annotator has that span already (the random draw met one of theirs): nothing was stored.
                response.request_meta["name"] = f"{name} (had it)"
                response.success()
            elif response.status_code != expect:
                response.failure(f"{response.status_code} {(response.text or '')[:200]}")
                return None
            return response

    @task
    def open_document(self):
        document_id = self.user.rng.choice(self.user.documents)
        self.candidates = PLAN["documents"][str(document_id)]
        self.base = f"/projects/{PLAN['project']}/documents/{document_id}/"
        self.call("GET", self.base, "GET document", 200)

    @task
    def list_spans(self):
        self.call("GET", self.base + "spans/", "GET spans", 200)

    @task
    def create_span(self):
        self.candidate = self.user.rng.choice(self.candidates)
        start, end, text = self.candidate["start"], self.candidate["end"], self.candidate["text"]
        body = {"label": self.user.rng.choice(PLAN["labels"]), "start": start, "end": end, "text": text}
        response = self.call("POST", self.base + "spans/", "POST span", 201, body)
        self.span = response.json() if response is not None else None
        if response is not None and response.status_code == 201:
            CREATED.append(self.span["id"])

    @task
    def edit_span(self):
        if self.span is None:
            return
        body = {"end": self.candidate["edited_end"], "text": self.candidate["edited_text"]}
        path = f"{self.base}spans/{self.span['id']}/"
        response = self.call("PATCH", path, "PATCH span", 200, body, self.span["version"])
        self.span = response.json() if response is not None else None

    @task
    def delete_span(self):
        if self.span is not None:
            path = f"{self.base}spans/{self.span['id']}/"
            response = self.call("DELETE", path, "DELETE span", 204, None, self.span["version"])
            if response is not None and response.status_code == 204:
                DELETED.append(self.span["id"])
        self.span = None


class Annotator(FastHttpUser):
    """One of the plan's annotators (each locust user a different one, across processes too), on one of HOSTS."""

    tasks = [AnnotateOneSpan]
    wait_time = between(*THINK)
    network_timeout = 30.0
    connection_timeout = 10.0

    def __init__(self, environment):
        runner = environment.runner
        self.index = next(_local_index) * PROCESSES + getattr(runner, "worker_index", 0)
        if HOSTS:
            self.host = HOSTS[self.index % len(HOSTS)]  # before the client is made for it
        super().__init__(environment)

    def on_start(self):
        index = self.index
        who = PLAN["users"][index % len(PLAN["users"])]
        self.auth = f"Token {who['token']}"
        self.documents = who["documents"]
        self.rng = random.Random(index)
