"""The access matrix: every URL pattern of the portal, for every persona, by GET and (where
the view takes it) by POST, against a declared table of outcomes, with real object ids.

The table is checked against the URL resolver, so a new page cannot escape: a pattern the
resolver knows and the table does not, or a table entry no pattern answers, fails.

POSTs carry an empty or minimal body: the access layer must answer (403, 404, login) before
anything is processed, so a refused request writes nothing to the database; for the people
allowed in, the answer is a form error, a refusal or a redirect, never a crash. Each request
runs in a savepoint rolled back after it, so a POST that does change something leaves the
world as the next request expects it.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.db import connection, reset_queries, transaction
from django.db.backends.base.creation import TEST_DATABASE_PREFIX
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.models import User
from apps.applications.models import ApplicationState, CoursePlanStatus
from apps.notifications.models import DeliveryStatus
from tests.security.access_world import (
    ADMIN,
    ADVISOR,
    ANONYMOUS,
    DRI,
    OTHER_ADVISOR,
    OTHER_STUDENT,
    OWNER,
    PERSONAS,
    World,
    build_world,
)

OK = "ok"  # 200/204, a redirect elsewhere than a login page, a file; for POST also 400/409
LOGIN = "login"  # a redirect to the portal's login page
ADMIN_LOGIN = "admin login"  # a redirect to the Django admin's login page
FORBIDDEN = "403"
NOT_FOUND = "404"
NOT_ALLOWED = "405"

GET = "GET"
POST = "POST"
WRITES = frozenset({"INSERT", "UPDATE", "DELETE", "REPLACE"})

Expect = dict[str, str]
Kwargs = Callable[[World], dict]


def expect(default: str, **outcomes: str) -> Expect:
    """One outcome per persona: `default`, except those named."""
    unknown = set(outcomes) - set(PERSONAS)
    assert not unknown, f"not personas: {unknown}"
    return {persona: outcomes.get(persona, default) for persona in PERSONAS}


def post_only(allowed: Expect) -> Expect:
    """A GET on a POST-only view: whoever gets past the role check is told 405, before any
    object is looked up."""
    return {
        persona: NOT_ALLOWED if outcome in (OK, NOT_FOUND) else outcome
        for persona, outcome in allowed.items()
    }


PUBLIC = expect(OK)
SIGNED_IN = expect(OK, anonymous=LOGIN)
STUDENTS = expect(FORBIDDEN, anonymous=LOGIN, owner=OK, other_student=OK)
# The owning student's plan objects: nobody else even finds them, and staff have no plan.
OWN_OBJECT = expect(FORBIDDEN, anonymous=LOGIN, owner=OK, other_student=NOT_FOUND)
# A dossier is read by its student, their advisor and staff; anyone else learns nothing.
DOSSIER_READERS = expect(OK, anonymous=LOGIN, other_student=NOT_FOUND, other_advisor=NOT_FOUND)
ADVISORS = expect(FORBIDDEN, anonymous=LOGIN, advisor=OK, other_advisor=OK)
ADVISEE_OBJECT = expect(FORBIDDEN, anonymous=LOGIN, advisor=OK, other_advisor=NOT_FOUND)
STAFF = expect(FORBIDDEN, anonymous=LOGIN, dri=OK, dfi=OK, admin=OK)
VALIDATORS = STAFF  # the DFI and the DRI validate summer stays; an admin may act for either
REVIEWERS = expect(FORBIDDEN, anonymous=LOGIN, dri=OK, admin=OK)
RECIPIENT = expect(NOT_FOUND, anonymous=LOGIN, owner=OK)
# A large queue export is the officer's who asked for it (the world's DRI officer) alone.
EXPORT_REQUESTER = expect(FORBIDDEN, anonymous=LOGIN, dri=OK, dfi=NOT_FOUND, admin=NOT_FOUND)
# Erasure requests are handled by administrators only (Capability.HANDLE_ERASURE_REQUESTS).
ERASURE_HANDLERS = expect(FORBIDDEN, anonymous=LOGIN, admin=OK)


def no_kwargs(world: World) -> dict:
    return {}


@dataclass(frozen=True)
class Route:
    """How to reach one URL pattern and what each persona gets. `post` is None when the view
    answers GET only (or a POST exactly like a GET)."""

    get: Expect
    post: Expect | None = None
    kwargs: Kwargs = no_kwargs
    query: str = ""
    data: Callable[[World], dict] = no_kwargs  # the minimal POST body
    path: Callable[[World], str] | None = None  # for patterns without a name

    def url(self, name: str, world: World) -> str:
        if self.path is not None:
            return self.path(world)
        return reverse(name.split("[")[0], kwargs=self.kwargs(world)) + self.query

    def expected(self, method: str) -> Expect | None:
        return self.get if method == GET else self.post


def both(allowed: Expect, **route) -> Route:
    """A view that shows on GET and acts on POST, for the same people."""
    return Route(get=allowed, post=allowed, **route)


def post_route(allowed: Expect, **route) -> Route:
    return Route(get=post_only(allowed), post=allowed, **route)


def pk(attribute: str) -> Kwargs:
    return lambda world: {"pk": getattr(world, attribute).pk}


def password_reset_link(world: World) -> dict:
    student = User.objects.get(pk=world.student.pk)  # its token hashes the last login
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(student.pk)),
        "token": default_token_generator.make_token(student),
    }


def on_call(world: World) -> dict:
    return {"call_pk": world.call.pk}


def nominations_of_partner(world: World) -> dict:
    """The call a list was sent to the world's partner for (access_world)."""
    return {"call_pk": world.abroad.call_id, "partner_pk": world.partner.pk}


def learning_agreement(world: World) -> dict:
    return {"pk": world.abroad.pk, "activity_pk": world.abroad_activity.pk}


def first_line(world: World) -> dict:
    """The advisor decides on one line at a time; a POST without a line is not a request."""
    return {"line": world.pending_course_plan.lines.first().pk}


PORTAL_ROUTES: dict[str, Route] = {
    # accounts
    "home": Route(get=SIGNED_IN),
    "login": both(PUBLIC),
    # Anyone may log out: once the session has ended it simply leaves the reader signed out.
    "logout": post_route(PUBLIC),
    "password_change": both(SIGNED_IN),
    "password_change_done": Route(get=SIGNED_IN),
    "password_reset": both(PUBLIC),
    "password_reset_done": Route(get=PUBLIC),
    "password_reset_confirm": both(PUBLIC, kwargs=password_reset_link),
    "password_reset_complete": Route(get=PUBLIC),
    "set_language": both(PUBLIC, data=lambda world: {"language": "en", "next": "/"}),
    # catalogue
    "programmes:catalogue": Route(get=PUBLIC),
    "programmes:partner_detail": Route(get=PUBLIC, kwargs=pk("partner")),
    "programmes:programmes": Route(get=PUBLIC),
    # the student's pages
    "applications:dashboard": Route(get=STUDENTS),
    "applications:privacy_export": both(STUDENTS),
    # The owner's dossiers are under way: the request is refused on its page (409), not asked.
    "applications:erasure_request": both(STUDENTS),
    "applications:erasure_cancel": post_route(OWN_OBJECT, kwargs=pk("erasure_request")),
    "applications:plan": Route(get=STUDENTS),
    "applications:plan_facts": post_route(STUDENTS),
    "applications:plan_live_check": post_route(STUDENTS),
    "applications:plan_timeline": Route(get=STUDENTS),
    "applications:activity_add": both(STUDENTS),
    "applications:activity_edit": both(OWN_OBJECT, kwargs=pk("exchange")),
    "applications:activity_delete": both(OWN_OBJECT, kwargs=pk("exchange")),
    "applications:course_plan_edit": both(OWN_OBJECT, kwargs=pk("exchange")),
    "applications:course_plan_ask_again": post_route(OWN_OBJECT, kwargs=pk("exchange")),
    "applications:course_plan_history": Route(get=OWN_OBJECT, kwargs=pk("exchange")),
    "applications:course_plan_version": Route(
        get=OWN_OBJECT, kwargs=lambda world: {"pk": world.exchange.pk, "version": 1}
    ),
    "applications:application_list": Route(get=STUDENTS),
    "applications:application_start": post_route(STUDENTS, kwargs=on_call),
    "applications:application_detail": Route(get=DOSSIER_READERS, kwargs=pk("submitted")),
    "applications:application_edit": both(OWN_OBJECT, kwargs=pk("draft")),
    "applications:document_upload": post_route(OWN_OBJECT, kwargs=pk("draft")),
    # The owner's CV of the submitted application, copied into their draft.
    "applications:document_reuse": post_route(
        OWN_OBJECT, kwargs=pk("draft"), data=lambda world: {"document": world.document.pk}
    ),
    # Everything the draft's documents step offers from the owner's other applications.
    "applications:document_reuse_all": post_route(OWN_OBJECT, kwargs=pk("draft")),
    "applications:application_submit": post_route(OWN_OBJECT, kwargs=pk("draft")),
    "applications:application_withdraw": both(OWN_OBJECT, kwargs=pk("submitted")),
    "applications:document_download": Route(get=DOSSIER_READERS, kwargs=pk("document")),
    # The document of a submitted application: its student is told it no longer changes.
    "applications:document_delete": both(OWN_OBJECT, kwargs=pk("document")),
    # advisors, returns and validations
    "reviews:advisor_queue": Route(get=ADVISORS),
    "reviews:advisor_course_plan": both(
        ADVISEE_OBJECT, kwargs=pk("pending_course_plan"), data=first_line
    ),
    "reviews:return_recognition": both(ADVISEE_OBJECT, kwargs=pk("approved_course_plan")),
    # What the advisor may see of one student: only their own advisee's page.
    "reviews:advisee": Route(get=ADVISEE_OBJECT, kwargs=lambda world: {"pk": world.student.pk}),
    "reviews:return_page": both(OWN_OBJECT, kwargs=pk("abroad")),
    "reviews:return_transcript": post_route(OWN_OBJECT, kwargs=pk("abroad")),
    "reviews:validation_queue": Route(get=VALIDATORS),
    "reviews:validation_detail": both(VALIDATORS, kwargs=pk("summer")),
    "reviews:validation_request": both(OWN_OBJECT, kwargs=pk("summer")),
    # the DRI's queue, dossier and decisions; the DFI reads
    "reviews:queue": Route(get=STAFF),
    "reviews:queue_export": Route(get=STAFF),
    "reviews:queue_export_xlsx": Route(get=STAFF),
    "reviews:queue_export_status": Route(get=EXPORT_REQUESTER, kwargs=pk("queue_export")),
    "reviews:queue_export_download": Route(get=EXPORT_REQUESTER, kwargs=pk("queue_export")),
    "reviews:dossier": Route(get=STAFF, kwargs=pk("submitted")),
    "reviews:dossier_take": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_request_changes": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_nominate": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_refuse": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_withdraw": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_reinstate": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_host_decision": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_departed": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_returned": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_undo": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:dossier_score": post_route(REVIEWERS, kwargs=pk("submitted")),
    # Several departures or returns at once: the confirmation (GET) and the recording (POST),
    # the DRI's alone, as the dossier's own buttons.
    "reviews:stays_departed": both(
        REVIEWERS,
        query="?application=1&application=x",
        data=lambda world: {"application": world.submitted.pk},
    ),
    "reviews:stays_returned": both(REVIEWERS),
    # Their results, kept in the officer's own session: a key it does not keep says so (404);
    # the page is read only, its POST refused.
    "reviews:stays_departed_results": Route(
        get=expect(FORBIDDEN, anonymous=LOGIN, dri=NOT_FOUND, admin=NOT_FOUND),
        post=expect(FORBIDDEN, anonymous=LOGIN, dri=NOT_ALLOWED, admin=NOT_ALLOWED),
        kwargs=lambda world: {"key": "no-such-results"},
    ),
    "reviews:stays_returned_results": Route(
        get=expect(FORBIDDEN, anonymous=LOGIN, dri=NOT_FOUND, admin=NOT_FOUND),
        post=expect(FORBIDDEN, anonymous=LOGIN, dri=NOT_ALLOWED, admin=NOT_ALLOWED),
        kwargs=lambda world: {"key": "no-such-results"},
    ),
    # Internal comments: the DFI reads them (read-only outside its validations).
    "reviews:dossier_comment": post_route(REVIEWERS, kwargs=pk("submitted")),
    "reviews:reporting": Route(get=STAFF),
    # operations: the re-check of every plan, and the health endpoint load balancers poll
    "reviews:operations": Route(get=REVIEWERS),
    "reviews:operations_recheck": post_route(REVIEWERS),
    "reviews:operations_send_again": post_route(REVIEWERS),
    "reviews:operations_progress": Route(get=REVIEWERS),
    # regulation versions: every staff member reads them, the DRI publishes one
    "reviews:regulations": Route(get=STAFF),
    "reviews:regulation_publish": both(REVIEWERS),
    "reviews:healthz": Route(get=PUBLIC),
    # seat allocation
    "reviews:allocation_index": Route(get=REVIEWERS),
    "reviews:allocation_detail": Route(get=REVIEWERS, kwargs=on_call),
    "reviews:allocation_scores_import": post_route(REVIEWERS, kwargs=on_call),
    "reviews:allocation_review": post_route(REVIEWERS, kwargs=on_call),
    "reviews:allocation_confirm": post_route(REVIEWERS, kwargs=on_call),
    # nominations to partners (the lists sent to each partner's incoming office)
    "reviews:nominations_index": Route(get=REVIEWERS),
    "reviews:nominations_partner": Route(get=REVIEWERS, kwargs=nominations_of_partner),
    "reviews:nominations_send": post_route(REVIEWERS, kwargs=nominations_of_partner),
    "reviews:nominations_csv": Route(get=REVIEWERS, kwargs=nominations_of_partner),
    # learning agreement exports
    "reviews:learning_agreement_pdf": Route(get=DOSSIER_READERS, kwargs=learning_agreement),
    "reviews:learning_agreement_version_pdf": Route(
        get=DOSSIER_READERS, kwargs=lambda world: {**learning_agreement(world), "version": 1}
    ),
    "reviews:learning_agreement_ewp": Route(get=DOSSIER_READERS, kwargs=learning_agreement),
    "reviews:learning_agreement_ewp_json": Route(get=DOSSIER_READERS, kwargs=learning_agreement),
    # erasure requests (GDPR), for the administrators
    "reviews:erasure_requests": Route(get=ERASURE_HANDLERS),
    "reviews:erasure_request": Route(get=ERASURE_HANDLERS, kwargs=pk("erasure_request")),
    "reviews:erasure_carry_out": post_route(ERASURE_HANDLERS, kwargs=pk("erasure_request")),
    "reviews:erasure_refuse": post_route(ERASURE_HANDLERS, kwargs=pk("erasure_request")),
    # in-portal notifications
    "notifications:list": Route(get=SIGNED_IN),
    "notifications:open": post_route(RECIPIENT, kwargs=pk("notification")),
    "notifications:read_all": post_route(SIGNED_IN),
    "notifications:preferences": post_route(SIGNED_IN),
}


# --- the Django admin, by rule ----------------------------------------------------------

# Model permissions in the admin come with the DRI's role for these apps only.
DRI_ADMIN_APPS = frozenset({"programmes"})
# Logs the admin shows but nobody adds to by hand.
NO_ADD_MODELS = frozenset(
    {"notifications.notification", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}
)
# Shown, never changed: the portal's services keep their rules and history.
READ_ONLY_MODELS = frozenset(
    {
        "applications.application",
        "applications.mobilityplan",
        "applications.courseplan",
        "applications.erasurerequest",
        "reviews.nominationnotice",
        "reviews.queueexport",
    }
)
# Kept while the world's object is in use: its student profile has an application under way,
# its notification is not delivered yet (deleting it would lose the message).
NO_DELETE_MODELS = frozenset({"accounts.studentprofile", "notifications.notification"})
# Who is turned away from the admin to its login page: everyone but the DRI and admins.
NOT_ADMIN_STAFF = {persona: ADMIN_LOGIN for persona in PERSONAS if persona not in (DRI, ADMIN)}
ADMIN_STAFF = expect(OK, **NOT_ADMIN_STAFF)


def admin_model_expect(app_label: str, *, admin_outcome: str = OK) -> Expect:
    """A model's admin pages. Unlike the site's own pages they do not name the admin's login
    page, so the portal's login middleware sends anonymous people to the portal's."""
    dri = OK if app_label in DRI_ADMIN_APPS else FORBIDDEN
    return expect(ADMIN_LOGIN, anonymous=LOGIN, dri=dri, admin=admin_outcome)


def admin_object(label: str) -> Kwargs:
    def kwargs(world: World) -> dict:
        instance = world.admin_objects.get(label)
        assert instance is not None, f"access_world builds no {label} for its admin pages"
        return {"object_id": instance.pk}

    return kwargs


def model_admin_routes(app_label: str, model_name: str) -> dict[str, Route]:
    label = f"{app_label}.{model_name}"
    prefix = f"admin:{app_label}_{model_name}"
    on_object = admin_object(label)
    allowed = admin_model_expect(app_label)
    read_only = label in READ_ONLY_MODELS
    no_add = label in NO_ADD_MODELS or read_only
    add = admin_model_expect(app_label, admin_outcome=FORBIDDEN if no_add else OK)
    changed = admin_model_expect(app_label, admin_outcome=FORBIDDEN) if read_only else allowed
    return {
        f"{prefix}_changelist": both(allowed),
        f"{prefix}_add": both(add),
        f"{prefix}_change": Route(get=allowed, post=changed, kwargs=on_object),
        f"{prefix}_delete": both(
            admin_model_expect(app_label, admin_outcome=FORBIDDEN)
            if label in NO_DELETE_MODELS
            else changed,
            kwargs=on_object,
        ),
        f"{prefix}_history": Route(get=allowed, kwargs=on_object),
        # The old object address only redirects to the change page, which checks.
        f"admin/{app_label}/{model_name}/<path:object_id>/": Route(
            get={**ADMIN_STAFF, ANONYMOUS: LOGIN},
            path=lambda world: f"/admin/{app_label}/{model_name}/{on_object(world)['object_id']}/",
        ),
    }


def app_list_routes() -> dict[str, Route]:
    """One entry per app of the admin index; an app the DRI sees no model of is a 404."""
    app_labels = sorted({model._meta.app_label for model in admin.site._registry})
    return {
        f"admin:app_list[{app_label}]": Route(
            get=expect(
                ADMIN_LOGIN,
                dri=OK if app_label in DRI_ADMIN_APPS else NOT_FOUND,
                admin=OK,
            ),
            kwargs=lambda world, app_label=app_label: {"app_label": app_label},
        )
        for app_label in app_labels
    }


def partner_on_site(world: World) -> dict:
    return {
        "content_type_id": ContentType.objects.get_for_model(world.partner).pk,
        "object_id": world.partner.pk,
    }


def admin_routes() -> dict[str, Route]:
    routes: dict[str, Route] = {
        "admin:index": Route(get=ADMIN_STAFF),
        "admin:login": both(PUBLIC),
        # Logging out of the admin is a POST; people it does not know go back to its index.
        "admin:logout": Route(
            get=expect(OK, anonymous=ADMIN_LOGIN, dri=NOT_ALLOWED, admin=NOT_ALLOWED),
            post=expect(OK, anonymous=ADMIN_LOGIN),
        ),
        "admin:password_change": both(ADMIN_STAFF),
        "admin:password_change_done": Route(get=ADMIN_STAFF),
        "admin:autocomplete": Route(
            get=ADMIN_STAFF,
            query="?app_label=programmes&model_name=agreement&field_name=partner&term=Berlin",
        ),
        "admin:jsi18n": Route(get=ADMIN_STAFF),
        # The partners' CSV import: for those who add and change partners and agreements.
        "admin:programmes_partner_import": both(admin_model_expect("programmes")),
        "admin:view_on_site": Route(get=ADMIN_STAFF, kwargs=partner_on_site),
        "admin:auth_user_password_change": both(
            admin_model_expect("accounts"),
            kwargs=lambda world: {"id": world.users[OWNER].pk},
        ),
        # Any other address under admin/: a 404 for staff, the login page for the others.
        "admin/(?P<url>.*)$": Route(
            get=expect(NOT_FOUND, **NOT_ADMIN_STAFF),
            path=lambda world: "/admin/no-such-page/",
        ),
        **app_list_routes(),
    }
    for model in admin.site._registry:
        routes.update(model_admin_routes(model._meta.app_label, model._meta.model_name))
    return routes


ROUTES: dict[str, Route] = {**PORTAL_ROUTES, **admin_routes()}


# --- the resolver ----------------------------------------------------------------------


def resolver_keys(patterns, namespace: str = "", prefix: str = "") -> Iterator[str]:
    """Every pattern of the project: its namespaced name, or its full route when unnamed."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from resolver_keys(pattern.url_patterns, inner, route)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else route


def table_keys() -> set[str]:
    return {key.split("[")[0] for key in ROUTES}


def cases() -> list[tuple[str, str, str]]:
    return [
        (name, persona, method)
        for name, route in ROUTES.items()
        for method in (GET, POST)
        if route.expected(method) is not None
        for persona in PERSONAS
    ]


CASES = cases()


def matrix_size() -> str:
    methods = sum(1 for route in ROUTES.values() for m in (GET, POST) if route.expected(m))
    return (
        f"{len(table_keys())} URL patterns ({len(ROUTES)} table rows, {methods} row×method) × "
        f"{len(PERSONAS)} personas = {len(CASES)} requests"
    )


def test_every_url_pattern_is_in_the_table():
    in_resolver = set(resolver_keys(get_resolver().url_patterns))
    missing = sorted(in_resolver - table_keys())
    gone = sorted(table_keys() - in_resolver)
    print(f"\naccess matrix: {matrix_size()}")
    assert not missing, f"URL patterns with no row in the access table: {missing}"
    assert not gone, f"access table rows no URL pattern answers any more: {gone}"


# --- the matrix ------------------------------------------------------------------------


def assert_test_database() -> None:
    """The world is written in a transaction rolled back, but never on a real database."""
    name = str(connection.settings_dict["NAME"])
    is_test = (
        name == connection.settings_dict["TEST"]["NAME"]
        or name.startswith(TEST_DATABASE_PREFIX)
        or "mode=memory" in name  # SQLite's in-memory test database
    )
    assert is_test, f"not a test database: {name}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        assert_test_database()
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.fixture
def db(world) -> Iterator[None]:
    """pytest-django's `db`, overridden for this module: a savepoint of the world's
    transaction, rolled back after each test so nothing a request does lasts (far cheaper
    than a transaction per test). A test asking for `db` is also what makes pytest-django
    create the test database."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def test_the_world_holds_what_each_page_serves(db, world):
    """An "ok" is worth something only when the page met its object in the state it serves."""
    assert world.student.student_profile.advisor == world.users[ADVISOR]
    assert world.users[OTHER_STUDENT].student_profile.advisor == world.users[OTHER_ADVISOR]
    assert world.exchange.partner == world.partner and world.exchange.is_study
    assert world.submitted.state == ApplicationState.SUBMITTED and world.submitted.snapshot
    assert [t.to_state for t in world.submitted.history.all()] == [ApplicationState.SUBMITTED]
    assert world.draft.state == ApplicationState.DRAFT
    assert world.abroad.state == ApplicationState.RETURNED
    assert world.abroad.nominated_choice.activity == world.abroad_activity
    assert world.pending_course_plan.status == CoursePlanStatus.PENDING
    assert world.pending_course_plan.lines.count() == 2
    assert world.approved_course_plan.status == CoursePlanStatus.APPROVED
    assert world.summer.validation_requested_at is not None
    assert world.notification.recipient == world.student
    assert world.notification.status == DeliveryStatus.PENDING  # not deletable (NO_DELETE_MODELS)
    assert world.erasure_request.student == world.student and world.erasure_request.is_pending
    with world.document.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"


def client_as(world: World, persona: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if persona != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def outcome_of(response, method: str) -> str:
    if response.status_code in (301, 302):
        target = urlsplit(response["Location"]).path
        if target == reverse("login"):
            return LOGIN
        if target == reverse("admin:login"):
            return ADMIN_LOGIN
        return OK
    if response.status_code in (200, 204):
        return OK
    if method == POST and response.status_code in (400, 409):
        return OK
    return str(response.status_code)


def read_through(response) -> None:
    """Stream a download to its end, so a failure while producing it shows here (the test
    client closes the response once read)."""
    if response.streaming:
        b"".join(response.streaming_content)


@pytest.mark.parametrize(("name", "persona", "method"), CASES)
def test_access(db, world, name, persona, method):
    route = ROUTES[name]
    url = route.url(name, world)
    client = client_as(world, persona)
    reset_queries()  # the log keeps 9000 queries: the module's would crowd this one's out
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url) if method == GET else client.post(url, route.data(world))
        read_through(response)
    writes = data_writes(queries)
    got = outcome_of(response, method)
    wanted = route.expected(method)[persona]
    location = response.get("Location", "")
    assert got == wanted, (
        f"{method} {url} ({name}) as {persona}: got {got} "
        f"(HTTP {response.status_code} {location}), expected {wanted}; matrix: {matrix_size()}"
    )
    if wanted != OK:
        assert not writes, f"{method} {url} ({name}) as {persona} was refused but wrote: {writes}"


def data_writes(queries: CaptureQueriesContext) -> list[str]:
    """The statements that changed data, but for the session the middleware keeps."""
    return [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split(" ", 1)[0].upper() in WRITES
        and "django_session" not in query["sql"]
    ]
