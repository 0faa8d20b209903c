"""Locust scenario for ``bench/cases_load.py``: case workers (and a partner) browsing cases.

Not meant to be run on its own: ``cases_load.py`` writes the plan (one signed-in session per
simulated user, with that user's URLs) and reads the results back. Environment:

BENCH_PLAN     JSON file with {"sessions": [{"cookie": ..., "requests": [[name, url, weight]]}]}
BENCH_WARMUP   seconds from the start whose requests are not counted
BENCH_WAIT     think time between two page views: "0" (none) or "1-3" (uniform, seconds)
BENCH_RESULTS  JSON file to write {name: {"times": [ms, ...], "errors": n, "codes": {...}}}
"""

from __future__ import annotations

import itertools
import json
import os
import random
import time
from collections import Counter, defaultdict
from http.cookiejar import DefaultCookiePolicy
from typing import Any

from locust import FastHttpUser, between, constant, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"]).read())  # noqa: SIM115
WARMUP = float(os.environ.get("BENCH_WARMUP", "0"))
_wait = os.environ.get("BENCH_WAIT", "1-3")
_low, _, _high = _wait.partition("-")
WAIT = constant(float(_low)) if not _high else between(float(_low), float(_high))

_next_session = itertools.count()
_started = [time.monotonic()]
_times: dict[str, list[float]] = defaultdict(list)
_errors: Counter[str] = Counter()
_codes: dict[str, Counter[str]] = defaultdict(Counter)
_window: list[float] = []


class _NoCookies(DefaultCookiePolicy):
    """The session cookie is sent as a header; whatever the server sets is not kept (the
    production settings mark cookies Secure, which a plain-HTTP client would then drop)."""

    def set_ok(self, cookie: Any, request: Any) -> bool:
        return False


@events.test_start.add_listener
def _start(**_kwargs: Any) -> None:
    _started[0] = time.monotonic()


@events.request.add_listener
def _record(
    name: str, response_time: float, exception: BaseException | None, response: Any, **_: Any
) -> None:
    now = time.monotonic()
    if now - _started[0] < WARMUP:
        return
    if not _window:
        _window.append(now)
    _times[name].append(response_time)
    code = str(getattr(response, "status_code", "") or type(exception).__name__)
    _codes[name][code] += 1
    if exception is not None:
        _errors[name] += 1


@events.test_stop.add_listener
def _stop(**_kwargs: Any) -> None:
    counted = (time.monotonic() - _window[0]) if _window else 0.0
    out = {
        "seconds": counted,
        "endpoints": {
            name: {"times": times, "errors": _errors[name], "codes": dict(_codes[name])}
            for name, times in _times.items()
        },
    }
    with open(os.environ["BENCH_RESULTS"], "w") as f:
        json.dump(out, f)


class CaseUser(FastHttpUser):
    """geventhttpclient rather than requests: a fifth of the client CPU per request, which
    matters when the load tool shares the machine's cores with the server."""

    wait_time = WAIT

    def on_start(self) -> None:
        session = PLAN["sessions"][next(_next_session) % len(PLAN["sessions"])]
        self.client.cookiejar.set_policy(_NoCookies())
        self.headers = {"Cookie": session["cookie"], "Accept-Language": "nl"}
        self.requests = session["requests"]
        self.weights = [r[2] for r in session["requests"]]
        self.rng = random.Random()  # noqa: S311 - load pattern, not security

    @task
    def browse(self) -> None:
        name, url, _weight = self.rng.choices(self.requests, weights=self.weights)[0]
        with self.client.get(
            url, name=name, headers=self.headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code} for {url}")
