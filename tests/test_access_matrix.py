"""The access matrix: every route of the URL map × every role × own / other organisations' objects.

``TABLE`` holds one row per endpoint: who may use it, on which objects. A route without a row
fails ``test_every_route_has_a_row``, so a new route forces a decision about who may use it.

Roles are the demo logins plus ``outsider``, a user of an unrelated union in another city (洛阳),
made by the test. Objects for URL parameters are the demo records, looked up by query and
labelled by what they are (``neg:consultation``, ``scenario:union``, ``item:delivery`` …).

What the answers mean:
- GET, allowed → 200 (or 302 where the row says the route redirects);
- GET or POST, denied → 404 where the object's existence is not revealed (an object outside the
  user's organisations) and 403 where the user sees the object or page but may not do this
  (the row's ``deny`` lists which of the two it may be);
- anonymous → 302 to /login, except the public routes (/login, /healthz, /lang);
- POST, denied → nothing is written: the row counts of every table (the audit log is one) are
  unchanged. POST, allowed → not refused (neither 403 nor 404), with an empty form; what a
  filled form does is covered by the feature tests.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.auth.models import Organisation, User
from app.db import Base
from app.jobs import service as jobs
from app.jobs.models import Job
from app.models import import_models
from app.ledger.models import LedgerEvidence, LedgerItem, RiskScreening
from app.agreements import clauses
from app.negotiations.models import Meeting, Negotiation, Offer, ProcedureStep, Representative
from app.scenarios.models import SavedScenario, ScenarioSnapshot
from app.surveys.models import Survey, SurveyResponse
from tests.conftest import CSRF_RE, DEMO_NOW
from tests.negotiations.helpers import TITLES, make_outsider

ROLES = ("anonymous", "union", "platform", "mediator", "admin", "outsider")
USERS = ROLES[1:]
PUBLIC = {"auth.login", "auth.set_language", "main.healthz", "static",
          # a rider answers a survey (and withdraws the answer) without an account
          "survey_public.answer", "survey_public.thanks", "survey_public.withdraw",
          # the minimum wages in force are public law: anyone may read them and their sources
          "registry.index", "registry.download_csv", "registry.download_xlsx",
          # a calendar program fetches the feed with the secret in its address, no cookie
          "calendar.feed"}
NEG = {key: f"neg:{key}" for key in TITLES}
ALL_NEG = set(NEG.values())
PDF = b"%PDF-1.4\n% evidence\n"


@dataclass(frozen=True)
class Row:
    """Who may use an endpoint: ``allow`` maps a role to True (every object) or object labels."""

    allow: dict = field(default_factory=dict)
    deny: tuple = (403, 404)
    ok: tuple = (200,)          # the allowed GET answers
    covered: str = ""           # POSTs not run here (they end the session …): the feature test
    # Objects sent as query or form values instead of URL parts: (object group, values → payload)
    payload: tuple | None = None


EVERYONE = {u: True for u in USERS}
NOBODY: dict = {}
SITE_ADMIN = {"admin": True}
MEDIATOR = {"mediator": True, "admin": True}
# Union and mediator are in all four demo negotiations; the delivery platform in three.
PARTIES = {"union": ALL_NEG, "platform": ALL_NEG - {NEG["in_force"]},
           "mediator": ALL_NEG, "admin": ALL_NEG}
AGREEMENTS = {"neg:consultation", "neg:in_force"}  # the demo negotiations with an agreement
PARTY_AGREEMENTS = {r: (AGREEMENTS & labels) for r, labels in PARTIES.items()}
OWN_SCENARIO = {"union": {"scenario:union#1", "scenario:union#2"},
                "platform": {"scenario:delivery#1"}}
# A job of the union's and one of the delivery platform's (tests/web/test_analysis_jobs.py runs
# them); the mediating office and the admin share neither organisation.
OWN_JOB = {"union": {"job:union"}, "platform": {"job:delivery"}}
SNAPSHOT = {"union": {"snapshot:consultation"}, "platform": {"snapshot:consultation"},
            "mediator": {"snapshot:consultation"}, "admin": {"snapshot:consultation"}}

# Items of the delivery platform: one from its screening, one from the agreement (neg 1), which
# the union that signed it also follows.
PLATFORM_ITEMS = {"item:delivery#1", "item:delivery#2"}

# Surveys: unions and mediating offices create them; only the owner (the riders' union for the
# demo survey) sees anything of one; no site-admin exception (the riders' data are the union's).
SURVEY_CREATORS = {"union": True, "mediator": True, "admin": True, "outsider": True}
OWN_SURVEY = {"union": {"survey:union"}}
OWN_RESPONSE = {"union": {"response:union"}}

TABLE: dict[str, Row] = {
    # -- main, auth ----------------------------------------------------------------------------
    "main.index": Row(EVERYONE, ok=(302,)),
    "main.dashboard": Row(EVERYONE),
    "main.healthz": Row(EVERYONE),
    "auth.login": Row(EVERYONE, ok=(302,)),  # a signed-in user is sent on to the dashboard
    "auth.logout": Row(EVERYONE, covered="tests/web/test_auth.py (logout ends the session)"),
    "auth.set_language": Row(EVERYONE),
    # -- admin: site admins everywhere; organisation admins their own organisation's users ------
    "admin.index": Row(EVERYONE, ok=(302,)),
    "admin.audit_log": Row(SITE_ADMIN, deny=(403,)),
    "admin.organisations": Row(SITE_ADMIN, deny=(403,)),
    "admin.organisation_form": Row(SITE_ADMIN, deny=(403,)),
    "admin.users": Row(EVERYONE),  # filtered to the user's organisation: test_lists_show_...
    "admin.user_form": Row({"admin": True, "union": {"-", "user:union"}, "platform": {"-"},
                            "mediator": {"-"}, "outsider": {"-", "user:outsider"}},
                           deny=(403,)),
    # -- analyses and standards: tools on the user's own input, nothing stored but adopt -------
    "analyses.index": Row(EVERYONE),
    "analyses.adopt": Row(EVERYONE),
    "analyses.behaviour_page": Row(EVERYONE),
    "analyses.calibrate_page": Row(EVERYONE),
    "analyses.frontier_page": Row(EVERYONE),
    "analyses.sensitivity_page": Row(EVERYONE),
    "analyses.solve": Row(EVERYONE),
    "standards.index": Row(EVERYONE),
    # -- standards registry: everyone reads (anonymous too, see PUBLIC); site admins add -------
    "registry.index": Row(EVERYONE),
    "registry.download_csv": Row(EVERYONE),
    "registry.download_xlsx": Row(EVERYONE),
    "registry.new": Row(SITE_ADMIN, deny=(403,)),
    "registry.upload": Row(SITE_ADMIN, deny=(403,)),
    # -- negotiations: parties see (others get 404); actions by side and role ------------------
    # With an empty form the procedure actions answer 400 to every party (validation first);
    # which side and role may take each one: test_negotiation_access.py::test_actions_by_role.
    "negotiations.index": Row(EVERYONE),
    "negotiations.new": Row(EVERYONE),
    "negotiations.show": Row(PARTIES, deny=(404,)),
    "negotiations.offer_chart": Row(PARTIES, deny=(404,)),
    "negotiations.filing": Row(PARTIES, deny=(404,)),
    "negotiations.meeting": Row(PARTIES, deny=(404,)),
    "negotiations.note": Row(PARTIES, deny=(404,)),
    "negotiations.objection": Row(PARTIES, deny=(404,)),
    "negotiations.variant": Row(PARTIES, deny=(404,)),  # 409 once an offer was sent
    "negotiations.representative": Row(PARTIES, deny=(404,)),
    "negotiations.step": Row(PARTIES, deny=(404,)),
    "negotiations.correct": Row(PARTIES, deny=(404,)),
    "negotiations.correct_form": Row(PARTIES, deny=(404,)),
    # A "Next steps" form, fetched when opened: only where it is offered now (the matrix asks
    # for the step "suspend", which only the negotiation in consultation offers), else 404.
    "negotiations.action_form": Row({r: {NEG["consultation"]} & PARTIES[r] for r in PARTIES},
                                    deny=(404,)),
    "negotiations.vote": Row(PARTIES, deny=(404,)),
    "negotiations.withdraw_draft": Row(PARTIES, deny=(404,)),
    # Offers and replies come from the sides, never from the mediating office (403).
    "negotiations.offer": Row({r: PARTIES[r] for r in ("union", "platform")}),
    "negotiations.reply": Row({r: PARTIES[r] for r in ("union", "platform")}),
    # A platform does not vacate seats (the worker side's and the office's decision).
    "negotiations.vacate": Row({r: PARTIES[r] for r in ("union", "mediator", "admin")}),
    # -- agreements: parties read, the office drafts, the sides approve ------------------------
    "agreements.index": Row(EVERYONE),
    "agreements.verify": Row(EVERYONE),
    "agreements.show": Row(PARTIES, deny=(404,)),
    "agreements.pdf": Row(PARTY_AGREEMENTS, deny=(404,)),
    "agreements.redline": Row(PARTY_AGREEMENTS, deny=(404,)),
    "agreements.article": Row(PARTY_AGREEMENTS, deny=(404,), ok=(302,)),  # page, without htmx
    "agreements.add_comment": Row(PARTY_AGREEMENTS, deny=(404,)),
    "agreements.document": Row(PARTIES, deny=(404,)),
    "agreements.docx": Row(PARTY_AGREEMENTS, deny=(404,)),
    "agreements.document_docx": Row(PARTIES, deny=(404,)),
    "agreements.create": Row(MEDIATOR_ALL := {"mediator": ALL_NEG, "admin": ALL_NEG}),
    # 409 where there is no draft to edit (no agreement yet, or signed).
    "agreements.edit_article": Row(MEDIATOR_ALL, ok=(200, 409)),
    "agreements.save_article": Row({"mediator": AGREEMENTS, "admin": AGREEMENTS}),
    "agreements.save_standard": Row({"mediator": AGREEMENTS, "admin": AGREEMENTS}),
    "meeting_outcomes.apply": Row({"mediator": AGREEMENTS, "admin": AGREEMENTS}),
    "agreements.freeze": Row({"mediator": AGREEMENTS, "admin": AGREEMENTS}),
    "agreements.sign": Row({"mediator": AGREEMENTS, "admin": AGREEMENTS}),
    "agreements.approve": Row({r: PARTY_AGREEMENTS[r] for r in ("union", "platform")}),
    # -- scenarios: private to their organisation (404); snapshots for the parties -------------
    "scenarios.index": Row(EVERYONE),
    "scenarios.new": Row(EVERYONE),
    "scenarios.workbench": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.export_scenario": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.copy": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.delete": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.offer_draft": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.run": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.save": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.move_standard": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.share": Row(OWN_SCENARIO, deny=(404,)),
    "scenarios.compare": Row({"union": {"compare:union+union"}}, deny=(302, 404),
                             payload=("compare", None)),
    "scenarios.from_negotiation": Row(PARTIES, payload=("negotiation_id", None)),
    "scenarios.snapshot": Row(SNAPSHOT),
    "scenarios.export_snapshot": Row(SNAPSHOT),
    "scenarios.copy_snapshot": Row(SNAPSHOT),
    # -- ledger: the office sees its city; enterprises their own items; unions agreement items --
    "ledger.index": Row(EVERYONE),
    "ledger.screenings_index": Row(EVERYONE),
    "ledger.screening_preview": Row(EVERYONE),  # scores the typed indicators, reads nothing
    "ledger.item": Row({**MEDIATOR, "platform": PLATFORM_ITEMS, "union": {"item:delivery#2"}},
                       deny=(404,)),
    "ledger.step": Row({**MEDIATOR, "platform": PLATFORM_ITEMS}),
    "ledger.add_evidence": Row({**MEDIATOR, "platform": PLATFORM_ITEMS}),
    "ledger.edit_item": Row(MEDIATOR),
    "ledger.evidence_file": Row(MEDIATOR, deny=(404,)),
    "ledger.new_item": Row(MEDIATOR, deny=(403,)),
    "ledger.import_screenings": Row(MEDIATOR, deny=(403,)),
    "ledger.new_screening": Row(MEDIATOR, deny=(403,)),
    "ledger.screening": Row({**MEDIATOR, "platform": {"screening:delivery#1"}}, deny=(404,)),
    "ledger.open_items": Row(MEDIATOR),
    "ledger.layoffs": Row({**MEDIATOR, "platform": True}, deny=(403,)),
    "ledger.new_layoff": Row({**MEDIATOR, "platform": True}, deny=(403,)),
    # -- regional report: mediating offices only ----------------------------------------------
    "reports.region_report": Row(MEDIATOR, deny=(403,)),
    "reports.region_csv": Row(MEDIATOR, deny=(403,)),
    "reports.region_pdf": Row(MEDIATOR, deny=(403,)),
    "reports.region_pdf_link": Row(MEDIATOR, deny=(403,), ok=(302,)),
    # -- surveys: the owner alone (others 404); the platform side may not create one (403) ----
    "surveys.index": Row(SURVEY_CREATORS, deny=(403,)),
    "surveys.new": Row(SURVEY_CREATORS, deny=(403,)),
    "surveys.show": Row(OWN_SURVEY, deny=(404,)),
    "surveys.qr": Row(OWN_SURVEY, deny=(404,)),
    "surveys.close": Row(OWN_SURVEY, deny=(404,)),
    "surveys.responses": Row(OWN_SURVEY, deny=(404,)),
    "surveys.flag": Row(OWN_RESPONSE, deny=(404,)),
    "surveys.export_responses": Row(OWN_SURVEY, deny=(404,)),
    "surveys.export_summary": Row(OWN_SURVEY, deny=(404,)),
    "surveys.calibrate": Row(OWN_SURVEY, deny=(404,)),
    "surveys.adopt": Row(OWN_SURVEY, deny=(404,)),
    # -- the riders' side: public (anonymous too: tests/web/test_survey_public.py) -------------
    "survey_public.answer": Row(EVERYONE),
    "survey_public.thanks": Row(EVERYONE),
    "survey_public.withdraw": Row(EVERYONE),
    # -- the user's own settings and deadlines as calendar files --------------------------------
    "account.settings_page": Row(EVERYONE),
    "account.calendar": Row(EVERYONE),  # an empty form is a 400 with its message
    "account.notifications": Row(EVERYONE),  # the user's own choices only
    "account.dismiss_guide": Row(EVERYONE, ok=(302,)),  # the user's own guide only
    # The feed opens by its secret alone: a secret nobody holds is a 404 for everyone
    # (tests/notifications/test_calendar.py opens real ones).
    "calendar.feed": Row(NOBODY, deny=(404,)),
    # The first reply deadline: every demo negotiation but the one still preparing has one.
    "calendar.negotiation_deadline": Row({r: PARTIES[r] - {NEG["preparing"]} for r in PARTIES},
                                         deny=(404,)),
    "calendar.ledger_item": Row({**MEDIATOR, "platform": PLATFORM_ITEMS,
                                 "union": {"item:delivery#2"}}, deny=(404,)),
    # -- XLSX downloads: the same access as the pages they come from ----------------------------
    "exports.compare_xlsx": Row({"union": {"compare:union+union"}}, deny=(404,),
                                payload=("compare", None)),
    "exports.offers_xlsx": Row(PARTIES, deny=(404,)),
    "exports.ledger_xlsx": Row(EVERYONE),  # the items the user sees (test_xlsx_exports.py)
    "reports.region_xlsx": Row(MEDIATOR, deny=(403,)),
    "glossary.index": Row(EVERYONE),
    # -- analyses run as background jobs: the submitting organisation alone sees them ----------
    "analysis_jobs.index": Row(EVERYONE),  # the organisation's own jobs only
    "analysis_jobs.submit_frontier": Row(EVERYONE),
    "analysis_jobs.submit_sensitivity": Row(EVERYONE),
    "analysis_jobs.submit_calibrate": Row(EVERYONE),  # an empty form is a 400 with its message
    "analysis_jobs.show": Row(OWN_JOB, deny=(404,)),
    "analysis_jobs.result": Row(OWN_JOB, deny=(404,), ok=(302,)),  # queued: to its page
    "analysis_jobs.cancel": Row({"union": {"job:union"}, "platform": {"job:delivery"}},
                                deny=(404,)),
    # The demo jobs made no file: a 404 for everyone; the owner's download of a real file and
    # another organisation's 404: tests/web/test_jobs_files.py.
    "analysis_jobs.download": Row(NOBODY, deny=(404,)),
    # Long work started from its own page (issue 19), with the access of that page.
    "job_submit.scenario": Row(OWN_SCENARIO, deny=(404,)),
    "job_submit.negotiation_zip": Row(PARTIES, deny=(404,)),  # as the agreement page
    # -- case library: every signed-in user reads it; the two sides of a signed agreement
    # consent (409 for a draft: only signed ones); a publication nobody holds is a 404 for
    # everyone (tests/web/test_case_library.py publishes and opens real ones).
    "library.index": Row(EVERYONE),
    "library.show": Row(NOBODY, deny=(404,)),
    "library.start_draft": Row(NOBODY, deny=(404,)),
    "library.consent": Row({"union": AGREEMENTS, "platform": PARTY_AGREEMENTS["platform"]}),
}


def _counts(app) -> dict:
    import_models()
    with app.extensions["xieshang.sessions"]() as s:
        return {t.name: s.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables}


class World:
    """The app, one logged-in client per role, and the labelled demo objects."""

    def __init__(self, app, roles=ROLES):
        self.app = app
        with app.extensions["xieshang.sessions"]() as s:
            make_outsider(s)
            # The demo's evidence is a note without a file; add one with a file to a partner's item.
            item = s.scalars(select(LedgerItem).join(Organisation, Organisation.id ==
                                                     LedgerItem.enterprise_id)
                             .where(Organisation.name.contains("众达"))).first()
            s.add(LedgerEvidence(item_id=item.id, note="n", filename="proof.pdf",
                                 content_type="application/pdf", size=len(PDF), data=PDF,
                                 added_at=DEMO_NOW))
            for username in ("union", "platform"):
                submitter = s.scalar(select(User).where(User.username == username))
                jobs.submit(s, submitter, kind="sensitivity", now=DEMO_NOW, parameters={
                    "scenario": {}, "arguments": {"measure": "p25_net_per_working_hour"},
                    "form": {}, "source": "preset:delivery"})
            s.commit()
            self.objects = self._objects(s)
        self.clients, self.tokens = {}, {}
        for role in roles:
            self.login(role)

    def login(self, role: str) -> None:
        """A client of its own for ``role``, signed in, with its CSRF token."""
        client = self.app.test_client()
        token = CSRF_RE.search(client.get("/login").get_data(as_text=True)).group(1)
        if role != "anonymous":
            answer = client.post("/login", data={
                "username": role, "password": "xieshang-demo", "csrf_token": token})
            assert answer.status_code == 302, role
            token = CSRF_RE.search(client.get("/dashboard").get_data(as_text=True)).group(1)
        self.clients[role], self.tokens[role] = client, token

    @staticmethod
    def _objects(s) -> dict:
        org_key = {o.id: o for o in s.scalars(select(Organisation))}

        def org_label(org_id):
            name = org_key[org_id].name
            for part, label in (("速达", "delivery"), ("众达", "delivery_partner"),
                                ("畅行", "ride"), ("安途", "ride_partner"), ("货运通", "freight"),
                                ("顺程", "freight_partner"), ("新就业", "union"),
                                ("三方", "mediator"), ("outsider", "outsider")):
                if part in name:
                    return label
            return f"org{org_id}"

        negs = {key: s.scalar(select(Negotiation).where(Negotiation.title == title))
                for key, title in TITLES.items()}
        out: dict = {"negotiation_id": [], "offer": [], "rep": [], "step": [], "meeting": [],
                     "meeting_apply": []}
        for key, n in negs.items():
            label = NEG[key]
            out["negotiation_id"].append((label, {"negotiation_id": n.id}))
            offer = s.scalars(select(Offer).where(Offer.negotiation_id == n.id)
                              .order_by(Offer.id.desc())).first()
            if offer:
                out["offer"].append((label, {"negotiation_id": n.id, "offer_id": offer.id}))
            rep = s.scalars(select(Representative).where(Representative.negotiation_id == n.id)
                            .order_by(Representative.id)).first()
            if rep:
                out["rep"].append((label, {"negotiation_id": n.id, "rep_id": rep.id}))
            step = s.scalars(select(ProcedureStep).where(ProcedureStep.negotiation_id == n.id)
                             .order_by(ProcedureStep.id.desc())).first()
            if step:
                out["step"].append((label, {"negotiation_id": n.id, "step_id": step.id}))
            meeting = s.scalars(select(Meeting).where(Meeting.negotiation_id == n.id)).first()
            if meeting:
                out["meeting"].append((label, {"negotiation_id": n.id, "kind": "minutes",
                                               "record_id": meeting.id}))
                out["meeting_apply"].append((label, {"negotiation_id": n.id,
                                                     "meeting_id": meeting.id}))
        seen: dict = {}

        def numbered(prefix, owner):
            seen[(prefix, owner)] = seen.get((prefix, owner), 0) + 1
            return f"{prefix}:{owner}#{seen[(prefix, owner)]}"
        out["scenario_id"] = [(numbered("scenario", org_label(r.organisation_id)),
                               {"scenario_id": r.id})
                              for r in s.scalars(select(SavedScenario).order_by(SavedScenario.id))]
        by_neg = {n.id: key for key, n in negs.items()}
        out["snapshot_id"] = [(f"snapshot:{by_neg[r.negotiation_id]}", {"snapshot_id": r.id})
                              for r in s.scalars(select(ScenarioSnapshot))]
        out["item_id"] = [(numbered("item", org_label(r.enterprise_id)), {"item_id": r.id})
                          for r in s.scalars(select(LedgerItem).order_by(LedgerItem.id))]
        out["evidence_id"] = [(f"evidence:{org_label(r.item.enterprise_id)}",
                               {"evidence_id": r.id}) for r in s.scalars(select(LedgerEvidence))
                              if r.data]
        out["screening_id"] = [(numbered("screening", org_label(r.enterprise_id)),
                                {"screening_id": r.id})
                               for r in s.scalars(select(RiskScreening).order_by(RiskScreening.id))]
        survey = s.scalars(select(Survey).order_by(Survey.id)).first()
        out["survey_id"] = [(f"survey:{org_label(survey.organisation_id)}",
                             {"survey_id": survey.id})]
        out["token"] = [(f"survey:{org_label(survey.organisation_id)}", {"token": survey.token})]
        response = s.scalars(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id)
                             .order_by(SurveyResponse.id)).first()
        out["response_id"] = [(f"response:{org_label(survey.organisation_id)}",
                               {"response_id": response.id})]
        union = s.scalar(select(User).where(User.username == "union"))
        outsider = s.scalar(select(User).where(User.username == "outsider"))
        scen = {label: values["scenario_id"] for label, values in out["scenario_id"]}
        out["compare"] = [
            ("compare:union+union", {"ids": [scen["scenario:union#1"], scen["scenario:union#2"]]}),
            ("compare:union+delivery", {"ids": [scen["scenario:union#1"],
                                                scen["scenario:delivery#1"]]})]
        out["org_id"] = [("org:union", {"org_id": union.organisation_id}),
                         ("org:outsider", {"org_id": outsider.organisation_id})]
        out["feed_token"] = [("feed:nobody's", {"feed_token": "A" * 43})]
        out["publication_id"] = [("publication:nobody's", {"publication_id": 2**31 - 1})]
        out["user_id"] = [("user:union", {"user_id": union.id}),
                          ("user:outsider", {"user_id": outsider.id})]
        out["job_id"] = [(f"job:{org_label(r.organisation_id)}", {"job_id": r.id})
                         for r in s.scalars(select(Job).order_by(Job.id))]
        return out

    def cases(self, rule) -> list[tuple[str, dict, dict]]:
        """``(label, URL values, query or form values)`` for every object ``rule`` applies to."""
        row = TABLE.get(rule.endpoint)
        if row is not None and row.payload:
            return [(label, {}, values) for label, values in self.objects[row.payload[0]]]
        return [(label, values, {}) for label, values in self._url_cases(rule)]

    def _url_cases(self, rule) -> list[tuple[str, dict]]:
        args = set(rule.arguments)
        if not args:
            return [("-", {})]
        for group, extra in (("offer", "offer_id"), ("rep", "rep_id"), ("step", "step_id"),
                             ("meeting", "record_id"), ("meeting_apply", "meeting_id")):
            if extra in args:
                return self.objects[group]
        fixed = {"fmt": "csv", "action": "start", "event": "suspend", "ref": "reply-1",
                 "key": (clauses.STANDARDS[0].key if rule.endpoint.endswith("save_standard")
                         else clauses.ARTICLE_KEYS[0])}
        main = [a for a in args if a not in fixed]
        assert len(main) == 1, rule
        return [(label, {**values, **{a: fixed[a] for a in args if a in fixed}})
                for label, values in self.objects[main[0]]]


def _allowed(row: Row, role: str, label: str) -> bool:
    rule = row.allow.get(role, False)
    return rule is True or (rule is not False and label in rule)


def _rules(app):
    return sorted((r for r in app.url_map.iter_rules() if r.endpoint != "static"),
                  key=lambda r: (r.endpoint.endswith("delete"), r.rule))


def test_every_route_has_a_row(sqlite_url, app_factory):
    app = app_factory(sqlite_url)
    missing = sorted({r.endpoint for r in app.url_map.iter_rules()} - set(TABLE) - {"static"})
    assert not missing, f"routes without a row in the access table: {missing}"
    assert not set(TABLE) - {r.endpoint for r in app.url_map.iter_rules()}, "stale rows"


def test_anonymous_is_sent_to_login(sqlite_url, app_factory):
    world = World(app_factory(sqlite_url))
    client, wrong = world.clients["anonymous"], []
    before = _counts(world.app)
    for rule in _rules(world.app):
        if rule.endpoint in PUBLIC:
            continue
        for label, values, payload in world.cases(rule):
            url = _url(world.app, rule, values)
            for method in sorted(rule.methods & {"GET", "POST"}):
                answer = (client.get(url, query_string=payload) if method == "GET" else
                          client.post(url, data={**payload,
                                                 "csrf_token": world.tokens["anonymous"]}))
                if answer.status_code != 302 or "/login" not in answer.headers["Location"]:
                    wrong.append((method, url, answer.status_code))
    assert not wrong
    assert _counts(world.app) == before


def _url(app, rule, values) -> str:
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **values)


def test_get_matrix(sqlite_url, app_factory):
    world = World(app_factory(sqlite_url))
    wrong = []
    for rule in _rules(world.app):
        if "GET" not in rule.methods or rule.endpoint not in TABLE:
            continue
        row = TABLE[rule.endpoint]
        for (label, values, payload), role in itertools.product(world.cases(rule), USERS):
            url = _url(world.app, rule, values)
            status = world.clients[role].get(url, query_string=payload).status_code
            expected = row.ok if _allowed(row, role, label) else row.deny
            if status not in expected:
                wrong.append((rule.endpoint, role, label, status, expected))
    assert not wrong, "\n".join(map(str, wrong))


def test_post_matrix(sqlite_url, app_factory):
    world = World(app_factory(sqlite_url))
    wrong = []
    for rule in _rules(world.app):
        if "POST" not in rule.methods or rule.endpoint not in TABLE:
            continue
        row = TABLE[rule.endpoint]
        if row.covered:
            continue
        for label, values, payload in world.cases(rule):
            url = _url(world.app, rule, values)
            # Refusals first: an allowed POST may change what the next user sees.
            for role in sorted(USERS, key=lambda r: _allowed(row, r, label)):
                before = _counts(world.app) if not _allowed(row, role, label) else None
                status = world.clients[role].post(
                    url, data={**payload, "csrf_token": world.tokens[role]}).status_code
                if before is not None:
                    if status not in row.deny:
                        wrong.append((rule.endpoint, role, label, status, row.deny))
                    elif _counts(world.app) != before:
                        wrong.append((rule.endpoint, role, label, "wrote something"))
                elif status in (403, 404) or status >= 500:
                    wrong.append((rule.endpoint, role, label, status, "allowed"))
    assert not wrong, "\n".join(map(str, wrong))


def test_lists_show_only_what_the_detail_pages_allow(sqlite_url, app_factory):
    """The index pages (200 for everyone) link no object whose own page the user may not open."""
    world = World(app_factory(sqlite_url))
    details = {"negotiation_id": ("negotiations.show", "/negotiations/{negotiation_id}\""),
               "scenario_id": ("scenarios.workbench", "/scenarios/{scenario_id}\""),
               "item_id": ("ledger.item", "/ledger/items/{item_id}\""),
               "screening_id": ("ledger.screening", "/ledger/screenings/{screening_id}\""),
               "user_id": ("admin.user_form", "/admin/users/{user_id}\""),
               "survey_id": ("surveys.show", "/surveys/{survey_id}\"")}
    lists = ("/negotiations/", "/scenarios/", "/ledger/", "/ledger/screenings", "/agreements/",
             "/admin/users", "/dashboard", "/surveys/")
    wrong, seen = [], set()
    for role in USERS:
        pages = "".join(world.clients[role].get(url).get_data(as_text=True) for url in lists)
        for group, (endpoint, link) in details.items():
            for label, values in world.objects[group]:
                shown = link.format(**values) in pages
                if shown:
                    seen.add(group)
                if shown and not _allowed(TABLE[endpoint], role, label):
                    wrong.append((role, label))
    assert not wrong
    assert seen >= {"negotiation_id", "scenario_id", "item_id", "screening_id"}, seen
