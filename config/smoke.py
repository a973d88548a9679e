"""Fetch the pages a deployment must serve: `python -m config.smoke http://127.0.0.1:8000 [--wait 60]`.

Run by CI against gunicorn under the production settings (.ci/run) and by tests/test_deployment.py.
Pages are asked for as the TLS-terminating proxy forwards them (`X-Forwarded-Proto: https`), the
health check as the container asks for it (plain HTTP); every static file the login page links to is
fetched too. Anything but a 200 (a redirect included) is a failure. Exit status 1 on any failure.
"""

import argparse
import re
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urljoin

PAGES = ["/", "/accounts/login/"]
PROXIED = {"X-Forwarded-Proto": "https"}
STATIC_LINK = re.compile(r"""<(?:link|script)\b[^>]*?\b(?:href|src)="(/static/[^"]+)\"""")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to report, not to follow


_opener = urllib.request.build_opener(_NoRedirect)


def fetch(url: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (an http URL we were given)
    try:
        with _opener.open(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def wait(base_url: str, seconds: float) -> bool:
    """Whether the server answers at all (any status) within `seconds`: it may still be starting."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            fetch(urljoin(base_url, "/health/"))
            return True
        except OSError:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)


def check(base_url: str) -> list[str]:
    """The failures, one line each; empty when the deployment serves."""
    failures = []
    bodies = {}
    for path in [*PAGES, "/health/"]:
        status, body = fetch(urljoin(base_url, path), PROXIED if path in PAGES else None)
        bodies[path] = body
        if status != 200:
            failures.append(f"{path}: {status} {body[:200]!r}")
    static = STATIC_LINK.findall(bodies["/accounts/login/"])
    if not static:
        failures.append("/accounts/login/: links to no static file")
    for path in static:
        status, _ = fetch(urljoin(base_url, path), PROXIED)
        if status != 200:
            failures.append(f"{path}: {status}")
    return failures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m config.smoke")
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the server to answer")
    args = parser.parse_args(argv)
    base_url = args.base_url
    if not wait(base_url, args.wait):
        print(f"FAIL {base_url}: no answer within {args.wait:g} s", file=sys.stderr)
        return 1
    failures = check(base_url)
    for line in failures:
        print(f"FAIL {line}", file=sys.stderr)
    if not failures:
        print(f"OK {base_url}: {', '.join(PAGES)}, /health/ and their static files answer 200")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
