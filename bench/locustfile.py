"""Locust users for the portal's load benchmark; bench/load.py drives them.

Usable alone too: `locust -f bench/locustfile.py --host http://127.0.0.1:8111`
against a database filled by bench/fill.py.
"""

import collections
import itertools
import random
import re

from gevent.event import Event
from locust import FastHttpUser, constant, task

PASSWORD = "bench password, not a secret"
PAGES = ["/", "/vendors/", "/checklist/", "/timeline/", "/activity/"]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Each simulated person logs in as a bench user of their own.
usernames = (f"bench-user-{n:03d}" for n in itertools.cycle(range(100)))
logged_in = []
# bench/load.py clears this to hold everyone back until all have logged in, so
# that the logins are not starved by the first users' page views.
may_start = Event()
may_start.set()
# Page views sent, answered or not: locust's statistics only count answers.
sent = collections.Counter()


class LoggedInUser(FastHttpUser):
    abstract = True
    # A hundred people logging in at once queue behind the password hashing.
    network_timeout = 120.0
    connection_timeout = 120.0

    def on_start(self):
        username = next(usernames)
        for _attempt in range(3):
            if self.log_in(username):
                logged_in.append(username)
                break
        may_start.wait()

    def log_in(self, username):
        form = self.client.get("/accounts/login/", name="login form")
        token = CSRF_FIELD.search(form.text or "")
        if token is None:
            return False
        with self.client.post(
            "/accounts/login/",
            data={
                "username": username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1),
            },
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"login answered {response.status_code}")
                return False
        return True

    def visit(self, path):
        # Redirects are not followed: a redirect to the login page means the
        # session was lost, and counts as an error.
        sent[path] += 1
        with self.client.get(
            path, name=path, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{path} answered {response.status_code}")


class PortalUser(LoggedInUser):
    """A person reading the portal: one page, a second of reading, the next."""

    wait_time = constant(1)
    pages = PAGES

    @task
    def read_a_page(self):
        self.visit(random.choice(self.pages))


class DashboardHammer(LoggedInUser):
    """No think time: how many dashboards per second the server can render."""

    wait_time = constant(0)

    @task
    def dashboard(self):
        self.visit("/")


class HealthHammer(FastHttpUser):
    """No think time, no login: the cheapest request the portal answers."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.visit_healthz()

    def visit_healthz(self):
        with self.client.get(
            "/healthz", name="/healthz", catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"/healthz answered {response.status_code}")
