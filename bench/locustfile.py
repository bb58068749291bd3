"""Locust users for bench/run.py, which logs the personas in and passes their sessions in the
JSON file named by BENCH_PERSONAS.

Production settings mark cookies Secure and the benchmark speaks plain HTTP, so a client's
cookie jar would never send them back: each request carries its persona's session in an
explicit Cookie header instead. Authenticated pages must answer 200 without a redirect (a
redirect to the login page is a failure, not a fast page).

Realistic load: `Student` and `Staff` users, waiting 1-5 s between actions. Saturation: the
`Saturation` user, with no wait, on the one page named by BENCH_PAGE.
"""

import json
import os
import random
from pathlib import Path
from urllib.parse import urlencode

from locust import FastHttpUser, between, constant, task

PERSONAS = json.loads(Path(os.environ["BENCH_PERSONAS"]).read_text())


def headers(persona: dict, **extra: str) -> dict[str, str]:
    cookie = f"sessionid={persona['session']}; csrftoken={persona['csrf']}"
    return {"Cookie": cookie, "Accept-Language": "en", **extra}


def fetch(user: FastHttpUser, name: str, path: str, persona: dict | None) -> None:
    with user.client.get(
        path,
        name=name,
        headers=headers(persona) if persona else {},
        allow_redirects=False,
        catch_response=True,
    ) as response:
        if response.status_code != 200:
            response.failure(f"status {response.status_code}")


def with_query(path: str, params: dict) -> str:
    return f"{path}?{urlencode(params)}" if params else path


def catalogue(user, student):
    fetch(
        user, "catalogue", with_query("/catalogue/", random.choice(PERSONAS["catalogue"])), student
    )


def student_dashboard(user, student):
    fetch(user, "student dashboard", "/dashboard/", student)


def plan_live_check(user, student):
    """What htmx posts while the student edits an activity: the form, its CSRF token, and the
    activity being edited for half of them. The answer must be a check, not the list of the
    form's errors."""
    form = {**random.choice(PERSONAS["activity_forms"]), "csrfmiddlewaretoken": student["csrf"]}
    if student["activity_ids"] and random.random() < 0.5:
        form["activity_id"] = str(random.choice(student["activity_ids"]))
    with user.client.post(
        "/plan/check/",
        data=form,
        name="plan live check",
        headers=headers(student, **{"HX-Request": "true"}),
        allow_redirects=False,
        catch_response=True,
    ) as response:
        checked = b"data-live-clean" in response.content or b"data-rule" in response.content
        if response.status_code != 200 or not checked:
            response.failure(f"status {response.status_code}, checked: {checked}")


def dri_queue(user, staff):
    fetch(
        user,
        "DRI queue",
        with_query("/staff/applications/", random.choice(PERSONAS["queue"])),
        staff,
    )


def dossier(user, staff):
    fetch(user, "dossier", f"/staff/applications/{random.choice(PERSONAS['dossiers'])}/", staff)


def dossier_reopened(user, staff):
    """The same dossier again and again for each user (one of a dozen): what an officer
    reopening a dossier gets, where `dossier` is mostly first views."""
    if not hasattr(user, "reopened"):
        user.reopened = random.choice(PERSONAS["dossiers"][:12])
    fetch(user, "dossier, reopened", f"/staff/applications/{user.reopened}/", staff)


def staff_dashboard(user, staff):
    fetch(user, "staff dashboard", "/staff/dashboard/", staff)


def baseline(user, _persona):
    fetch(user, "baseline (healthz)", "/staff/operations/healthz", None)


# Page name on the command line -> (request, whose session it needs).
PAGES = {
    "catalogue": (catalogue, "students"),
    "student_dashboard": (student_dashboard, "students"),
    "plan_live_check": (plan_live_check, "students"),
    "dri_queue": (dri_queue, "staff"),
    "dossier": (dossier, "staff"),
    "dossier_reopened": (dossier_reopened, "staff_reopening"),
    "staff_dashboard": (staff_dashboard, "staff"),
    "baseline": (baseline, "staff"),
}


class Student(FastHttpUser):
    weight = 4
    wait_time = between(1, 5)

    def on_start(self):
        self.persona = random.choice(PERSONAS["students"])

    @task(3)
    def browse_catalogue(self):
        catalogue(self, self.persona)

    @task(3)
    def open_dashboard(self):
        student_dashboard(self, self.persona)

    @task(2)
    def edit_plan(self):
        plan_live_check(self, self.persona)


class Staff(FastHttpUser):
    weight = 1
    wait_time = between(1, 5)

    def on_start(self):
        self.persona = random.choice(PERSONAS["staff"])

    @task(3)
    def filter_queue(self):
        dri_queue(self, self.persona)

    @task(3)
    def open_dossier(self):
        dossier(self, self.persona)

    @task(1)
    def open_dashboard(self):
        staff_dashboard(self, self.persona)


class Saturation(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        self.request, whose = PAGES[os.environ["BENCH_PAGE"]]
        self.persona = random.choice(PERSONAS[whose])

    @task
    def hit(self):
        self.request(self, self.persona)
