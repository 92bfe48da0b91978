"""README.md's API examples, run as written (bash and curl) against a live server with the demo loaded.

Every command in a README code block that calls curl is followed by its answer, `# → STATUS [JSON]`; in the JSON
`…` stands for any value (`"id": …`, `"token": "…"`), or at the end of an object or a list for more keys or items.
The test changes only the two things a reader fills in: the server's address and the password `"…"`."""

import json
import os
import re
import subprocess
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

README = Path(settings.BASE_DIR) / "README.md"
ADDRESS = "http://127.0.0.1:8000"
PASSWORD_PLACEHOLDER = '"password": "…"'
DEMO_PASSWORD = "readme-demo-2026"
DEMO_CREDENTIAL = f'"password": "{DEMO_PASSWORD}"'
ANSWER = re.compile(r"# → (?P<status>\d{3})(?: (?P<body>[^(].*))?(?: \(.*\))?$")
ANY = "…"
SEPARATOR = "---- end of example ----"
# Each curl call also writes its status to stderr, so that the answer's body on stdout stays as the reader sees it.
CURL_WITH_STATUS = "curl() { command curl --write-out '%{stderr}%{http_code}\\n' \"$@\"; }"


@dataclass
class Example:
    command: str
    status: int
    body: object  # the expected JSON with ANY where the README writes …; None: the body is not shown


def code_blocks(markdown):
    return re.findall(r"^```[a-z]*\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def examples(markdown):
    """The README's curl commands with the answer written under each; fails on a command without one."""
    found = []
    for block in code_blocks(markdown):
        if "curl " not in block:
            continue
        command = []
        for line in block.splitlines():
            if line.startswith("# →"):
                answer = ANSWER.match(line)
                assert answer and command, f"not an answer to a command: {line!r}"
                body = answer["body"]
                found.append(Example("\n".join(command), int(answer["status"]), body and expected_json(body)))
                command = []
            elif line.strip() and not line.startswith("#"):
                command.append(line)
        assert not command, "a README example without its answer (# → STATUS …): " + "\n".join(command)
    return found


def expected_json(text):
    """The README's JSON with … read as ANY: a value that may be anything, or, last in an object or list, more
    keys or items."""
    text = re.sub(r",\s*…\s*}", f', "{ANY}": "{ANY}"}}', text)
    text = re.sub(r",\s*…\s*]", f', "{ANY}"]', text)
    text = re.sub(r":\s*…", f': "{ANY}"', text)
    return json.loads(text)


def matches(expected, actual):
    if expected == ANY:
        return True
    if isinstance(expected, dict):
        fields = {key: value for key, value in expected.items() if key != ANY}
        keys_agree = fields.keys() <= actual.keys() if ANY in expected else fields.keys() == actual.keys()
        return isinstance(actual, dict) and keys_agree and all(matches(v, actual[k]) for k, v in fields.items())
    if isinstance(expected, list):
        items = expected[:-1] if expected[-1:] == [ANY] else expected
        length_agrees = len(actual) >= len(items) if items is not expected else len(actual) == len(items)
        return isinstance(actual, list) and length_agrees and all(map(matches, items, actual))
    return expected == actual


def run(examples, address):
    """Run the examples in one bash session, in order (a TOKEN set by one is used by the next): [(status, body)]."""
    script = [CURL_WITH_STATUS]
    for example in examples:
        assert ADDRESS in example.command, f"every example calls the demo at {ADDRESS}: {example.command}"
        command = example.command.replace(ADDRESS, address).replace(PASSWORD_PLACEHOLDER, DEMO_CREDENTIAL)
        script += [command, f"echo; echo '{SEPARATOR}'"]
    done = subprocess.run(  # noqa: S603 (the README's own commands, the point of the test)
        ["/bin/bash", "-c", "\n".join(script)], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )
    statuses = [int(line) for line in done.stderr.splitlines() if re.fullmatch(r"\d{3}", line)]
    bodies = [body.strip() for body in done.stdout.split(SEPARATOR + "\n")[: len(examples)]]
    assert len(statuses) == len(examples), f"one curl call per example; stderr: {done.stderr}"
    return list(zip(statuses, bodies, strict=True))


@pytest.fixture
def demo(django_db_reset_sequences, live_server, monkeypatch):
    """The demo on a database as fresh as the first `make run`'s (ids from 1), every password DEMO_PASSWORD."""
    monkeypatch.setenv("SLANT_DEMO_PASSWORD", DEMO_PASSWORD)
    call_command("load_demo", stdout=StringIO())
    return live_server


class TestTheReadmesApiExamples:
    def test_every_example_answers_as_the_readme_says(self, demo):
        written = examples(README.read_text())

        answers = run(written, demo.url)

        for example, (status, body) in zip(written, answers, strict=True):
            assert status == example.status, (example.command, status, body)
            if example.body is not None:
                assert matches(example.body, json.loads(body)), (example.command, body)

    def test_a_wrong_password_example_shows_the_whole_body_drf_answers(self, demo):
        wrongs = [e for e in examples(README.read_text()) if "auth/token/" in e.command and e.status == 400]
        assert len(wrongs) == 1, "the README shows what a wrong password answers"
        [wrong] = wrongs

        [(status, body)] = run([wrong], demo.url)

        assert PASSWORD_PLACEHOLDER not in wrong.command
        assert (status, json.loads(body)) == (400, wrong.body)
        assert wrong.body == {"non_field_errors": ["Unable to log in with provided credentials."]}


class TestReadingTheExamples:
    """The reader of the README's answers, on examples of its own: a wrong reading would pass anything."""

    @pytest.mark.parametrize(
        ("written", "actual"),
        [
            ('{"token": "…"}', {"token": "abc"}),
            ('{"id": …, "text": "told"}', {"id": 3, "text": "told"}),
            ('{"results": [{"id": 8, …}, …]}', {"results": [{"id": 8, "title": "x"}, {"id": 9}]}),
            ("1359", 1359),
        ],
    )
    def test_an_answer_as_written_matches(self, written, actual):
        assert matches(expected_json(written), actual)

    @pytest.mark.parametrize(
        ("written", "actual"),
        [
            ('{"token": "…"}', {"token": "abc", "more": 1}),
            ('{"id": …, "text": "told"}', {"id": 3, "text": "told reporters"}),
            ('{"results": [{"id": 8, …}]}', {"results": [{"id": 8}, {"id": 9}]}),
            ('{"results": [{"id": 8, …}, …]}', {"results": []}),
            ("1359", 1362),
        ],
    )
    def test_an_answer_that_differs_does_not(self, written, actual):
        assert not matches(expected_json(written), actual)

    def test_a_command_without_its_answer_is_refused(self):
        with pytest.raises(AssertionError, match="without its answer"):
            examples("```sh\ncurl -s http://127.0.0.1:8000/api/v1/projects/\n```\n")
