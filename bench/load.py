"""Drive the locust users against a running portal and print the figures.

Started by bench/run.py, which fills the database and serves the portal first.
Three phases, each bounded in time:

1. `--users` logged-in people, one second of think time, `--duration` seconds,
   over the dashboard, vendors, checklist, timeline and activity pages: p50, p95,
   p99 and errors per page. With `--restart-db`, PostgreSQL is restarted a third
   of the way in, and the errors are sorted into "during the outage" and "after".
2. Dashboard with no think time: requests per second at saturation.
3. /healthz with no think time: requests per second at saturation.
"""

from locust.env import Environment  # noqa: I001 - locust patches the stdlib first

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import gevent
import psycopg
import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))
import locustfile  # noqa: E402

LOGIN_WAIT_SECONDS = 300
# (time, page, error) of every failed request of the current phase.
failures = []
# After PostgreSQL answers again, the first request of each worker finds its old
# connection dead and opens a new one; nothing should fail after this margin.
RECOVERY_GRACE_SECONDS = 2.0


def main():
    options = parse_options()
    pages, skipped = probe_pages(options.host, locustfile.PAGES)
    for path, status in skipped.items():
        print(f"Skipped {path}: it answered {status} (page not built yet).")

    locustfile.PortalUser.pages = pages
    report = {"users": options.users, "duration": options.duration}
    # The machine may be shared; its load says how far to trust the figures.
    report["load_average_before"] = os.getloadavg()
    report["skipped"] = skipped
    report["steady"], restart = steady_load(options)
    if restart:
        report["restart"] = restart
    report["saturation"] = {
        "/": saturate(locustfile.DashboardHammer, "/", options),
        "/healthz": saturate(locustfile.HealthHammer, "/healthz", options),
    }
    report["load_average_after"] = os.getloadavg()
    print_report(report)
    if options.json:
        Path(options.json).write_text(json.dumps(report, indent=2))


def parse_options():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--saturation-users", type=int, default=10)
    parser.add_argument("--saturation-seconds", type=int, default=15)
    parser.add_argument("--restart-db", metavar="PG_VERSION")
    parser.add_argument("--json")
    return parser.parse_args()


def probe_pages(host, paths):
    """Log in once and keep the pages that exist; a 404 is a page not built yet."""
    session = requests.Session()
    form = session.get(f"{host}/accounts/login/", timeout=30)
    token = locustfile.CSRF_FIELD.search(form.text).group(1)
    session.post(
        f"{host}/accounts/login/",
        data={
            "username": "bench-probe",
            "password": locustfile.PASSWORD,
            "csrfmiddlewaretoken": token,
        },
        allow_redirects=False,
        timeout=30,
    ).raise_for_status()
    pages, skipped = [], {}
    for path in paths:
        status = session.get(f"{host}{path}", allow_redirects=False, timeout=60)
        if status.status_code == 404:
            skipped[path] = 404
        elif status.status_code != 200:
            raise SystemExit(f"{path} answered {status.status_code} before the run")
        else:
            pages.append(path)
    return pages, skipped


def wait_until_idle(host):
    """Let the server finish what the last phase queued, so phases don't overlap."""
    deadline = time.time() + 180
    quick = 0
    while quick < 3 and time.time() < deadline:
        began = time.time()
        requests.get(f"{host}/healthz", timeout=180)
        quick = quick + 1 if time.time() - began < 0.05 else 0
        gevent.sleep(0.2)


def start(user_class, count, options):
    """Spawn `count` users and wait until all of them are logged in."""
    wait_until_idle(options.host)
    locustfile.logged_in.clear()
    locustfile.may_start.clear()
    environment = Environment(user_classes=[user_class], host=options.host)
    environment.events.request.add_listener(record_failure)
    runner = environment.create_local_runner()
    runner.start(count, spawn_rate=min(count, 5))
    needs_login = issubclass(user_class, locustfile.LoggedInUser)
    deadline = time.time() + LOGIN_WAIT_SECONDS
    while needs_login and len(locustfile.logged_in) < count:
        if time.time() > deadline:
            raise SystemExit(f"Only {len(locustfile.logged_in)} users logged in.")
        gevent.sleep(0.5)
    while runner.user_count < count:
        gevent.sleep(0.1)
    logins = environment.stats.get("login", "POST")
    login_figures = figures(logins) if logins.num_requests else None
    environment.stats.reset_all()
    locustfile.sent.clear()
    locustfile.may_start.set()
    return environment, runner, login_figures


def record_failure(name="", exception=None, **_):
    if exception is not None:
        failures.append((time.time(), name, str(exception)[:120]))


def steady_load(options):
    environment, runner, logins = start(locustfile.PortalUser, options.users, options)
    print(f"{options.users} users logged in; measuring for {options.duration} s.")
    failures.clear()
    began = time.time()
    restarter = None
    if options.restart_db:
        restarter = gevent.spawn_later(options.duration / 3, restart_database, options)
    gevent.sleep(options.duration)
    ended = time.time()
    pages = {
        path: figures(environment.stats.get(path, "GET"))
        for path in locustfile.PortalUser.pages
    }
    for path, row in pages.items():
        row["unanswered"] = locustfile.sent[path] - row["requests"]
    runner.quit()

    result = {"logins": logins, "pages": pages, "seconds": round(ended - began, 1)}
    restart = None
    if restarter is not None:
        restart = restarter.get(timeout=120)
        restart.update(classify(failures, restart, began))
        restart.update(compare(restart.pop("before"), snapshot(options)))
    return result, restart


def saturate(user_class, path, options):
    environment, runner, _ = start(user_class, options.saturation_users, options)
    began = time.time()
    gevent.sleep(options.saturation_seconds)
    entry = environment.stats.get(path, "GET")
    elapsed = time.time() - began
    runner.quit()
    return {
        "users": options.saturation_users,
        "requests_per_second": round(entry.num_requests / elapsed, 1),
        **figures(entry),
    }


def figures(entry):
    return {
        "requests": entry.num_requests,
        "errors": entry.num_failures,
        "p50": entry.get_response_time_percentile(0.50),
        "p95": entry.get_response_time_percentile(0.95),
        "p99": entry.get_response_time_percentile(0.99),
    }


def restart_database(options):
    """Restart PostgreSQL and wait until it answers; when it was down."""
    before = snapshot(options)
    down = time.time()
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            options.restart_db,
            "main",
            "restart",
        ],
        check=True,
        timeout=120,
    )
    while subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"],
        check=False,
        timeout=10,
    ).returncode:
        gevent.sleep(0.2)
    up = time.time()
    print(f"PostgreSQL restarted: down for {up - down:.1f} s.")
    return {"down_at": down, "up_at": up, "before": before}


def snapshot(options):
    """What the portal had written: every session and the history row count."""
    with psycopg.connect(options.database_url, connect_timeout=10) as connection:
        rows = connection.execute("SELECT session_key FROM django_session")
        sessions = {key for (key,) in rows}
        (history,) = connection.execute(
            "SELECT count(*) FROM compliance_historicalchecklistitem"
        ).fetchone()
    return {"sessions": sessions, "history": history}


def classify(failures, restart, began):
    window_end = restart["up_at"] + RECOVERY_GRACE_SECONDS
    during = [f for f in failures if restart["down_at"] <= f[0] <= window_end]
    outside = [f for f in failures if not restart["down_at"] <= f[0] <= window_end]
    return {
        "outage_seconds": round(restart["up_at"] - restart["down_at"], 1),
        "outage_starts_at_second": round(restart["down_at"] - began, 1),
        "errors_during_outage": len(during),
        "errors_outside_outage": len(outside),
        "last_error_after_recovery_seconds": round(
            max((f[0] for f in failures), default=restart["up_at"]) - restart["up_at"],
            1,
        ),
        "error_examples": sorted({f[2] for f in failures})[:3],
        "down_at": round(restart["down_at"], 1),
        "up_at": round(restart["up_at"], 1),
    }


def compare(before, after):
    return {
        "sessions_before": len(before["sessions"]),
        "sessions_lost": len(before["sessions"] - after["sessions"]),
        "history_rows_before": before["history"],
        "history_rows_after": after["history"],
    }


def print_report(report):
    steady = report["steady"]
    print()
    print(
        f"{report['users']} users, 1 s think time, {steady['seconds']} s (times in ms)"
    )
    print(
        f"{'page':<14}{'answered':>9}{'errors':>8}{'p50':>7}{'p95':>7}{'p99':>7}"
        f"{'unanswered at the end':>23}"
    )
    for path, row in steady["pages"].items():
        print(
            f"{path:<14}{row['requests']:>9}{row['errors']:>8}"
            f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}"
            f"{row['unanswered']:>23}"
        )
    for path in report["skipped"]:
        print(f"{path:<14}  skipped: answers 404, the page does not exist yet")
    if steady["logins"]:
        row = steady["logins"]
        print(
            f"{'(login)':<14}{row['requests']:>9}{row['errors']:>8}"
            f"{row['p50']:>7.0f}{row['p95']:>7.0f}{row['p99']:>7.0f}"
        )
    print()
    print(
        "Machine load average (1, 5, 15 min) before: "
        f"{', '.join(f'{n:.1f}' for n in report['load_average_before'])}; "
        f"after: {', '.join(f'{n:.1f}' for n in report['load_average_after'])}"
    )
    print()
    print("At saturation (no think time):")
    dashboard = report["saturation"]["/"]
    health = report["saturation"]["/healthz"]
    for path, row in report["saturation"].items():
        print(
            f"  {path:<10} {row['requests_per_second']:>8.1f} requests/s "
            f"with {row['users']} users, p95 {row['p95']:.0f} ms, "
            f"{row['errors']} errors"
        )
    if health["requests_per_second"]:
        ratio = dashboard["requests_per_second"] / health["requests_per_second"]
        print(f"  dashboard / healthz = {ratio:.2f}")
    restart = report.get("restart")
    if restart:
        print()
        print(
            f"PostgreSQL restart at second {restart['outage_starts_at_second']}: "
            f"down {restart['outage_seconds']} s; "
            f"{restart['errors_during_outage']} errors during the outage "
            f"(+{RECOVERY_GRACE_SECONDS:.0f} s), "
            f"{restart['errors_outside_outage']} outside it; last error "
            f"{relative(restart['last_error_after_recovery_seconds'])} PostgreSQL "
            "answered again."
        )
        print(
            f"Written before the restart: {restart['sessions_before']} sessions, "
            f"{restart['sessions_lost']} lost; checklist history rows "
            f"{restart['history_rows_before']} before, "
            f"{restart['history_rows_after']} after."
        )
        for example in restart["error_examples"]:
            print(f"  error seen: {example}")


def relative(seconds):
    return f"{seconds} s after" if seconds >= 0 else f"{-seconds} s before"


if __name__ == "__main__":
    main()
