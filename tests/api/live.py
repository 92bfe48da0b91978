"""A tiny HTTP client of the live server, for the tests that race real requests against it."""

import http.client
import json
import threading
from urllib.parse import urlsplit

TIMEOUT = 60


def _parsed(response, raw):
    """The body: None when empty, parsed when JSON, else the text (an HTML error page, say)."""
    if not raw:
        return None
    if response.getheader("Content-Type") == "application/json":
        return json.loads(raw)
    return raw.decode()


class Api:
    """A tiny HTTP client of the live server: JSON in and out, token authentication."""

    def __init__(self, live_server):
        parts = urlsplit(live_server.url)
        self.host, self.port = parts.hostname, parts.port

    def connect(self):
        conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
        conn.connect()
        return conn

    def send(self, conn, method, path, token, body=None, headers=None):
        """Send one request on an open connection, then close it; returns (status, parsed JSON body or None)."""
        all_headers = {"Authorization": f"Token {token}", "Accept": "application/json", **(headers or {})}
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        try:
            conn.request(method, path, body=payload, headers=all_headers)
            response = conn.getresponse()
            raw = response.read()
        finally:
            conn.close()
        return response.status, _parsed(response, raw)

    def call(self, method, path, token, body=None, headers=None):
        return self.send(self.connect(), method, path, token, body, headers)

    def race(self, jobs):
        """Run each job in its own thread, all released at once by a barrier; returns their results in order.

        A job is a function of `send(method, path, token, body=None, headers=None)`. Its first request goes out on
        a connection opened before the barrier, so that the racing requests leave together. A thread's error is
        raised here.
        """
        barrier = threading.Barrier(len(jobs))
        results, errors = [None] * len(jobs), []

        def run(index, job):
            try:
                ready = [self.connect()]
                barrier.wait(timeout=TIMEOUT)

                def send(*args, **kwargs):
                    return self.send(ready.pop() if ready else self.connect(), *args, **kwargs)

                results[index] = job(send)
            except BaseException as exc:  # handed to the main thread
                barrier.abort()
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT * 3)
        assert not any(thread.is_alive() for thread in threads), "a racing request hung"
        if errors:
            raise errors[0]
        return results
