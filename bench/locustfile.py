"""The users of the load run (bench/load.py): a PLIE's staff at work on the demo data.

Twenty users, by role as in a PLIE's day: thirteen référents (one per demo account) open
their « À suivre » lists, their participants, a participant's page, and record contacts;
four of the coordination team (coordinatrice, chargé de projet) open the key figures, the
dashboard, the lists of the whole PLIE, the caseloads and the exits; two assistants open
data quality and the participant list; one steering viewer reads the figures. Each logs
in through the real login page (`log_in`, the one place to change if the login changes),
then waits one to five seconds between pages. Every request is named by its page, so that
the table gives one line per page whatever the record.

Run by bench/load.py, which starts `plie serve` and reads the results; by hand:
    uv run --group bench locust -f bench/locustfile.py --host http://127.0.0.1:8765
"""

from __future__ import annotations

import datetime
import html
import itertools
import json
import os
import random
import re

from locust import HttpUser, between, events, task

DEMO_PASSWORD = "Demo-Plie-2026!"  # plie.demo.generator.DEMO_PASSWORD, published in the README
THINK = between(1, 5)

PARTICIPANT_LINK = re.compile(r'href="/participants/(\d+)/"')
CONTACT_FORM_LINK = re.compile(r'href="(/participants/\d+/parcours/\d+/contacts/nouveau/)"')
HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
MODE_OPTION = re.compile(r'<option value="([a-z_]+)"')
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S)


def log_in(user: HttpUser, username: str) -> None:
    """The login page, as a person uses it: read the form's hidden fields, post the account."""
    page = user.client.get("/comptes/connexion/", name="Connexion (formulaire)")
    fields = dict(HIDDEN_INPUT.findall(page.text))
    fields.update({"username": username, "password": DEMO_PASSWORD, "next": "/"})
    with user.client.post(
        "/comptes/connexion/", data=fields, name="Connexion (envoi)", catch_response=True
    ) as response:
        if response.url.rstrip("/").endswith("/comptes/connexion"):
            response.failure(f"connexion refusée pour {username}")


def _participants(user: HttpUser, query: str, name: str) -> list[str]:
    page = user.client.get(f"/participants/{query}", name=name)
    return list(dict.fromkeys(PARTICIPANT_LINK.findall(page.text)))


RUN: dict = {}


@events.init.add_listener
def keep_environment(environment, **_) -> None:
    RUN["environment"] = environment


@events.quit.add_listener
def write_results(**_) -> None:
    """The final figures of each page, once every user has stopped, for bench/load.py
    (Locust's own CSV files are written on a timer and may miss the last seconds)."""
    path = os.environ.get("PLIE_LOAD_RESULTS")
    if not path:
        return
    stats = RUN["environment"].stats
    entries = [*sorted(stats.entries.values(), key=lambda e: (e.name, e.method)), stats.total]
    pages = [
        {
            "page": "Ensemble" if entry is stats.total else entry.name,
            "method": entry.method or "",
            "requests": entry.num_requests,
            "failures": entry.num_failures,
            "median_ms": entry.median_response_time,
            "p95_ms": entry.get_response_time_percentile(0.95),
            "max_ms": round(entry.max_response_time),
            "per_second": round(entry.total_rps, 2),
        }
        for entry in entries
        if entry.num_requests or entry.num_failures
    ]
    errors = [
        {"method": e.method, "page": e.name, "error": str(e.error), "count": e.occurrences}
        for e in stats.errors.values()
    ]
    with open(path, "w", encoding="utf-8") as file:
        json.dump({"pages": pages, "errors": errors}, file, ensure_ascii=False, indent=2)


class StaffUser(HttpUser):
    abstract = True
    wait_time = THINK
    accounts: itertools.cycle

    def on_start(self) -> None:
        self.username = next(self.accounts)
        log_in(self, self.username)
        self.participants = _participants(self, "", "Participants (liste)")

    def open_participant(self) -> str | None:
        if not self.participants:
            return None
        pk = random.choice(self.participants)
        return self.client.get(f"/participants/{pk}/", name="Participant (page)").text


class Referent(StaffUser):
    fixed_count = 13
    accounts = itertools.cycle([f"referent{number}" for number in range(1, 14)])

    def on_start(self) -> None:
        super().on_start()
        self.active = _participants(self, "?status=active", "Participants (en parcours)")

    @task(4)
    def worklists(self) -> None:
        self.client.get("/a-suivre/", name="À suivre (référent)")

    @task(2)
    def participant_list(self) -> None:
        self.client.get("/participants/", name="Participants (liste)")

    @task(6)
    def participant_page(self) -> None:
        self.open_participant()

    @task(3)
    def record_contact(self) -> None:
        """Open a participant in pathway, « Noter un contact », fill it in, save."""
        if not self.active:
            return
        pk = random.choice(self.active)
        page = self.client.get(f"/participants/{pk}/", name="Participant (page)").text
        link = CONTACT_FORM_LINK.search(page)
        if link is None:
            return
        url = html.unescape(link.group(1))
        form_page = self.client.get(url, name="Contact (formulaire)").text
        body = next((form for form in FORM.findall(form_page) if 'name="contacted_on"' in form), "")
        fields = dict(HIDDEN_INPUT.findall(body))
        modes = MODE_OPTION.findall(body)
        fields.update(
            {
                "contacted_on": datetime.date.today().isoformat(),
                "mode": random.choice(modes) if modes else "",
                "duration_minutes": str(random.choice([15, 30, 45, 60])),
                "summary": "Point sur les démarches (essai de charge).",
                "next_appointment": "",
            }
        )
        with self.client.post(
            url, data=fields, name="Contact (enregistrement)", catch_response=True
        ) as response:
            if response.url.endswith("/contacts/nouveau/"):  # the form again: refused
                response.failure("contact refusé : le formulaire est revenu avec des erreurs")


class Coordination(StaffUser):
    fixed_count = 4
    accounts = itertools.cycle(["coordinatrice", "charge.projet"])

    @task(3)
    def key_figures(self) -> None:
        self.client.get("/chiffres-cles/", name="Chiffres clés")

    @task(3)
    def dashboard(self) -> None:
        self.client.get("/chiffres-cles/tableau-de-bord/", name="Tableau de bord")

    @task(2)
    def worklists(self) -> None:
        self.client.get("/a-suivre/", name="À suivre (tout le PLIE)")

    @task(1)
    def caseloads(self) -> None:
        self.client.get("/files-actives/", name="Files actives")

    @task(1)
    def exits(self) -> None:
        self.client.get("/sorties/", name="Sorties")

    @task(1)
    def committees(self) -> None:
        self.client.get("/commissions/", name="Commissions")

    @task(2)
    def participant_page(self) -> None:
        self.open_participant()


class Assistant(StaffUser):
    fixed_count = 2
    accounts = itertools.cycle(["assistante"])

    @task(3)
    def data_quality(self) -> None:
        self.client.get("/chiffres-cles/qualite/", name="Qualité des données")

    @task(2)
    def participant_list(self) -> None:
        self.client.get("/participants/", name="Participants (liste)")

    @task(2)
    def participant_page(self) -> None:
        self.open_participant()


class SteeringViewer(StaffUser):
    fixed_count = 1
    accounts = itertools.cycle(["copil"])

    def on_start(self) -> None:
        self.username = next(self.accounts)
        log_in(self, self.username)
        self.participants = []  # aggregated figures only

    @task(2)
    def key_figures(self) -> None:
        self.client.get("/chiffres-cles/", name="Chiffres clés")

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/chiffres-cles/tableau-de-bord/", name="Tableau de bord")

    @task(1)
    def quarterly_review(self) -> None:
        self.client.get("/chiffres-cles/point-trimestriel/", name="Point d'étape trimestriel")
