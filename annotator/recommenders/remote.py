"""Remote recommenders: `http` (Slant's own protocol, SPEC "Suggestions") and `labelstudio-ml` (a Label Studio ML
backend), pure of the ORM: labels and documents in, an Outcome out (suggestions per document id, errors naming
their documents). A bad answer, a refusal or a timeout is an error for the documents it concerns, never an
exception, and a document with one bad span gets no suggestions at all.

One HTTP helper makes every call, and it is the server's safety: it calls only hosts an administrator listed in
SLANT_RECOMMENDER_HOSTS (any signed-in user can own a project, so an open URL would let anyone reach machines on
the server's network), compared literally, so a name that resolves to a listed address is still unlisted; it
follows no redirect; it reads at most 10 MB; and the timeout bounds the whole call, a server that trickles bytes
included.
"""

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

import orjson
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import HTTPError

from annotator.formats.labelstudio import label_config
from annotator.rules import span_problems

KINDS = ("http", "labelstudio-ml")
BATCH = 50
MAX_TIMEOUT = 60
MAX_ANSWER_BYTES = 10 * 1024 * 1024
SCHEMES = {"http": 80, "https": 443}
CONFIG_KEYS = frozenset({"url", "timeout"})


class UnsafeURL(ValueError):
    """A URL the server must not call; the message says why."""


class RemoteFailure(Exception):
    """What went wrong with one call or one answer, as the job's error records it."""


@dataclass(frozen=True)
class Label:
    id: int
    name: str


@dataclass(frozen=True)
class Document:
    id: int
    text: str


@dataclass(frozen=True)
class Suggestion:
    label: int
    start: int
    end: int
    score: float | None
    model_version: str | None = None


@dataclass(frozen=True)
class Failure:
    documents: tuple[int, ...]
    message: str


@dataclass
class Outcome:
    """Each document asked about is in exactly one of the two: `suggestions` (id → list, maybe empty) or an error."""

    suggestions: dict[int, list[Suggestion]] = field(default_factory=dict)
    errors: list[Failure] = field(default_factory=list)

    def fail(self, documents, message):
        self.errors.append(Failure(tuple(document.id for document in documents), message))


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str


def check_url(url, allowed):
    """The URL's parts when the server may call it: http or https, no user name or password, and a host (with its
    port, when the entry names one) literally in `allowed`, SLANT_RECOMMENDER_HOSTS; else UnsafeURL."""
    if not isinstance(url, str) or not url:
        raise UnsafeURL("Give the recommender's URL, e.g. http://models.example.org:9090/.")
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        raise UnsafeURL("A URL holds no spaces or control characters.")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in SCHEMES:
        raise UnsafeURL(f"Only http and https URLs are allowed, not {parts.scheme or 'a URL without a scheme'!r}.")
    if "@" in parts.netloc:
        raise UnsafeURL("The URL must not carry a user name or password.")
    host = parts.hostname
    if not host:
        raise UnsafeURL("The URL names no host.")
    port = _port(parts, SCHEMES[scheme])
    if not allowed:
        raise UnsafeURL("Remote recommenders are off: the server's SLANT_RECOMMENDER_HOSTS lists no host.")
    if not any(_listed(entry, host, port) for entry in allowed):
        raise UnsafeURL(f"{host}:{port} is not among the hosts the server's SLANT_RECOMMENDER_HOSTS lists.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port, path)


def _port(parts, default):
    try:
        port = parts.port
    except ValueError:
        port = 0
    if port == 0:
        raise UnsafeURL("The URL's port is not a number from 1 to 65535.")
    return port or default


def _listed(entry, host, port):
    """Whether `entry` ("host", "host:port", "[v6]:port" or a bare IPv6 address) admits host:port."""
    if entry.count(":") > 1 and not entry.startswith("["):
        return entry.lower() == host
    parts = urlsplit(f"//{entry}")
    try:
        entry_port = parts.port
    except ValueError:
        return False
    return parts.hostname == host and entry_port in (None, port)


def config_problems(config, allowed):
    """What is wrong with a remote recommender's `config` ({"url", "timeout"}), as (field, message) pairs."""
    if not isinstance(config, dict):
        return [("config", 'The config is an object: {"url": "…", "timeout": seconds}.')]
    problems = [
        ("config", f"Unknown key {key!r}; a remote recommender takes url and timeout.")
        for key in config
        if key not in CONFIG_KEYS
    ]
    try:
        check_url(config.get("url"), allowed)
    except UnsafeURL as error:
        problems.append(("config.url", str(error)))
    timeout = config.get("timeout")
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not 0 < timeout <= MAX_TIMEOUT:
        problems.append(("config.timeout", f"The timeout is a number of seconds, above 0 and at most {MAX_TIMEOUT}."))
    return problems


def suggest(kind, config, *, project, labels, documents, allowed):
    """Ask the `kind` recommender at config["url"] about `documents`, 50 at a time, each call bounded by
    config["timeout"]; the URL is checked against `allowed` again, as the list may have changed since."""
    ask = {"http": _ask_http, "labelstudio-ml": _ask_labelstudio}[kind]
    outcome = Outcome()
    documents = list(documents)
    for first in range(0, len(documents), BATCH):
        ask(outcome, config, project, labels, documents[first : first + BATCH], allowed)
    return outcome


def post_json(url, payload, *, timeout, allowed):
    """POST `payload` as JSON to `url` and give back the JSON answer; RemoteFailure when the URL is not allowed,
    the server cannot be reached, answers anything but a 2xx, sends over 10 MB or not JSON, or takes longer than
    `timeout` seconds in all (connecting, sending and reading)."""
    try:
        target = check_url(url, allowed)
    except UnsafeURL as error:
        raise RemoteFailure(str(error)) from None
    body = orjson.dumps(payload)
    connection_class = HTTPSConnection if target.scheme == "https" else HTTPConnection
    connection = connection_class(target.host, target.port, timeout=timeout)
    expired, connected = threading.Event(), []
    late = f"{url} gave no complete answer within {timeout:g} s."
    # Socket timeouts bound each wait, not the call: a server sending a byte now and then would hold it forever.
    # At the deadline the socket is shut, which ends any wait at once.
    watchdog = threading.Timer(timeout, _cut, (connected, expired))
    began = time.monotonic()
    watchdog.start()
    try:
        connection.connect()
        # Kept here, as http.client lets go of the socket once it has the headers of an answer that ends the connection.
        connected.append(connection.sock)
        if expired.is_set():
            raise RemoteFailure(late)
        answer = _exchange(connection, target, body)
    except (OSError, HTTPError, RemoteFailure) as error:
        # The socket's own timeout equals the deadline, so on a busy machine it can fire before the watchdog does.
        if expired.is_set() or time.monotonic() - began >= timeout:
            raise RemoteFailure(late) from None
        if isinstance(error, RemoteFailure):
            raise
        raise RemoteFailure(f"{url} could not be reached: {error}") from None
    finally:
        watchdog.cancel()
        connection.close()
    if expired.is_set():
        raise RemoteFailure(late)
    try:
        return orjson.loads(answer)
    except orjson.JSONDecodeError:
        raise RemoteFailure(f"{url} answered something that is not JSON.") from None


def _cut(connected, expired):
    expired.set()
    for sock in connected:
        # socket.socket's own shutdown, not SSLSocket's, which would tear down TLS state another thread is using.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


def _exchange(connection, target, body):
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Accept-Encoding": "identity"}
    connection.request("POST", target.path, body=body, headers=headers, preload_content=False, decode_content=False)
    response = connection.getresponse()
    if 300 <= response.status < 400:
        location = _shown(response.headers.get("Location", "elsewhere"), quoted=False)
        raise RemoteFailure(f"The recommender redirected to {location}; redirects are not followed.")
    if not 200 <= response.status < 300:
        raise RemoteFailure(f"The recommender answered HTTP {response.status}.")
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_ANSWER_BYTES:
        raise RemoteFailure("The recommender's answer is over 10 MB.")
    chunks, size = [], 0
    while chunk := response.read1(65536):
        size += len(chunk)
        if size > MAX_ANSWER_BYTES:
            raise RemoteFailure("The recommender's answer is over 10 MB.")
        chunks.append(chunk)
    return b"".join(chunks)


def _ask_http(outcome, config, project, labels, batch, allowed):
    """Slant's own protocol: {"project", "labels", "documents"} → {"results": [{"document", "spans"}]}."""
    payload = {
        "project": project,
        "labels": [{"id": label.id, "name": label.name} for label in labels],
        "documents": [{"id": document.id, "text": document.text} for document in batch],
    }
    try:
        answer = post_json(config["url"], payload, timeout=config["timeout"], allowed=allowed)
        spans = _http_results(answer, batch)
    except RemoteFailure as error:
        outcome.fail(batch, str(error))
        return
    by_name = {label.name: label.id for label in labels}
    for document in batch:
        try:
            outcome.suggestions[document.id] = _http_spans(spans.get(document.id, []), document, by_name)
        except RemoteFailure as error:
            outcome.fail([document], str(error))


def _http_results(answer, batch):
    """The spans the answer gives each document (a document it leaves out has none); RemoteFailure when the
    answer as a whole cannot be trusted: not {"results": [...]}, or a result for a document not asked about."""
    results = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(results, list):
        raise RemoteFailure('The answer is not {"results": [{"document": id, "spans": [...]}, ...]}.')
    asked = {document.id for document in batch}
    spans = {}
    for result in results:
        document = result.get("document") if isinstance(result, dict) else None
        if type(document) is not int or document not in asked:
            raise RemoteFailure(f"The answer has a result for {_shown(document)}, which is no document asked about.")
        if document in spans:
            raise RemoteFailure(f"The answer has two results for document {document}.")
        spans[document] = result.get("spans")
    return spans


def _http_spans(spans, document, by_name):
    if not isinstance(spans, list):
        raise RemoteFailure(f"Document {document.id}: spans is not a list.")
    found = []
    for span in spans:
        if not isinstance(span, dict):
            raise RemoteFailure(f"Document {document.id}: a span is not an object.")
        label = _label(span.get("label"), by_name, document)
        found.append(_suggestion(document, label, span.get("start"), span.get("end"), span.get("score")))
    return _distinct(found)


def _ask_labelstudio(outcome, config, project, labels, batch, allowed):
    """A Label Studio ML backend's POST /predict (label_studio_ml/api.py, `_predict`): the body Label Studio sends,
    {"tasks", "project", "label_config", "params"}, the config naming the `$text` its example backends read
    (examples/spacy/model.py: task['data'][value] of the first Labels/Text pair); the answer {"results": [...]},
    one prediction per task or a list of them (label_studio_ml/response.py, SingleTaskPredictions)."""
    parts = urlsplit(config["url"])
    url = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "/predict"))
    payload = {
        "tasks": [{"id": document.id, "data": {"text": document.text}} for document in batch],
        "project": str(project),
        "label_config": label_config([{"name": label.name} for label in labels]),
        "params": {"context": {}},
    }
    try:
        answer = post_json(url, payload, timeout=config["timeout"], allowed=allowed)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list):
            raise RemoteFailure('The answer is not {"results": [prediction, ...]}.')
    except RemoteFailure as error:
        outcome.fail(batch, str(error))
        return
    if len(results) != len(batch):
        if len(batch) > 1:
            # Predictions come in the tasks' order, but backends may leave out a task with nothing found
            # (examples/huggingface_ner/model.py appends only non-empty ones): ask about each task alone.
            for document in batch:
                _ask_labelstudio(outcome, config, project, labels, [document], allowed)
            return
        if results:
            outcome.fail(batch, f"The answer has {len(results)} predictions for one task.")
            return
        results = [[]]
    by_name = {label.name: label.id for label in labels}
    for document, predictions in zip(batch, results, strict=True):
        try:
            outcome.suggestions[document.id] = _labelstudio_predictions(predictions, document, by_name)
        except RemoteFailure as error:
            outcome.fail([document], str(error))


def _labelstudio_predictions(predictions, document, by_name):
    """Every `labels` region of the task's predictions: one suggestion per label it names (offsets in code points,
    as Label Studio stores them), scored by the region's own `score` or else the prediction's."""
    found = []
    for prediction in predictions if isinstance(predictions, list) else [predictions]:
        regions = prediction.get("result") if isinstance(prediction, dict) else None
        if not isinstance(regions, list):
            raise RemoteFailure(f'Document {document.id}: a prediction is not {{"result": [...]}}.')
        version = prediction.get("model_version")
        version = str(version) if isinstance(version, str | int) and not isinstance(version, bool) else None
        for region in regions:
            if not isinstance(region, dict):
                raise RemoteFailure(f"Document {document.id}: a result is not an object.")
            if region.get("type") != "labels":
                continue
            value = region.get("value")
            names = value.get("labels") if isinstance(value, dict) else None
            if not isinstance(names, list) or not names:
                raise RemoteFailure(f"Document {document.id}: a labels result has no value.labels.")
            score = region.get("score")
            score = prediction.get("score") if score is None else score
            for name in names:
                label = _label(name, by_name, document)
                found.append(_suggestion(document, label, value.get("start"), value.get("end"), score, version))
                given = value.get("text")
                if given is not None and given != document.text[value["start"] : value["end"]]:
                    raise RemoteFailure(
                        f"Document {document.id}: the text {_shown(given)} is not the text at "
                        f"{value['start']}:{value['end']} (offsets are code points)."
                    )
    return _distinct(found)


def _label(name, by_name, document):
    if not isinstance(name, str) or name not in by_name:
        raise RemoteFailure(f"Document {document.id}: label {_shown(name)} is not in this project.")
    return by_name[name]


def _suggestion(document, label, start, end, score, version=None):
    if type(start) is not int or type(end) is not int:
        raise RemoteFailure(
            f"Document {document.id}: start and end are whole numbers, not {_shown(start)} and {_shown(end)}."
        )
    problems = span_problems(document.text, start, end)
    if problems:
        raise RemoteFailure(f"Document {document.id}: {problems[0][1]}.")
    if score is not None and (isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 1):
        raise RemoteFailure(f"Document {document.id}: score {_shown(score)} is not a number from 0 to 1.")
    return Suggestion(label, start, end, None if score is None else float(score), version)


def _distinct(suggestions):
    """One suggestion per label, start and end (the best scored), in text order."""
    best = {}
    for suggestion in suggestions:
        key = (suggestion.start, suggestion.end, suggestion.label)
        kept = best.get(key)
        if kept is None or (suggestion.score or 0) > (kept.score or 0):
            best[key] = suggestion
    return [best[key] for key in sorted(best)]


def _shown(value, *, quoted=True, limit=80):
    """`value` as an error message shows it: the answer is the remote server's, so it is cut short."""
    text = repr(value) if quoted else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
