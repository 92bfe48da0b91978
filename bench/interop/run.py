"""Interoperability check: Slant's doccano and Label Studio files against the real doccano and Label Studio.

Run by hand and before every release, never in CI (it installs both tools and starts their servers):

    python3 bench/interop/run.py              # both tools
    python3 bench/interop/run.py --only labelstudio

It makes a Slant project with a document full of characters that count differently in code points and in UTF-16
code units (emoji, flags, zero-width-joiner families, combining accents, before and inside spans), exports it
with Slant's own manage.py, imports the file into each tool through its REST API, reads back what the tool
stored (converting its offsets with the tool's own unit: UTF-16 code units for doccano, whose annotation UI takes
the browser's string indices; code points for Label Studio, whose UI converts to them), then exports from the
tool, imports that into Slant and checks the same. Every span must land on the same characters. It prints a
report and exits 1 on any mismatch (2 when a tool could not be set up).

Only 127.0.0.1 and PyPI are used. Each tool gets its own virtual environment (bench/interop/.venvs, kept between
runs) and its own data directory (bench/interop/.work, made afresh each run); the servers it starts are stopped
at the end, whatever happens.
"""

import argparse
import collections
import contextlib
import http.client
import io
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
VENVS = HERE / ".venvs"
WORK = HERE / ".work"
SLANT_PYTHON = REPO / ".venv" / "bin" / "python"

DOCCANO = "1.8.4"
LABEL_STUDIO = "1.23.2"
# What each tool's pip install needs besides the tool itself (see README.md: "What the installs need").
PINS = {"doccano": ["marshmallow<4", "numpy<2"], "labelstudio": []}
SERVER_WAIT = 240  # seconds for a server to answer after it starts
TASK_WAIT = 180  # seconds for an import or export job
SECRET = secrets.token_hex(12)

# --- the test project --------------------------------------------------------------------------------------------

GRIN = "\U0001f600"
FLAG_UA = "\U0001f1fa\U0001f1e6"
FLAG_GB = "\U0001f1ec\U0001f1e7"
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 5 code points, 8 UTF-16 code units
THUMBS = "\U0001f44d\U0001f3fd"  # thumbs up, medium skin tone
CAFE = "cafe\u0301"  # e + combining acute accent
NGUYEN = "Nguye\u0302\u0303n"  # two combining marks on one letter
KEYCAP = "1\ufe0f\u20e3"
QUOTE_LABEL = 'Quote "direct" & <indirect>'  # a name the labeling config must escape
SAYS = "Says"
CITES = 'Cites "from" & <source>'  # a relation type name the labeling config must escape
# The document questions every project of the check has (an import never creates one): a name with a space, an
# option the labeling config must escape, a scale that does not start at 1 (Label Studio's stars do).
POLITICAL = 'Political "hard" & <soft>'
QUESTIONS = [
    {"name": "Primary frame", "kind": "single", "options": ["Economic", POLITICAL, "Legality"]},
    {"name": "Frames", "kind": "multi", "options": ["Economic", POLITICAL, "Legality"]},
    {"name": "Slant", "kind": "scale", "min": -2, "max": 2},
]

DOCUMENTS = [
    {
        "external_id": "interop-1",
        "title": "Harbour news",
        "text": (
            f"{GRIN} Harbour {FLAG_UA} news: the {FAMILY} family said "
            f'"the {CAFE} {GRIN} closed" according to Olena {FLAG_UA}.\n'
            f"{FAMILY}{CAFE} {GRIN}"
        ),
        "spans": [  # (text, label, annotator); each text taken where it first occurs
            (GRIN, "Editorial appeal", "alice"),
            ("Harbour", "Source attribution", "alice"),
            (f"{FLAG_UA} news: the {FAMILY}", "Diplomatic claim", "bob"),
            ("family said", "Source attribution", "bob"),
            (f"{CAFE} {GRIN} closed", QUOTE_LABEL, "alice"),
            (f"Olena {FLAG_UA}", "Source attribution", "alice"),
            (f"{FAMILY}{CAFE}", "Editorial appeal", "bob"),
            (f"{FAMILY}{CAFE} {GRIN}", "Diplomatic claim", "alice"),  # overlaps the one before
        ],
        "relations": [  # (from span's text, to span's text, type, annotator): spans of that annotator
            (f"Olena {FLAG_UA}", f"{CAFE} {GRIN} closed", SAYS, "alice"),
            (f"Olena {FLAG_UA}", f"{CAFE} {GRIN} closed", CITES, "alice"),  # two types between the same spans
            (f"{CAFE} {GRIN} closed", f"Olena {FLAG_UA}", CITES, "alice"),  # and the other way round
            ("family said", f"{FLAG_UA} news: the {FAMILY}", SAYS, "bob"),
            (f"{FAMILY}{CAFE} {GRIN}", GRIN, SAYS, "alice"),
        ],
        "answers": [  # (question, value, annotator)
            ("Primary frame", POLITICAL, "alice"),
            ("Primary frame", "Economic", "bob"),
            ("Frames", ["Economic", POLITICAL], "alice"),
            ("Slant", -2, "alice"),
            ("Slant", 2, "bob"),
        ],
    },
    {
        "external_id": "interop-2",
        "title": "Рада гавані",
        "text": (
            f"{THUMBS}{THUMBS} Рада гавані {FLAG_GB}{FLAG_UA} відклала голосування {KEYCAP}.\n"
            f"{NGUYEN} told reporters: «{GRIN} we wait» — {CAFE}."
        ),
        "spans": [
            (f"{THUMBS}{THUMBS}", "Editorial appeal", "bob"),
            ("Рада гавані", "Source attribution", "alice"),
            (f"{FLAG_GB}{FLAG_UA} відклала", "Diplomatic claim", "alice"),
            (f"голосування {KEYCAP}", "Diplomatic claim", "bob"),
            (f"{NGUYEN} told reporters", "Source attribution", "bob"),
            (f"«{GRIN} we wait»", QUOTE_LABEL, "alice"),
            (CAFE, "Editorial appeal", "alice"),
        ],
        "relations": [
            ("Рада гавані", f"«{GRIN} we wait»", SAYS, "alice"),
            (f"{NGUYEN} told reporters", f"голосування {KEYCAP}", SAYS, "bob"),
            (f"{THUMBS}{THUMBS}", f"{NGUYEN} told reporters", CITES, "bob"),
        ],
        "answers": [("Frames", ["Legality"], "bob"), ("Slant", 0, "alice")],
    },
]


def code_points(text, piece):
    start = text.index(piece)
    return start, start + len(piece)


def utf16_length(text):
    return len(text.encode("utf-16-le")) // 2


def utf16_slice(text, start, end):
    """What a browser shows for text.substring(start, end): the tool's UTF-16 offsets read as doccano's UI does."""
    return text.encode("utf-16-le")[start * 2 : end * 2].decode("utf-16-le", errors="replace")


def expected(with_annotators=True):
    """The spans every stage must give back: (external_id, label, annotator or None, covered text)."""
    return collections.Counter(
        (doc["external_id"], label, annotator if with_annotators else None, piece)
        for doc in DOCUMENTS
        for piece, label, annotator in doc["spans"]
    )


def expected_relations(with_annotators=True):
    """The relations every stage must give back: (external_id, type, annotator or None, from text, to text)."""
    return collections.Counter(
        (doc["external_id"], kind, annotator if with_annotators else None, start, end)
        for doc in DOCUMENTS
        for start, end, kind, annotator in doc["relations"]
    )


def expected_answers(with_annotators=True):
    """The answers every stage must give back: (external_id, question, annotator or None, value as JSON)."""
    return collections.Counter(
        (doc["external_id"], question, annotator if with_annotators else None, json.dumps(value))
        for doc in DOCUMENTS
        for question, value, annotator in doc["answers"]
    )


# --- report -----------------------------------------------------------------------------------------------------


class Report:
    def __init__(self):
        self.lines = []
        self.failures = 0
        self.broken = False

    def say(self, text=""):
        print(text, flush=True)
        self.lines.append(text)

    def compare(self, what, got, want, *, control=None, items="spans"):
        """Say whether the Counter `got` equals `want`: spans (relations) checked, on the same characters (between
        the same characters), mismatches."""
        missing, extra = want - got, got - want
        same = sum((got & want).values())
        mismatches = sum(missing.values()) + sum(extra.values())
        verdict = "ok" if not mismatches else "MISMATCH"
        where = {"relations": "between the same characters", "answers": "with the same values"}.get(
            items, "on the same characters"
        )
        self.say(f"  {what}: {sum(got.values())} {items} checked, {same} {where}, "
                 f"{mismatches} mismatches [{verdict}]")  # fmt: skip
        for item in sorted(missing, key=repr)[:10]:
            self.say(f"      expected, not found: {item!r}")
        for item in sorted(extra, key=repr)[:10]:
            self.say(f"      found, not expected: {item!r}")
        if control is not None:
            wrong, total = sum((control - want).values()), sum(control.values())
            self.say(f"      (control: read in the other unit, {wrong} of {total} would land elsewhere)")
        self.failures += bool(mismatches)

    def check(self, what, ok, detail=""):
        self.say(f"  {what}: {'ok' if ok else 'FAILED'}{' — ' + detail if detail else ''}")
        self.failures += not ok


# --- processes and HTTP -----------------------------------------------------------------------------------------


def run(command, *, env=None, cwd=None, timeout=1800, log=None):
    """Run `command`; its output goes to `log` (a path) when given; CalledProcessError when it fails."""
    merged = {**os.environ, **(env or {})}
    if log is None:
        return subprocess.run(command, env=merged, cwd=cwd, timeout=timeout, check=True, capture_output=True,  # noqa: S603
                              text=True).stdout  # fmt: skip
    with open(log, "a") as out:
        out.write(f"$ {' '.join(map(str, command))}\n")
        out.flush()
        subprocess.run(command, env=merged, cwd=cwd, timeout=timeout, check=True, stdout=out,  # noqa: S603
                       stderr=subprocess.STDOUT)  # fmt: skip
    return ""


class Servers:
    """The processes this run starts, each in its own process group, stopped in reverse order at the end."""

    def __init__(self):
        self.started = []

    def start(self, name, command, *, env, log):
        out = open(log, "ab")  # noqa: SIM115 (closed in stop)
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=subprocess.STDOUT,  # noqa: S603
                                   start_new_session=True)  # fmt: skip
        self.started.append((name, process, out))
        return process

    def stop(self):
        for _, process, out in reversed(self.started):
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=10)
            out.close()
        self.started.clear()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Api:
    """A JSON client for one server on 127.0.0.1 with a token header."""

    def __init__(self, base, scheme="Token"):
        self.base = base
        self.scheme = scheme
        self.token = None

    def request(self, method, path, body=None, *, raw=None, content_type=None, expect=(200, 201, 204), accept=None):
        headers = {"Accept": accept or "application/json"}
        if self.token:
            headers["Authorization"] = f"{self.scheme} {self.token}"
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        elif content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310 (127.0.0.1 only)
                payload, status = response.read(), response.status
        except urllib.error.HTTPError as error:
            payload, status = error.read(), error.code
        if status not in expect:
            raise RuntimeError(f"{method} {path} answered {status}: {payload[:2000].decode(errors='replace')}")
        return payload

    def json(self, method, path, body=None, **options):
        payload = self.request(method, path, body, **options)
        return json.loads(payload) if payload else None

    def upload(self, path, field, filename, content, fields=()):
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                 for name, value in fields]  # fmt: skip
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
                     "Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")  # fmt: skip
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request("POST", path, raw=b"".join(parts), content_type=f"multipart/form-data; boundary={boundary}",
                            accept="*/*")

    def wait_until_up(self, address, process, log):
        deadline = time.monotonic() + SERVER_WAIT
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"the server stopped (exit {process.returncode}); see {log}")
            try:
                with urllib.request.urlopen(address, timeout=5):  # noqa: S310
                    return
            except urllib.error.HTTPError:
                return  # it answers
            except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
                time.sleep(1)
        raise RuntimeError(f"no answer from {self.base} within {SERVER_WAIT} s; see {log}")


def poll(what, check, timeout=TASK_WAIT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result is not None:
            return result
        time.sleep(1)
    raise RuntimeError(f"{what} did not finish within {timeout} s")


# --- virtual environments ---------------------------------------------------------------------------------------


def venv(name, requirement, version, log):
    """The bin directory of VENVS/name with `requirement` installed (made or repaired when it is not)."""
    python = VENVS / name / "bin" / "python"
    package = requirement.split("==")[0]
    probe = f"import importlib.metadata as m; print(m.version({package!r}))"
    if not python.exists():
        run([sys.executable, "-m", "venv", VENVS / name], log=log)
        run([python, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], log=log)
    # A no-op (no download) once everything is there.
    run([python, "-m", "pip", "install", requirement, *PINS[name]], log=log)
    installed = run([python, "-c", probe]).strip()
    if installed != version:
        raise RuntimeError(f"{package} {installed} installed, not {version}")
    return python.parent


# --- Slant ------------------------------------------------------------------------------------------------------

SETUP = """
from django.contrib.auth import get_user_model
from annotator.access import access_project
from annotator.services.labels import label_create
from annotator.services.members import member_add
from annotator.services.projects import project_create
from annotator.services.questions import question_create

User = get_user_model()
owner, _ = User.objects.get_or_create(username="owner")
for name in ("alice", "bob"):
    User.objects.get_or_create(username=name)
project = project_create(user=owner, name={name!r}, label_preset="framing")
actor = access_project(owner, project.pk)
for name in ("alice", "bob"):
    member_add(actor=actor, username=name, role="annotator")
label_create(member=actor, name={label!r})
for question in {questions!r}:
    question_create(member=actor, **question)
print(project.pk)
"""


class Slant:
    """Slant itself, through manage.py on a database of its own."""

    def __init__(self, work, log):
        self.env = {"SLANT_DATA_DIR": str(work / "slant")}
        os.environ.pop("DATABASE_URL", None)  # Slant's default: SQLite in SLANT_DATA_DIR
        self.work = work
        self.log = log
        self.manage("migrate", "--noinput")

    def manage(self, *arguments):
        return run([SLANT_PYTHON, REPO / "manage.py", *map(str, arguments)], env=self.env, cwd=REPO, timeout=600)

    def project(self, name):
        """A new project with the framing labels, QUOTE_LABEL, QUESTIONS, and annotators alice and bob; its id."""
        setup = SETUP.format(name=name, label=QUOTE_LABEL, questions=QUESTIONS)
        return int(self.manage("shell", "-c", setup).strip().splitlines()[-1])

    def source_project(self, relations=False):
        """The test project: DOCUMENTS with their spans (and, with `relations`, their relations and relation types,
        and their answers), imported as Slant's own JSON Lines."""
        project = self.project("Interop source" + (" with relations" if relations else ""))
        lines = []
        for doc in DOCUMENTS:
            spans, ids = [], {}
            for number, (piece, label, annotator) in enumerate(doc["spans"], 1):
                start, end = code_points(doc["text"], piece)
                spans.append({"id": number, "start": start, "end": end, "label": label, "annotator": annotator})
                ids[(piece, annotator)] = number
            line = {**{k: doc[k] for k in ("external_id", "title", "text")}, "spans": spans}
            if relations:
                line["relations"] = [{"type": kind, "from": ids[(start, who)], "to": ids[(end, who)]}
                                     for start, end, kind, who in doc["relations"]]  # fmt: skip
                line["answers"] = [{"question": question, "value": value, "annotator": who}
                                   for question, value, who in doc["answers"]]  # fmt: skip
            lines.append(json.dumps(line))
        source = self.work / f"source{'-relations' if relations else ''}.jsonl"
        source.write_text("\n".join(lines) + "\n")
        self.manage("import_documents", project, source, "--format", "jsonl", "--create-labels")
        return project

    def export(self, project, fmt, *options):
        target = self.work / f"slant-{project}-{fmt}{'-zip' if '--zip' in options else ''}"
        self.manage("export_dataset", project, "--format", fmt, "-o", target, *options)
        return target.read_bytes()

    def import_file(self, project, path, fmt, *options):
        return json.loads(self.manage("import_documents", project, path, "--format", fmt, "--create-labels",
                                      *options).strip().splitlines()[-1])  # fmt: skip

    def spans(self, project, with_annotators=True):
        """What Slant stores, read through its JSON Lines export: (external_id, label, annotator, covered text)."""
        found = collections.Counter()
        for line in self.export(project, "jsonl").decode().splitlines():
            row = json.loads(line)
            for item in row["spans"]:
                covered = row["text"][item["start"] : item["end"]]
                annotator = item["annotator"] if with_annotators else None
                found[(row["external_id"], item["label"], annotator, covered)] += 1
        return found

    def answers(self, project, with_annotators=True):
        """Slant's answers, read through its JSON Lines export: (external_id, question, annotator, value as JSON)."""
        found = collections.Counter()
        for line in self.export(project, "jsonl").decode().splitlines():
            row = json.loads(line)
            for item in row["answers"]:
                annotator = item["annotator"] if with_annotators else None
                found[(row["external_id"], item["question"], annotator, json.dumps(item["value"]))] += 1
        return found

    def relations(self, project, with_annotators=True):
        """Slant's relations, read through its JSON Lines export: (external_id, type, annotator, from text, to
        text)."""
        found = collections.Counter()
        for line in self.export(project, "jsonl").decode().splitlines():
            row = json.loads(line)
            texts = {item["id"]: row["text"][item["start"] : item["end"]] for item in row["spans"]}
            for item in row["relations"]:
                annotator = item["annotator"] if with_annotators else None
                found[(row["external_id"], item["type"], annotator, texts[item["from"]], texts[item["to"]])] += 1
        return found


# --- doccano ----------------------------------------------------------------------------------------------------


def doccano_check(report, slant, servers):
    report.say(f"doccano {DOCCANO}")
    home = WORK / "doccano"
    home.mkdir()
    log = WORK / "doccano.log"
    bin_dir = venv("doccano", f"doccano=={DOCCANO}", DOCCANO, WORK / "pip-doccano.log")
    where = "import backend, os; print(os.path.dirname(backend.__file__))"
    backend = Path(run([bin_dir / "python", "-c", where]).strip())
    env = {
        "DOCCANO_HOME": str(home),
        "DATABASE_URL": f"sqlite:///{home / 'db.sqlite3'}",
        "MEDIA_ROOT": str(home / "media"),
        "STANDALONE": "True",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": SECRET,
        "DEBUG": "False",
    }
    run([bin_dir / "doccano", "init"], env=env, log=log)
    run([bin_dir / "doccano", "createuser", "--username", "admin", "--password", SECRET], env=env, log=log)
    port = free_port()
    # `doccano webserver` binds 0.0.0.0; the same gunicorn application, bound to 127.0.0.1 only.
    web = servers.start("doccano web", [bin_dir / "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                                        "--chdir", str(backend), "config.wsgi"], env=env, log=log)  # fmt: skip
    servers.start("doccano task queue", [bin_dir / "doccano", "task", "--concurrency", "1"], env=env, log=log)
    api = Api(f"http://127.0.0.1:{port}/v1")
    api.wait_until_up(f"http://127.0.0.1:{port}/v1/health/", web, log)
    api.token = api.json("POST", "/auth/login/", {"username": "admin", "password": SECRET})["key"]

    # The UI's unit: doccano's annotation page turns a selection into offsets with `convert`, which keeps the
    # DOM's (UTF-16) offsets unless the project's grapheme mode is on (off by default).
    bundles = list((backend / "client" / "dist" / "static" / "_nuxt").glob("*.js"))
    pattern = re.compile(
        r"this\.graphemeMode\?\[text\.toGraphemeOffset\((\w)\),text\.toGraphemeOffset\((\w)\)\]:\[\1,\2\]"
    )
    report.check("its UI keeps the browser's UTF-16 selection offsets when grapheme mode is off (client bundle)",
                 any(pattern.search(path.read_text(errors="replace")) for path in bundles))  # fmt: skip

    source = slant.source_project()
    exported = slant.export(source, "doccano")
    project = doccano_project(api, "Slant export")
    report.check("grapheme mode is off in a new project (the default)", project["grapheme_mode"] is False)
    errors = doccano_import(api, project["id"], "slant.jsonl", exported)
    report.check("imports Slant's doccano export without errors", not errors, json.dumps(errors)[:500])
    stored, control = doccano_spans(api, project["id"])
    report.compare("Slant export -> doccano (offsets read as UTF-16 code units)", stored, expected(False),
                   control=control)  # fmt: skip

    back = WORK / "doccano-export.jsonl"
    back.write_bytes(doccano_export(api, project["id"]))
    target = slant.project("From doccano")
    counts = slant.import_file(target, back, "doccano")
    report.say(f"      Slant import of doccano's export: {json.dumps(counts)}")
    report.compare("doccano export -> Slant (offsets=utf16, the default)", slant.spans(target, False), expected(False))

    # Spans written through doccano's API by a client that counts code points, as Python does.
    project = doccano_project(api, "Written through the API")
    plain = "".join(json.dumps({"text": doc["text"], "external_id": doc["external_id"]}) + "\n" for doc in DOCUMENTS)
    errors = doccano_import(api, project["id"], "plain.jsonl", plain.encode())
    types = {}
    for label in sorted({label for doc in DOCUMENTS for _, label, _ in doc["spans"]}):
        made = api.json("POST", f"/projects/{project['id']}/span-types",
                        {"text": label, "background_color": "#209cee", "text_color": "#ffffff"})  # fmt: skip
        types[label] = made["id"]
    for example in doccano_examples(api, project["id"]):
        doc = next(doc for doc in DOCUMENTS if doc["external_id"] == example["meta"]["external_id"])
        for piece, label, _ in doc["spans"]:
            start, end = code_points(doc["text"], piece)
            span = {"label": types[label], "start_offset": start, "end_offset": end, "example": example["id"]}
            api.json("POST", f"/projects/{project['id']}/examples/{example['id']}/spans", span)
    back = WORK / "doccano-api-export.jsonl"
    back.write_bytes(doccano_export(api, project["id"]))
    target = slant.project("From doccano's API")
    slant.import_file(target, back, "doccano", "--offsets", "codepoints")
    report.compare("spans written through doccano's API -> Slant (offsets=codepoints)", slant.spans(target, False),
                   expected(False))  # fmt: skip

    # Relations: a project with relation types exports doccano's relation-extraction JSON Lines, which a doccano
    # project with relations (use_relation) imports as its "JSONL(Relation)" option and exports again.
    source = slant.source_project(relations=True)
    exported = slant.export(source, "doccano")
    project = doccano_project(api, "Slant export with relations", use_relation=True)
    errors = doccano_import(api, project["id"], "slant-relations.jsonl", exported, task="RelationExtraction")
    report.check("imports Slant's relation-extraction export without errors", not errors, json.dumps(errors)[:500])
    stored, control = doccano_spans(api, project["id"])
    report.compare("Slant export with relations -> doccano: spans (UTF-16 code units)", stored, expected(False),
                   control=control)  # fmt: skip
    report.compare("Slant export with relations -> doccano: relations", doccano_relations(api, project["id"]),
                   expected_relations(False), items="relations")  # fmt: skip
    back = WORK / "doccano-relations-export.jsonl"
    back.write_bytes(doccano_export(api, project["id"]))
    target = slant.project("From doccano, with relations")
    counts = slant.import_file(target, back, "doccano")
    report.say(f"      Slant import of doccano's relation-extraction export: {json.dumps(counts)}")
    report.compare("doccano relation-extraction export -> Slant: spans", slant.spans(target, False), expected(False))
    report.compare("doccano relation-extraction export -> Slant: relations", slant.relations(target, False),
                   expected_relations(False), items="relations")  # fmt: skip


def doccano_project(api, name, *, use_relation=False):
    return api.json("POST", "/projects", {
        "name": name, "description": "Slant interop check", "guideline": "", "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject", "random_order": False, "collaborative_annotation": True,
        "allow_overlapping": True, "grapheme_mode": False, "use_relation": use_relation, "tags": [],
    })  # fmt: skip


def doccano_import(api, project_id, filename, content, *, task="SequenceLabeling"):
    upload_id = api.upload("/fp/process/", "filepond", filename, content).decode().strip()
    task = api.json("POST", f"/projects/{project_id}/upload", {
        "uploadIds": [upload_id], "format": "JSONL", "task": task,
        "column_data": "text", "column_label": "label", "encoding": "utf_8",
    })["task_id"]  # fmt: skip
    status = poll("doccano's import", lambda: (s := api.json("GET", f"/tasks/status/{task}"))["ready"] and s or None)
    if status["error"]:
        return [status["error"]]
    return status["result"]["error"]


def doccano_examples(api, project_id):
    examples, path = [], f"/projects/{project_id}/examples?limit=100"
    while path:
        page = api.json("GET", path)
        examples += page["results"]
        path = page["next"] and page["next"].split("/v1", 1)[1]
    return examples


def doccano_spans(api, project_id):
    """What doccano stores, its offsets read as UTF-16 code units; and, as a control, read as code points."""
    names = {item["id"]: item["text"] for item in api.json("GET", f"/projects/{project_id}/span-types")}
    stored, control = collections.Counter(), collections.Counter()
    for example in doccano_examples(api, project_id):
        text = example["text"]
        for span in api.json("GET", f"/projects/{project_id}/examples/{example['id']}/spans"):
            start, end, label = span["start_offset"], span["end_offset"], names[span["label"]]
            key = (example["meta"].get("external_id"), label, None)
            stored[(*key, utf16_slice(text, start, end) if end <= utf16_length(text) else None)] += 1
            control[(*key, text[start:end])] += 1
    return stored, control


def doccano_relations(api, project_id):
    """What doccano stores of relations: (external_id, type, None, from span's text, to span's text), the spans'
    offsets read as UTF-16 code units."""
    names = {item["id"]: item["text"] for item in api.json("GET", f"/projects/{project_id}/relation-types")}
    found = collections.Counter()
    for example in doccano_examples(api, project_id):
        text, path = example["text"], f"/projects/{project_id}/examples/{example['id']}"
        spans = {span["id"]: utf16_slice(text, span["start_offset"], span["end_offset"])
                 for span in api.json("GET", f"{path}/spans")}  # fmt: skip
        for relation in api.json("GET", f"{path}/relations"):
            found[(example["meta"].get("external_id"), names[relation["type"]], None, spans[relation["from_id"]],
                   spans[relation["to_id"]])] += 1  # fmt: skip
    return found


def doccano_export(api, project_id):
    options = {"format": "JSONL", "exportApproved": False}
    task = api.json("POST", f"/projects/{project_id}/download", options)["task_id"]
    poll("doccano's export", lambda: api.json("GET", f"/tasks/status/{task}")["ready"] or None)
    archive = zipfile.ZipFile(io.BytesIO(api.request("GET", f"/projects/{project_id}/download?taskId={task}",
                                                     accept="*/*")))
    [name] = archive.namelist()  # all.jsonl: a collaborative project's one file
    return archive.read(name)


# --- Label Studio -----------------------------------------------------------------------------------------------

VALIDATE = """
import json, sys
from label_studio_sdk.label_interface import LabelInterface
config, tasks = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
interface = LabelInterface(config)
print(json.dumps([error for task in tasks for annotation in task["annotations"]
                  for error in interface.validate_prediction(annotation, return_errors=True)]))
"""


def labelstudio_check(report, slant, servers):
    report.say(f"Label Studio {LABEL_STUDIO}")
    data = WORK / "labelstudio"
    data.mkdir()
    log = WORK / "labelstudio.log"
    bin_dir = venv("labelstudio", f"label-studio=={LABEL_STUDIO}", LABEL_STUDIO, WORK / "pip-labelstudio.log")
    where = "import label_studio, os; print(os.path.dirname(label_studio.__file__))"
    site = Path(run([bin_dir / "python", "-c", where]).strip())
    # The UI's unit: its text tag converts a selection's UTF-16 offsets to code points (the emoji fix).
    bundles = list((site.parent / "web" / "dist").rglob("*.js"))
    report.check("its UI converts selections to code points (fixCodePointsInRange in the web bundle)",
                 any("fixCodePointsInRange" in path.read_text(errors="replace") for path in bundles))  # fmt: skip
    port, token, admin = free_port(), secrets.token_hex(20), "owner@slant.invalid"
    env = {"LABEL_STUDIO_BASE_DATA_DIR": str(data), "COLLECT_ANALYTICS": "false", "SENTRY_DSN": "",
           "LABEL_STUDIO_DISABLE_SIGNUP_WITHOUT_LINK": "true"}  # fmt: skip
    web = servers.start("label-studio", [
        bin_dir / "label-studio", "start", "--no-browser", "--internal-host", "127.0.0.1", "--port", str(port),
        "--data-dir", str(data), "--username", admin, "--password", SECRET, "--user-token", token,
        "--enable-legacy-api-token", "--log-level", "WARNING",
    ], env=env, log=log)  # fmt: skip
    api = Api(f"http://127.0.0.1:{port}/api")
    api.wait_until_up(f"http://127.0.0.1:{port}/health", web, log)
    api.token = token
    for name in ("alice", "bob"):  # the annotators, under the addresses Slant's export gives them
        api.json("POST", "/users/", {"email": f"{name}@slant.invalid", "username": name})

    source = slant.source_project(relations=True)
    archive = zipfile.ZipFile(io.BytesIO(slant.export(source, "labelstudio", "--zip")))
    [tasks_name] = [name for name in archive.namelist() if name.endswith(".json")]
    config = archive.read("label_config.xml").decode()
    project = api.json("POST", "/projects/", {"title": "Slant export", "label_config": config})
    report.check("takes the zip's label_config.xml as a project's labeling config", project.get("id") is not None)
    try:
        counts = api.json("POST", f"/projects/{project['id']}/import", raw=archive.read(tasks_name),
                          content_type="application/json")  # fmt: skip
    except RuntimeError as refused:
        report.check("imports Slant's export unchanged (completed_by as Slant writes it)", False, str(refused))
        return
    report.check("imports Slant's export unchanged (completed_by as Slant writes it)", True,
                 f"{counts.get('task_count')} tasks, {counts.get('annotation_count')} annotations")  # fmt: skip
    old_shape = [{"data": {"text": "abc"}, "annotations": [{"completed_by": {"username": "alice"}, "result": []}]}]
    answer = api.request("POST", f"/projects/{project['id']}/import", raw=json.dumps(old_shape).encode(),
                         content_type="application/json", expect=(201, 400))  # fmt: skip
    report.check("(control) refuses completed_by without an email, as Slant wrote it before",
                 b"expected to have 'email' field" in answer)  # fmt: skip

    url = f"/projects/{project['id']}/export?exportType=JSON&download_all_tasks=true"
    exported = json.loads(api.request("GET", url))
    emails = {user["id"]: user["email"] for user in api.json("GET", "/users/")}
    stored, control, texts, links = collections.Counter(), collections.Counter(), [], collections.Counter()
    answers = collections.Counter()  # as Label Studio stores them, read back into Slant's values
    minimum = {question["name"]: question.get("min") for question in QUESTIONS}
    for task in exported:
        text = task["data"]["text"]
        for annotation in task["annotations"]:
            who = emails.get(annotation["completed_by"], "?").removesuffix("@slant.invalid")
            regions = {}
            for result in annotation["result"]:
                if result["type"] != "labels":
                    continue
                value = result["value"]
                key = (task["data"].get("external_id"), value["labels"][0], who)
                regions[result["id"]] = text[value["start"] : value["end"]]
                stored[(*key, text[value["start"] : value["end"]])] += 1
                control[(*key, utf16_slice(text, value["start"], value["end"]))] += 1
                texts.append(text[value["start"] : value["end"]] == value["text"])
            for result in annotation["result"]:
                if result["type"] in ("choices", "rating"):
                    value = result["value"][result["type"]]
                    if result["type"] == "rating":
                        value = minimum[result["from_name"]] + value - 1
                    elif result["from_name"] == "Primary frame" and len(value) == 1:
                        value = value[0]
                    answers[(task["data"].get("external_id"), result["from_name"], who, json.dumps(value))] += 1
                if result["type"] == "relation":
                    for kind in result.get("labels") or ["(no label)"]:
                        links[(task["data"].get("external_id"), kind, who, regions.get(result["from_id"]),
                               regions.get(result["to_id"]))] += 1  # fmt: skip
    report.compare("Slant export -> Label Studio (offsets read as code points, annotators by email)", stored,
                   expected(), control=control)  # fmt: skip
    report.check("every stored region's value.text is the text at its offsets", all(texts), f"{len(texts)} regions")
    report.compare("Slant export -> Label Studio: relation results between the same regions", links,
                   expected_relations(), items="relations")  # fmt: skip
    report.compare("Slant export -> Label Studio: choices and rating results (a rating r is the scale's r-th step)",
                   answers, expected_answers(), items="answers")  # fmt: skip

    # What its labeling config accepts: the SDK's LabelInterface, which Label Studio checks predictions with, on
    # the config the project stored and the annotations it stored; the control drops one label from the config.
    stored_config = api.json("GET", f"/projects/{project['id']}")["label_config"]
    lacking = stored_config.replace(f"<Label value={quoteattr(QUOTE_LABEL)}", '<Label value="Another label"')
    (WORK / "stored_config.xml").write_text(stored_config)
    (WORK / "lacking_config.xml").write_text(lacking)
    (WORK / "stored_tasks.json").write_text(json.dumps(exported))
    validate = [bin_dir / "python", "-c", VALIDATE]
    errors = json.loads(run([*validate, WORK / "stored_config.xml", WORK / "stored_tasks.json"]))
    report.check("its labeling config (the zip's label_config.xml, as stored) accepts every stored region, relation,"
                 " choice and rating", not errors,
                 "; ".join([f"{len(texts)} regions, {sum(answers.values())} answers", *errors[:3]]))  # fmt: skip
    controls = {tag.get("name"): tag.tag for tag in ElementTree.fromstring(stored_config)  # noqa: S314
                if tag.tag in ("Choices", "Rating")}  # fmt: skip
    report.check("its labeling config has a Choices or Rating control named as each question",
                 controls == {"Primary frame": "Choices", "Frames": "Choices", "Slant": "Rating"}, repr(controls))
    named = {tag.get("value") for tag in ElementTree.fromstring(stored_config).iter("Relation")}  # noqa: S314
    report.check("its labeling config's <Relations> names the type of every relation result",
                 {kind for _, kind, *_ in links} <= named, ", ".join(sorted(named)))  # fmt: skip
    errors = json.loads(run([*validate, WORK / "lacking_config.xml", WORK / "stored_tasks.json"]))
    quoted = {(doc["external_id"], who, piece) for doc in DOCUMENTS for piece, label, who in doc["spans"]
              if label == QUOTE_LABEL}  # fmt: skip
    touching = {(doc["external_id"], who, start, end) for doc in DOCUMENTS for start, end, _, who in doc["relations"]
                if {(doc["external_id"], who, start), (doc["external_id"], who, end)} & quoted}  # fmt: skip
    # The SDK lists a refused region's errors one by one, and each refused relation's as a list of its own.
    refused = [error for error in errors if isinstance(error, str)]
    unlinked = len(errors) - len(refused)
    report.check("(control) a config without one of the labels refuses its regions and the relations to them",
                 (len(refused), unlinked) == (len(quoted), len(touching)),
                 f"{len(refused)} regions and {unlinked} relations refused")  # fmt: skip
    # The same for answers: a config whose questions lack an option refuses the choices results that chose it.
    without = stored_config.replace('<Choice value="Legality"', '<Choice value="Another option"')
    (WORK / "without_option_config.xml").write_text(without)
    errors = json.loads(run([*validate, WORK / "without_option_config.xml", WORK / "stored_tasks.json"]))
    chose = sum(n for (_, name, _, value), n in answers.items() if name != "Slant" and "Legality" in value)
    report.check("(control) a config without one of the options refuses the choices that chose it",
                 len(errors) == chose, f"{len(errors)} of {chose} refused: {'; '.join(map(str, errors[:2]))[:300]}")

    # Its plain JSON export (the Export button) names annotators by user id only: Slant cannot know who they were.
    # Its spans and relations become the importer's; its answers would too, but alice's and bob's answers to one
    # question of a document cannot both be the importer's, so that file is refused (checked below) and the spans
    # and relations are checked on the export without its choices and ratings.
    answerless = [{**task, "annotations": [
        {**annotation, "result": [result for result in annotation["result"]
                                  if result["type"] not in ("choices", "rating")]}
        for annotation in task["annotations"]
    ]} for task in exported]  # fmt: skip
    whole = WORK / "labelstudio-export-with-answers.json"
    whole.write_bytes(json.dumps(exported).encode())
    try:
        slant.import_file(slant.project("From Label Studio, answers without annotators"), whole, "labelstudio")
        refused = ""
    except subprocess.CalledProcessError as error:
        refused = error.stderr or ""
    twice = refused.count("answers it twice in this document")
    report.check("(refuses) the plain export's answers: two annotators' answers to one question, both nameless,"
                 " would be one annotator's twice", twice > 0, f"{twice} such problems" if refused else "imported")
    back = WORK / "labelstudio-export.json"
    back.write_bytes(json.dumps(answerless).encode())
    target = slant.project("From Label Studio")
    counts = slant.import_file(target, back, "labelstudio")
    report.say(f"      Slant import of Label Studio's export: {json.dumps(counts)}")
    report.compare("Label Studio export -> Slant (completed_by an id: spans become the importer's)",
                   slant.spans(target, False), expected(False))  # fmt: skip
    report.compare("Label Studio export -> Slant: relations", slant.relations(target, False),
                   expected_relations(False), items="relations")  # fmt: skip

    # An export with the annotators' details (serialization option annotations__completed_by) names them by email.
    snapshot = api.json("POST", f"/projects/{project['id']}/exports/", {
        "title": "slant", "serialization_options": {"annotations__completed_by": {"only_id": False}},
    })  # fmt: skip
    path = f"/projects/{project['id']}/exports/{snapshot['id']}"
    poll("Label Studio's export", lambda: api.json("GET", path)["status"] in ("completed", "failed") or None)
    back = WORK / "labelstudio-export-with-users.json"
    back.write_bytes(api.request("GET", f"{path}/download?exportType=JSON", accept="*/*"))
    target = slant.project("From Label Studio, with users")
    slant.import_file(target, back, "labelstudio")
    report.compare("Label Studio export with user details -> Slant (annotators by email)", slant.spans(target),
                   expected())  # fmt: skip
    report.compare("Label Studio export with user details -> Slant: relations and their annotators",
                   slant.relations(target), expected_relations(), items="relations")  # fmt: skip
    report.compare("Label Studio export with user details -> Slant: answers and their annotators",
                   slant.answers(target), expected_answers(), items="answers")  # fmt: skip


# --- main -------------------------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=["doccano", "labelstudio"], help="check one tool")
    args = parser.parse_args()
    if not SLANT_PYTHON.exists():
        sys.exit(f"{SLANT_PYTHON} is missing: make Slant's virtual environment first (make run or make test).")
    if WORK.exists():
        run(["rm", "-rf", WORK])
    WORK.mkdir(parents=True)
    VENVS.mkdir(exist_ok=True)
    report = Report()
    report.say(f"Slant interop check, {time.strftime('%Y-%m-%d %H:%M %Z')}, Python {sys.version.split()[0]}")
    slant = Slant(WORK, WORK / "slant.log")
    checks = {"doccano": doccano_check, "labelstudio": labelstudio_check}
    for name, check in checks.items():
        if args.only and name != args.only:
            continue
        servers = Servers()
        try:
            check(report, slant, servers)
        except Exception as error:  # noqa: BLE001 (any failure of a tool is reported and ends that tool's check)
            report.say(f"  COULD NOT CHECK: {type(error).__name__}: {error}")
            report.broken = True
        finally:
            servers.stop()
        report.say()
    verdict = "FAILED" if report.failures or report.broken else "passed"
    report.say(f"{verdict}: {report.failures} failed checks{'; a tool could not be checked' if report.broken else ''}")
    (WORK / "report.txt").write_text("\n".join(report.lines) + "\n")
    sys.exit(2 if report.broken else 1 if report.failures else 0)


if __name__ == "__main__":
    main()
