"""annotator/recommenders/remote.py against small real HTTP servers on 127.0.0.1: the allow-list, the timeout that
bounds a whole call, the size cap, no redirects, and every wrong answer becoming an error for its documents."""

import shutil
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest

from annotator.recommenders.remote import (
    MAX_ANSWER_BYTES,
    Document,
    Failure,
    Label,
    Suggestion,
    UnsafeURL,
    check_url,
    config_problems,
    suggest,
)

LOOPBACK = ["127.0.0.1"]
TIMEOUT = 0.5
LABELS = [Label(1, "Source"), Label(2, "Cue")]
TEXT = "🇺🇳 Peskov told reporters"
PESKOV = TEXT.index("Peskov")
DOCUMENTS = [Document(7, TEXT), Document(8, "Observers arrive.")]


class Server:
    """An HTTP server on 127.0.0.1 in a thread, answering every POST with `respond(handler)` and keeping each
    request's (path, JSON body)."""

    def __init__(self, respond):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append((self.path, orjson.loads(body)))
                respond(self)

            def log_message(self, *args):
                pass

        self.requests = []
        self.released = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.httpd.handle_error = lambda request, address: None
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def url(self, path="/", scheme="http", host="127.0.0.1"):
        return f"{scheme}://{host}:{self.httpd.server_port}{path}"

    def wrap_in_tls(self, certificate, key):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)

    def close(self):
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def serve():
    servers = []

    def start(respond):
        servers.append(Server(respond))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def answer(payload, status=200, headers=()):
    """A responder that sends `payload` (bytes as they are, anything else as JSON) with `status`."""
    body = payload if isinstance(payload, bytes) else orjson.dumps(payload)

    def respond(handler):
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond


def http_answer(*results):
    return answer({"results": list(results)})


def run(kind, url, documents=DOCUMENTS, allowed=LOOPBACK, timeout=TIMEOUT):
    return suggest(
        kind, {"url": url, "timeout": timeout}, project=3, labels=LABELS, documents=documents, allowed=allowed
    )


def peskov(**fields):
    return {"label": "Source", "start": PESKOV, "end": PESKOV + 6, "score": 0.82} | fields


class TestCheckUrl:
    def test_a_listed_host_on_any_port_is_allowed(self):
        target = check_url("http://127.0.0.1:9090/predict?model=a", LOOPBACK)
        assert (target.scheme, target.host, target.port, target.path) == ("http", "127.0.0.1", 9090, "/predict?model=a")

    def test_an_unlisted_host_is_refused(self):
        with pytest.raises(UnsafeURL, match="10.0.0.5:80 is not among the hosts"):
            check_url("http://10.0.0.5/", LOOPBACK)

    def test_nothing_is_allowed_while_the_list_is_empty(self):
        with pytest.raises(UnsafeURL, match="lists no host"):
            check_url("http://127.0.0.1/", [])

    def test_a_name_that_resolves_to_a_listed_address_is_still_unlisted(self):
        with pytest.raises(UnsafeURL, match="localhost:80 is not among"):
            check_url("http://localhost/", ["127.0.0.1"])

    def test_a_listed_name_does_not_admit_its_address(self):
        assert check_url("http://localhost/", ["localhost"]).host == "localhost"
        with pytest.raises(UnsafeURL, match="127.0.0.1:80 is not among"):
            check_url("http://127.0.0.1/", ["localhost"])

    @pytest.mark.parametrize(
        "url", ["http://127.0.0.1.nip.io/", "http://127.1/", "http://2130706433/", "http://localhost./"]
    )
    def test_other_spellings_of_a_listed_address_are_unlisted(self, url):
        with pytest.raises(UnsafeURL, match="is not among"):
            check_url(url, ["127.0.0.1", "localhost"])

    def test_an_entry_with_a_port_admits_that_port_only(self):
        assert check_url("http://models.example.org:9090/", ["models.example.org:9090"]).port == 9090
        with pytest.raises(UnsafeURL, match="models.example.org:9091 is not among"):
            check_url("http://models.example.org:9091/", ["models.example.org:9090"])

    def test_a_url_without_a_port_means_its_schemes_port(self):
        assert check_url("https://Models.Example.org/", ["models.example.org:443"]).port == 443
        with pytest.raises(UnsafeURL, match="models.example.org:80 is not among"):
            check_url("http://models.example.org/", ["models.example.org:443"])

    def test_ipv6_entries_in_brackets_or_bare(self):
        assert check_url("http://[::1]:8080/", ["[::1]:8080"]).host == "::1"
        assert check_url("http://[::1]:8081/", ["::1"]).port == 8081
        with pytest.raises(UnsafeURL):
            check_url("http://[::1]:8081/", ["[::1]:8080"])

    @pytest.mark.parametrize(
        ("url", "message"),
        [
            ("ftp://127.0.0.1/model", "Only http and https URLs are allowed, not 'ftp'"),
            ("file:///etc/passwd", "Only http and https URLs are allowed, not 'file'"),
            ("gopher://127.0.0.1:70/", "not 'gopher'"),
            ("127.0.0.1:9090/predict", "Only http and https"),
            ("http://user:secret@127.0.0.1/", "must not carry a user name or password"),
            ("http://evil.example@127.0.0.1/", "must not carry a user name or password"),
            ("http:///predict", "names no host"),
            ("http://127.0.0.1:99999/", "port is not a number"),
            ("http://127.0.0.1:0/", "port is not a number"),
            ("http://127.0.0.1/ predict", "no spaces or control characters"),
            ("http://127.0.0.1/\r\nHost: evil", "no spaces or control characters"),
            ("", "Give the recommender's URL"),
            (None, "Give the recommender's URL"),
        ],
    )
    def test_unsafe_urls_are_refused_with_the_reason(self, url, message):
        with pytest.raises(UnsafeURL, match=message):
            check_url(url, LOOPBACK)


class TestConfigProblems:
    def test_a_listed_url_and_a_timeout_within_60_s_are_sound(self):
        assert config_problems({"url": "https://127.0.0.1/", "timeout": 60}, LOOPBACK) == []

    def test_the_url_is_named_as_config_url(self):
        assert config_problems({"url": "http://10.0.0.5/", "timeout": 5}, LOOPBACK) == [
            ("config.url", "10.0.0.5:80 is not among the hosts the server's SLANT_RECOMMENDER_HOSTS lists.")
        ]

    @pytest.mark.parametrize("timeout", [0, -1, 60.5, "5", True, None, float("nan"), float("inf")])
    def test_a_timeout_that_is_no_number_in_0_to_60_is_named(self, timeout):
        assert [name for name, _ in config_problems({"url": "http://127.0.0.1/", "timeout": timeout}, LOOPBACK)] == [
            "config.timeout"
        ]

    def test_unknown_keys_and_a_missing_url_are_named(self):
        problems = config_problems({"timeout": 5, "headers": {"X": "1"}}, LOOPBACK)
        assert [name for name, _ in problems] == ["config", "config.url"]

    def test_a_config_that_is_no_object_is_named(self):
        assert [name for name, _ in config_problems(["http://127.0.0.1/"], LOOPBACK)] == ["config"]


class TestHttpRecommender:
    def test_the_request_carries_project_labels_and_documents_and_spans_come_back_in_code_points(self, serve):
        server = serve(http_answer({"document": 7, "spans": [peskov(), peskov(label="Cue", start=14, end=18)]}))
        outcome = run("http", server.url("/suggest"))
        assert server.requests == [
            (
                "/suggest",
                {
                    "project": 3,
                    "labels": [{"id": 1, "name": "Source"}, {"id": 2, "name": "Cue"}],
                    "documents": [{"id": 7, "text": TEXT}, {"id": 8, "text": "Observers arrive."}],
                },
            )
        ]
        assert outcome.errors == []
        assert outcome.suggestions == {
            7: [Suggestion(1, PESKOV, PESKOV + 6, 0.82), Suggestion(2, 14, 18, 0.82)],
            8: [],
        }
        assert TEXT[PESKOV : PESKOV + 6] == "Peskov"

    def test_documents_go_fifty_at_a_time(self, serve):
        server = serve(http_answer())
        documents = [Document(n, "text") for n in range(1, 121)]
        outcome = run("http", server.url(), documents=documents)
        assert [len(body["documents"]) for _, body in server.requests] == [50, 50, 20]
        assert len(outcome.suggestions) == 120

    def test_a_null_or_missing_score_is_no_score(self, serve):
        server = serve(http_answer({"document": 7, "spans": [peskov(score=None), peskov(label="Cue", score=None)]}))
        assert [s.score for s in run("http", server.url()).suggestions[7]] == [None, None]

    @pytest.mark.parametrize(
        ("span", "message"),
        [
            (peskov(start=len(TEXT) - 2, end=len(TEXT) + 1), f"end {len(TEXT) + 1} is past the end of the text"),
            (peskov(start=-1), "start -1 is negative"),
            (peskov(start=10, end=10), "start 10 is not before end 10"),
            (peskov(start="3"), "start and end are whole numbers"),
            (peskov(end=9.0), "start and end are whole numbers"),
            (peskov(start=True), "start and end are whole numbers"),
            (peskov(label="Appeal"), "label 'Appeal' is not in this project"),
            (peskov(label=1), "label 1 is not in this project"),
            (peskov(score=1.5), "score 1.5 is not a number from 0 to 1"),
            (peskov(score=-0.1), "score -0.1 is not a number from 0 to 1"),
            (peskov(score="0.5"), "score '0.5' is not a number from 0 to 1"),
            (peskov(score=True), "score True is not a number from 0 to 1"),
            ("a span", "a span is not an object"),
        ],
    )
    def test_one_bad_span_costs_its_document_every_suggestion_and_no_other(self, serve, span, message):
        server = serve(
            http_answer(
                {"document": 7, "spans": [peskov(label="Cue"), span]},
                {"document": 8, "spans": [{"label": "Cue", "start": 0, "end": 9, "score": 1}]},
            )
        )
        outcome = run("http", server.url())
        assert 7 not in outcome.suggestions
        assert [e.documents for e in outcome.errors] == [(7,)]
        assert message in outcome.errors[0].message
        assert outcome.suggestions == {8: [Suggestion(2, 0, 9, 1.0)]}

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            (b"<html>Bad gateway</html>", "not JSON"),
            (b"", "not JSON"),
            (b'{"results": [NaN]}', "not JSON"),
            ([], '{"results": [{"document": id'),
            ({"results": {"7": []}}, '{"results": [{"document": id'),
            ({"spans": []}, '{"results": [{"document": id'),
            ({"results": ["7"]}, "a result for None"),
            ({"results": [{"document": 99, "spans": []}]}, "a result for 99, which is no document asked about"),
            ({"results": [{"document": "7", "spans": []}]}, "a result for '7'"),
            ({"results": [{"document": 7, "spans": []}, {"document": 7, "spans": []}]}, "two results for document 7"),
        ],
    )
    def test_an_answer_that_cannot_be_trusted_is_an_error_for_the_whole_batch(self, serve, body, message):
        server = serve(answer(body))
        outcome = run("http", server.url())
        assert outcome.suggestions == {}
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert message in outcome.errors[0].message

    def test_what_the_server_sent_is_cut_short_in_the_error(self, serve):
        server = serve(http_answer({"document": 7, "spans": [peskov(label="A" * 100_000)]}, {"document": 8}))
        message = run("http", server.url()).errors[0].message
        assert message == f"Document 7: label '{'A' * 78}… is not in this project."

    def test_spans_that_are_not_a_list_cost_their_document(self, serve):
        server = serve(http_answer({"document": 7, "spans": {"label": "Cue"}}, {"document": 8}))
        outcome = run("http", server.url())
        assert [(e.documents, e.message) for e in outcome.errors] == [
            ((7,), "Document 7: spans is not a list."),
            ((8,), "Document 8: spans is not a list."),
        ]

    @pytest.mark.parametrize("status", [500, 404, 403])
    def test_a_status_other_than_2xx_is_an_error(self, serve, status):
        server = serve(answer({"results": []}, status=status))
        assert run("http", server.url()).errors == [Failure((7, 8), f"The recommender answered HTTP {status}.")]

    def test_a_redirect_is_not_followed_even_to_an_allowed_host(self, serve):
        elsewhere = serve(http_answer({"document": 7, "spans": [peskov()]}))
        server = serve(answer(b"", status=302, headers=[("Location", elsewhere.url())]))
        outcome = run("http", server.url())
        assert outcome.errors == [
            Failure((7, 8), f"The recommender redirected to {elsewhere.url()}; redirects are not followed.")
        ]
        assert elsewhere.requests == []

    def test_an_answer_over_10_mb_is_cut_off_as_an_error(self, serve):
        filler = b" " * (MAX_ANSWER_BYTES + 1 - len(b'{"results": []}'))
        server = serve(answer(b'{"results": []}' + filler))
        assert run("http", server.url(), timeout=5).errors == [
            Failure((7, 8), "The recommender's answer is over 10 MB.")
        ]

    def test_an_answer_over_10_mb_without_a_length_is_cut_off_while_read(self, serve):
        def endless(handler):
            handler.send_response(200)
            handler.send_header("Connection", "close")
            handler.end_headers()
            chunk = b" " * 1024 * 1024
            for _ in range(64):
                handler.wfile.write(chunk)

        server = serve(endless)
        assert run("http", server.url(), timeout=5).errors == [
            Failure((7, 8), "The recommender's answer is over 10 MB.")
        ]

    @pytest.mark.parametrize(
        ("padding", "error"), [(10, None), (MAX_ANSWER_BYTES, "The recommender's answer is over 10 MB.")]
    )
    def test_a_chunked_answer_is_read_up_to_10_mb(self, serve, padding, error):
        def chunked(handler):
            handler.wfile.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
            for part in [b'{"results": [', b" " * padding, b"]}"]:
                handler.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            handler.wfile.write(b"0\r\n\r\n")

        server = serve(chunked)
        outcome = run("http", server.url(), timeout=5)
        assert [e.message for e in outcome.errors] == ([error] if error else [])
        assert outcome.suggestions == ({} if error else {7: [], 8: []})

    def test_exactly_10_mb_is_read(self, serve):
        body = b'{"results": []}'
        server = serve(answer(body + b" " * (MAX_ANSWER_BYTES - len(body))))
        outcome = run("http", server.url(), timeout=5)
        assert outcome.errors == []
        assert outcome.suggestions == {7: [], 8: []}

    def test_a_server_that_never_answers_is_given_up_at_the_timeout(self, serve):
        server = serve(lambda handler: server.released.wait(10))
        began = time.monotonic()
        outcome = run("http", server.url())
        assert time.monotonic() - began < TIMEOUT + 0.4
        assert outcome.errors == [Failure((7, 8), f"{server.url()} gave no complete answer within 0.5 s.")]

    def test_a_server_that_trickles_its_answer_is_given_up_at_the_timeout(self, serve):
        def trickle(handler):
            handler.send_response(200)
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b'{"results": [')
            while not server.released.wait(0.05):
                handler.wfile.write(b" ")
                handler.wfile.flush()

        server = serve(trickle)
        began = time.monotonic()
        outcome = run("http", server.url())
        assert time.monotonic() - began < TIMEOUT + 0.4
        assert outcome.errors == [Failure((7, 8), f"{server.url()} gave no complete answer within 0.5 s.")]

    def test_a_server_that_trickles_its_headers_is_given_up_at_the_timeout(self, serve):
        def trickle(handler):
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            while not server.released.wait(0.05):
                handler.wfile.write(b"X-Wait: 1\r\n")
                handler.wfile.flush()

        server = serve(trickle)
        began = time.monotonic()
        outcome = run("http", server.url())
        assert time.monotonic() - began < TIMEOUT + 0.4
        assert [e.message for e in outcome.errors] == [f"{server.url()} gave no complete answer within 0.5 s."]

    def test_a_name_for_a_listed_address_is_not_called(self, serve):
        server = serve(http_answer())
        outcome = run("http", server.url(host="localhost"), allowed=["127.0.0.1"])
        assert server.requests == []
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert f"localhost:{server.httpd.server_port} is not among the hosts" in outcome.errors[0].message

    @pytest.mark.skipif(not shutil.which("openssl"), reason="needs the openssl command to make a certificate")
    def test_https_checks_the_servers_certificate(self, serve, tmp_path):
        certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
        subprocess.run(  # noqa: S603
            [
                shutil.which("openssl"),
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-subj",
                "/CN=127.0.0.1",
                "-keyout",
                str(key),
                "-out",
                str(certificate),
            ],
            check=True,
            capture_output=True,
        )
        server = serve(http_answer())
        server.wrap_in_tls(certificate, key)
        outcome = run("http", server.url(scheme="https"))
        assert server.requests == []
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert "certificate verify failed" in outcome.errors[0].message

    def test_a_host_taken_off_the_list_since_configuration_is_not_called(self, serve):
        server = serve(http_answer())
        outcome = run("http", server.url(), allowed=["models.example.org"])
        assert server.requests == []
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert "is not among the hosts" in outcome.errors[0].message

    def test_a_server_that_is_not_there_is_an_error(self, serve):
        server = serve(http_answer())
        url = server.url()
        server.close()
        outcome = run("http", url)
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert outcome.errors[0].message.startswith(f"{url} could not be reached")


def prediction(*regions, score=0.9, model_version="ner-v2"):
    return {"result": list(regions), "score": score, "model_version": model_version}


def region(labels, start, end, text=None, score=None):
    value = {"start": start, "end": end, "labels": labels}
    if text is not None:
        value["text"] = text
    result = {"from_name": "label", "to_name": "text", "type": "labels", "value": value}
    return result if score is None else result | {"score": score}


class TestLabelStudioMlRecommender:
    def test_predict_gets_label_studio_tasks_and_its_labels_results_become_suggestions(self, serve):
        server = serve(
            answer(
                {
                    "results": [
                        prediction(
                            region(["Source"], PESKOV, PESKOV + 6, text="Peskov", score=0.7),
                            region(["Source", "Cue"], PESKOV + 7, PESKOV + 11),
                            {
                                "from_name": "sentiment",
                                "to_name": "text",
                                "type": "choices",
                                "value": {"choices": ["x"]},
                            },
                        ),
                        prediction(score=None),
                    ]
                }
            )
        )
        outcome = run("labelstudio-ml", server.url("/ml/?model=ner"))
        path, body = server.requests[0]
        assert path == "/ml/predict?model=ner"
        assert body["tasks"] == [{"id": 7, "data": {"text": TEXT}}, {"id": 8, "data": {"text": "Observers arrive."}}]
        assert body["project"] == "3"
        assert '<Label value="Source"/>' in body["label_config"]
        assert '<Text name="text" value="$text"/>' in body["label_config"]
        assert outcome.errors == []
        assert outcome.suggestions == {
            7: [
                Suggestion(1, PESKOV, PESKOV + 6, 0.7, "ner-v2"),
                Suggestion(1, PESKOV + 7, PESKOV + 11, 0.9, "ner-v2"),
                Suggestion(2, PESKOV + 7, PESKOV + 11, 0.9, "ner-v2"),
            ],
            8: [],
        }

    def test_several_predictions_for_one_task_are_merged_keeping_the_best_score(self, serve):
        server = serve(
            answer(
                {
                    "results": [
                        [
                            prediction(region(["Cue"], PESKOV + 7, PESKOV + 11), score=0.4, model_version="a"),
                            prediction(region(["Cue"], PESKOV + 7, PESKOV + 11), score=0.6, model_version="b"),
                        ],
                        [],
                    ]
                }
            )
        )
        outcome = run("labelstudio-ml", server.url())
        assert outcome.suggestions == {7: [Suggestion(2, PESKOV + 7, PESKOV + 11, 0.6, "b")], 8: []}

    def test_a_backend_that_leaves_out_empty_tasks_is_asked_about_each_task_alone(self, serve):
        def respond(handler):
            tasks = server.requests[-1][1]["tasks"]
            found = [prediction(region(["Cue"], 0, 9)) for task in tasks if task["id"] == 8]
            answer({"results": found})(handler)

        server = serve(respond)
        outcome = run("labelstudio-ml", server.url())
        assert [[task["id"] for task in body["tasks"]] for _, body in server.requests] == [[7, 8], [7], [8]]
        assert outcome.errors == []
        assert outcome.suggestions == {7: [], 8: [Suggestion(2, 0, 9, 0.9, "ner-v2")]}

    @pytest.mark.parametrize(
        ("result", "message"),
        [
            (region(["Source"], PESKOV, PESKOV + 6, text="Pesko"), "the text 'Pesko' is not the text at"),
            (region(["Source"], PESKOV + 2, PESKOV + 8, text="Peskov"), "offsets are code points"),
            (region(["Appeal"], 0, 3), "label 'Appeal' is not in this project"),
            (region([], 0, 3), "a labels result has no value.labels"),
            (region(["Source"], 0, len(TEXT) + 1), "past the end of the text"),
            (region(["Source"], 0, 3, score=2), "score 2 is not a number from 0 to 1"),
            ({"type": "labels", "value": "Source"}, "a labels result has no value.labels"),
            ("Source", "a result is not an object"),
        ],
    )
    def test_one_bad_result_costs_its_task_every_suggestion(self, serve, result, message):
        server = serve(answer({"results": [prediction(region(["Cue"], 0, 3), result), prediction()]}))
        outcome = run("labelstudio-ml", server.url())
        assert [e.documents for e in outcome.errors] == [(7,)]
        assert message in outcome.errors[0].message
        assert outcome.suggestions == {8: []}

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"predictions": []}, 'The answer is not {"results": [prediction, ...]}.'),
            ([prediction()], 'The answer is not {"results": [prediction, ...]}.'),
            (b"Internal error", "not JSON"),
        ],
    )
    def test_an_answer_of_the_wrong_shape_is_an_error_for_the_batch(self, serve, body, message):
        server = serve(answer(body))
        outcome = run("labelstudio-ml", server.url())
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert message in outcome.errors[0].message

    def test_a_prediction_without_result_costs_its_task(self, serve):
        server = serve(answer({"results": [{"score": 0.5}, "nothing"]}))
        assert [e.message for e in run("labelstudio-ml", server.url()).errors] == [
            'Document 7: a prediction is not {"result": [...]}.',
            'Document 8: a prediction is not {"result": [...]}.',
        ]

    def test_a_redirect_from_predict_is_not_followed(self, serve):
        server = serve(answer(b"", status=307, headers=[("Location", "http://10.0.0.5/predict")]))
        outcome = run("labelstudio-ml", server.url())
        assert outcome.errors == [
            Failure((7, 8), "The recommender redirected to http://10.0.0.5/predict; redirects are not followed.")
        ]

    def test_a_slow_backend_is_given_up_at_the_timeout(self, serve):
        server = serve(lambda handler: server.released.wait(10))
        began = time.monotonic()
        outcome = run("labelstudio-ml", server.url())
        assert time.monotonic() - began < TIMEOUT + 0.4
        assert [e.documents for e in outcome.errors] == [(7, 8)]
        assert "gave no complete answer within 0.5 s" in outcome.errors[0].message
