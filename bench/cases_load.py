"""Benchmark: case list (with filters) and case page under concurrent users, over HTTP.

Needs a PostgreSQL database that is already filled, given by WEERBAAR_DATABASE_URL:

    export WEERBAAR_DATABASE_URL=postgres://postgres@127.0.0.1:55440/weerbaar_bench_cases
    export WEERBAAR_DATA_DIR=/tmp/weerbaar-bench-data
    .venv/bin/weerbaar migrate
    .venv/bin/weerbaar load-reference-data
    .venv/bin/weerbaar generate-signals --aantal 1000000 --alle-gemeenten
    .venv/bin/weerbaar generate-cases --aantal 100000
    .venv/bin/python bench/cases_load.py --users 16 --warmup 20 --duration 90

What it does: creates benchmark accounts (a regisseur and an analist in the municipalities
with the most cases, and a partner user of an organisation that is on cases there), signs
each simulated user in with its own session (second factor done, as
``weerbaar.core.testing.login`` does), starts gunicorn on 127.0.0.1 with the production
settings (DEBUG off), and runs locust headless against the case list with typical filter
combinations (phase, lead, phenomenon, partner, search, late tasks, page 2) and case pages.
Requests in the warm-up are not counted. Prints p50/p95/p99 and errors per endpoint and
overall, and exits non-zero when any request failed (or, with --max-p95, when the case list
or the case page is slower than that at p95).

``--wait`` is the think time of a simulated user between two pages: "1-3" (default, an
active user clicking every one to three seconds) or "0" (no pause at all, as Open Zaak
measures: then the figures show the saturation of the machine more than the page itself).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BIN = Path(sys.executable).parent
LIST, DETAIL = "case list", "case page"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", type=int, default=90, help="counted seconds")
    parser.add_argument("--warmup", type=int, default=20, help="seconds not counted")
    parser.add_argument("--wait", default="1-3", help='think time: "0" or "1-3" seconds')
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn worker processes (default cores + 1: on 2 cores 3 gave 64 req/s, 5 gave 56)",
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--municipalities", type=int, default=4)
    parser.add_argument("--max-p95", type=float, default=0, help="fail above this p95 (ms)")
    parser.add_argument("--keep", action="store_true", help="keep the plan and result files")
    args = parser.parse_args()

    url = os.environ.get("WEERBAAR_DATABASE_URL", "")
    if not url.startswith("postgres"):
        parser.error("set WEERBAAR_DATABASE_URL to the filled PostgreSQL database")
    work = Path(tempfile.mkdtemp(prefix="weerbaar-bench-cases-"))
    data_dir = Path(os.environ.get("WEERBAAR_DATA_DIR", str(work)))
    server_env = {
        "DJANGO_SETTINGS_MODULE": "weerbaar.settings.production",
        "WEERBAAR_SECRET_KEY": os.environ.get("WEERBAAR_SECRET_KEY") or secrets.token_urlsafe(64),
        "WEERBAAR_DEBUG": "0",
        "WEERBAAR_SSL_REDIRECT": "0",  # plain HTTP on loopback; TLS ends at a proxy in production
        "WEERBAAR_ALLOWED_HOSTS": "127.0.0.1",
        "WEERBAAR_DATA_DIR": str(data_dir),
        "WEERBAAR_STATIC_ROOT": os.environ.get(
            "WEERBAAR_STATIC_ROOT", str(data_dir / "bench-static")
        ),
        # Connections outlive the run: a PostgreSQL backend that exits mid-run takes its CPU
        # seconds with it, and the CPU report would book them to "the rest".
        "WEERBAAR_DB_CONN_MAX_AGE": os.environ.get(
            "WEERBAAR_DB_CONN_MAX_AGE", str(args.warmup + args.duration + 300)
        ),
        "WEERBAAR_LOG_LEVEL": "WARNING",
    }
    os.environ.update(server_env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from weerbaar.cases.models import Case
    from weerbaar.signals.models import Signal

    cases, signals = Case.objects.count(), Signal.objects.count()
    if not cases:
        parser.error("no cases in the database: run generate-signals and generate-cases first")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server_version = cursor.fetchone()[0]
    print(
        f"database: PostgreSQL {server_version}; {signals:,} signals, {cases:,} cases; "
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if not (Path(server_env["WEERBAAR_STATIC_ROOT"]) / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
    plan = build_plan(args.users, args.municipalities)
    plan_file, results_file = work / "plan.json", work / "results.json"
    plan_file.write_text(json.dumps(plan))
    connection.close()

    env = {**os.environ, **server_env}
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603 - our own venv binaries
        [
            str(BIN / "gunicorn"),
            "weerbaar.wsgi:application",
            f"--bind=127.0.0.1:{args.port}",
            f"--workers={args.workers}",
            f"--threads={args.threads}",
            "--backlog=256",
            "--timeout=60",
            f"--error-logfile={work / 'gunicorn.log'}",
        ],
        env=env,
        cwd=ROOT,
    )
    try:
        wait_until_up(base, server)
        smoke_test(base, plan)
        print(
            f"load: {args.users} users, think time {args.wait} s, {args.warmup} s warm-up, "
            f"{args.duration} s counted; gunicorn {args.workers} workers x {args.threads} "
            "thread(s), production settings"
        )
        cpu = CpuMeter(server.pid)
        subprocess.run(  # noqa: S603 - our own venv binaries
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "bench" / "locust_cases.py"),
                "--headless",
                f"--users={args.users}",
                f"--spawn-rate={args.users}",
                f"--run-time={args.warmup + args.duration}s",
                f"--host={base}",
                "--only-summary",
                "--loglevel=WARNING",
                "--skip-log-setup",
            ],
            env={
                **env,
                "BENCH_PLAN": str(plan_file),
                "BENCH_WARMUP": str(args.warmup),
                "BENCH_WAIT": args.wait,
                "BENCH_RESULTS": str(results_file),
            },
            cwd=ROOT,
            check=False,
            stdout=subprocess.DEVNULL,
        )
        cpu_report = cpu.report()
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    if not results_file.exists():
        print(f"locust wrote no results; see {work}")
        return 1
    failed = report(json.loads(results_file.read_text()), args.max_p95)
    print(cpu_report)
    if not args.keep and not failed:
        for path in (plan_file, results_file):
            path.unlink()
    else:
        print(f"plan, results and gunicorn log in {work}")
    return 1 if failed else 0


def build_plan(users: int, municipality_count: int) -> dict[str, Any]:
    """One signed-in session per simulated user, each with the URLs that user would open."""
    from django.db.models import Count
    from django.test import Client

    from weerbaar.accounts.models import User
    from weerbaar.accounts.roles import Role
    from weerbaar.cases.models import Case, CasePartner
    from weerbaar.cases.workflow import Phase
    from weerbaar.core.testing import login
    from weerbaar.organisations.models import Municipality

    busiest = list(
        Municipality.objects.annotate(n=Count("cases")).order_by("-n", "code")[:municipality_count]
    )
    workers: list[tuple[User, dict[str, Any]]] = []
    for municipality in busiest:
        for role in (Role.REGISSEUR, Role.ANALIST):
            user, _ = User.objects.get_or_create(
                username=f"bench-{role}-{municipality.code.lower()}",
                defaults={"role": role, "municipality": municipality, "is_demo": True},
            )
            workers.append((user, worker_requests(user, municipality)))
    # A partner user of the organisation on the most cases of these municipalities.
    org_id = (
        CasePartner.objects.filter(case__municipality__in=busiest, removed_at=None)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organisation_id", flat=True)
        .first()
    )
    partner = None
    if org_id is not None:
        partner, _ = User.objects.get_or_create(
            username="bench-partner",
            defaults={"role": Role.PARTNER, "partner_organisation_id": org_id, "is_demo": True},
        )
        if partner.partner_organisation_id != org_id:
            partner.partner_organisation_id = org_id
            partner.save(update_fields=["partner_organisation"])
    sessions = []
    for i in range(users):
        if partner is not None and i % 8 == 7:  # one in eight simulated users is a partner
            ids = list(Case.objects.for_user(partner).values_list("pk", flat=True)[:300])
            requests = [
                ["case list: partner", "/casussen/", 30],
                ["case list: partner, phase", f"/casussen/?phase={Phase.CLOSED}", 10],
                *[["case page: partner", f"/casussen/{pk}/", 60 / len(ids)] for pk in ids],
            ]
            user = partner
        else:
            user, requests = workers[i % len(workers)]
        client = login(Client(), user)
        sessions.append(
            {"user": user.username, "cookie": f"sessionid={client.cookies['sessionid'].value}"}
            | {"requests": requests}
        )
    print(
        f"plan: {len(sessions)} sessions; accounts "
        + ", ".join(sorted({s["user"] for s in sessions}))
        + f"; {Case.objects.filter(municipality__in=busiest).count():,} cases in "
        + ", ".join(f"{m.name} ({m.n})" for m in busiest)  # type: ignore[attr-defined]
    )
    return {"sessions": sessions}


def worker_requests(user: Any, municipality: Any) -> list[list[Any]]:
    """The case list with typical filters (half of the views) and case pages (the other)."""
    from django.db.models import Count

    from weerbaar.accounts.models import User
    from weerbaar.cases.models import Case, CasePartner
    from weerbaar.cases.workflow import Phase

    own = Case.objects.filter(municipality=municipality)
    leads = list(
        User.objects.filter(led_cases__municipality=municipality)
        .annotate(n=Count("led_cases"))
        .order_by("-n")
        .values_list("pk", flat=True)[:2]
    )
    phenomena = list(
        Case.phenomena.through.objects.filter(case__municipality=municipality)
        .values("phenomenon_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("phenomenon_id", flat=True)[:3]
    )
    partners = list(
        CasePartner.objects.filter(case__municipality=municipality, removed_at=None)
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("organisation_id", flat=True)[:2]
    )
    reference = own.order_by("-created_at").values_list("reference", flat=True).first() or ""
    number = reference.rsplit("-", 1)[-1]
    filters = [
        ("open (default)", "", 8),
        ("page 2", "page=2", 5),
        *[("phase", f"phase={p}", 1.5) for p in Phase.values],
        *[("lead", f"lead={pk}", 3) for pk in leads],
        *[("lead + phase", f"lead={pk}&phase={Phase.ANALYSIS}", 2) for pk in leads],
        *[("phenomenon", f"phenomenon={pk}", 5 / 3) for pk in phenomena],
        *[("partner", f"partner={pk}", 2) for pk in partners],
        ("search", "q=garage", 2),
        ("search", f"q={number}", 2),
        ("late tasks", "late_tasks=true", 4),
        ("late tasks + lead", f"late_tasks=true&lead={leads[0]}" if leads else "", 1),
        ("riec", "riec=true", 1),
    ]
    requests: list[list[Any]] = [
        [f"case list: {name}", f"/casussen/?{query}" if query else "/casussen/", weight]
        for name, query, weight in filters
    ]
    visible = Case.objects.for_user(user)
    ids = list(visible.order_by("?").values_list("pk", flat=True)[:300])
    requests += [["case page", f"/casussen/{pk}/", 50 / len(ids)] for pk in ids]
    return requests


class CpuMeter:
    """CPU used during the load run: by the machine, gunicorn, PostgreSQL, and the rest (the
    load tool and whatever else runs on the machine, e.g. other people's tests)."""

    def __init__(self, server_pid: int) -> None:
        import psutil

        self.psutil = psutil
        self.server = psutil.Process(server_pid)
        self.start = time.monotonic()
        self.machine = psutil.cpu_times()
        self.ours = self._ours()

    def _ours(self) -> dict[int, tuple[str, float]]:
        """CPU seconds per process id (processes that end in between are not counted)."""
        used = {}
        for proc in [self.server, *self.server.children(recursive=True)]:
            used[proc.pid] = ("gunicorn", self._seconds(proc))
        for proc in self.psutil.process_iter(["username"]):
            if proc.info["username"] == "postgres":
                used[proc.pid] = ("postgres", self._seconds(proc))
        return used

    def _seconds(self, proc: Any) -> float:
        try:
            t = proc.cpu_times()
        except self.psutil.Error:
            return 0.0
        return float(t.user + t.system)

    def report(self) -> str:
        wall = time.monotonic() - self.start
        now = self.psutil.cpu_times()
        busy = sum(now) - now.idle - getattr(now, "iowait", 0)
        busy -= sum(self.machine) - self.machine.idle - getattr(self.machine, "iowait", 0)
        ours = self._ours()
        cores = self.psutil.cpu_count() or 1
        parts = {"gunicorn": 0.0, "postgres": 0.0}
        for pid, (kind, seconds) in ours.items():
            parts[kind] += seconds - self.ours.get(pid, (kind, 0.0))[1]
        parts["rest (locust, other processes)"] = max(0.0, busy - sum(parts.values()))
        share = ", ".join(f"{k} {v / wall:.2f}" for k, v in parts.items())
        return (
            f"cpu during the run: machine {busy / wall:.2f} of {cores} cores busy; "
            f"cores used by {share}; load average {os.getloadavg()[0]:.1f}"
        )


def wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit("gunicorn stopped; see its log")
        try:
            urllib.request.urlopen(f"{base}/inloggen/", timeout=2)  # noqa: S310 - loopback
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit("gunicorn did not come up")


def smoke_test(base: str, plan: dict[str, Any]) -> None:
    """Every kind of request once per session: 200, no redirect to the sign-in page."""
    seen = set()
    for session in plan["sessions"]:
        for name, path, _weight in session["requests"]:
            if (session["user"], name) in seen:
                continue
            seen.add((session["user"], name))
            request = urllib.request.Request(  # noqa: S310 - loopback http
                base + path, headers={"Cookie": session["cookie"]}
            )
            opener = urllib.request.build_opener(_NoRedirect)
            try:
                status = opener.open(request, timeout=30).status
            except urllib.error.HTTPError as exc:
                status = exc.code
            if status != 200:
                raise SystemExit(f"smoke test: {session['user']} {path} -> HTTP {status}")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def report(results: dict[str, Any], max_p95: float) -> bool:
    endpoints = results["endpoints"]
    groups: dict[str, list[float]] = {LIST: [], DETAIL: [], "overall": []}
    errors: Counter[str] = Counter()
    print(f"\n{'endpoint':<34} {'requests':>8} {'errors':>6} {'p50':>7} {'p95':>7} {'p99':>7}")
    for name in sorted(endpoints):
        row = endpoints[name]
        times = row["times"]
        group = LIST if name.startswith(LIST) else DETAIL
        groups[group] += times
        groups["overall"] += times
        errors[group] += row["errors"]
        errors["overall"] += row["errors"]
        line(name, times, row["errors"])
        if row["errors"]:
            print(f"{'':<34} status codes: {row['codes']}")
    print()
    for name, times in groups.items():
        line(name, times, errors[name])
    seconds = results["seconds"] or 1
    print(f"\nthroughput: {len(groups['overall']) / seconds:.1f} requests/s over {seconds:.0f} s")
    slow = [
        name
        for name in (LIST, DETAIL)
        if max_p95 and groups[name] and percentile(groups[name], 95) > max_p95
    ]
    if slow:
        print(f"p95 above {max_p95:.0f} ms: {', '.join(slow)}")
    return bool(errors["overall"] or slow or not groups["overall"])


def line(name: str, times: list[float], errors: int) -> None:
    if not times:
        print(f"{name:<34} {0:>8} {errors:>6}")
        return
    p50, p95, p99 = (percentile(times, p) for p in (50, 95, 99))
    print(f"{name:<34} {len(times):>8} {errors:>6} {p50:>7.0f} {p95:>7.0f} {p99:>7.0f}")


if __name__ == "__main__":
    raise SystemExit(main())
