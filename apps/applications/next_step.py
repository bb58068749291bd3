"""The one thing a student should do next, decided from a summary of their situation.

Pure: the dashboard gathers the facts, this module only decides, so every case is unit-tested
without a database.
"""

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from mobility_portal.dates import long_date


@dataclass(frozen=True)
class DraftSummary:
    pk: int
    call_name: str
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ApplicationSummary:
    """An application past the draft that still asks something of the student, or tells them
    where they stand."""

    pk: int
    call_name: str
    state: str  # an ApplicationState value
    destination: str = ""


@dataclass(frozen=True)
class RejectedCourses:
    """A course plan whose latest version has lines the study advisor rejected."""

    activity_pk: int
    host: str
    count: int


@dataclass(frozen=True)
class StayNotTaken:
    """A study stay of the plan that every application for it ended without taking the
    student there: it still counts toward the time abroad."""

    host: str
    call_name: str
    state_label: str  # how the latest application ended, in words
    # "host_refused": the application is withdrawn before the stay can be removed;
    # "not_submitted": a draft left when its call closed; else "ended" (refused, withdrawn).
    why: str = "ended"


@dataclass(frozen=True)
class Situation:
    has_profile: bool
    activity_count: int = 0
    plan_error_count: int = 0
    draft: DraftSummary | None = None
    open_call_without_application: str | None = None
    current: ApplicationSummary | None = None
    rejected_courses: RejectedCourses | None = None
    stay_not_taken: StayNotTaken | None = None
    # When the student asked for their data to be erased, while the request is pending.
    erasure_asked_at: datetime | None = None


@dataclass(frozen=True)
class NextStep:
    text: str
    url_name: str | None = None
    url_args: tuple[int, ...] = ()
    link_text: str = ""
    details: tuple[str, ...] = ()

    @property
    def url(self) -> str | None:
        return reverse(self.url_name, args=self.url_args) if self.url_name else None


def next_step(situation: Situation) -> NextStep:
    if not situation.has_profile:
        return NextStep(
            _(
                "Your student profile is not set up yet: the portal's administrators complete it "
                "(ask the international relations office if it takes long). You can start your "
                "plan once it is done."
            )
        )
    if situation.erasure_asked_at is not None:
        # Nothing can be applied for while it waits: the steps below would send the student to
        # a call or a stay the portal then refuses.
        return NextStep(
            _(
                "You asked on %(asked)s for your personal data to be erased. The administrators "
                "have not handled your request yet: you will be told of the outcome by e-mail. "
                "To apply to a call, cancel your request first."
            )
            % {"asked": long_date(situation.erasure_asked_at)},
            "applications:privacy_export",
            link_text=_("My data"),
        )
    if situation.activity_count == 0:
        return NextStep(
            _("Add your first activity to your mobility plan."),
            "applications:activity_add",
            link_text=_("Add an activity"),
        )
    if situation.plan_error_count:
        return NextStep(
            ngettext(
                "Your plan has %(count)d error: fix it.",
                "Your plan has %(count)d errors: fix them.",
                situation.plan_error_count,
            )
            % {"count": situation.plan_error_count},
            "applications:plan",
            link_text=_("Open my plan"),
        )
    if situation.current is not None and situation.current.state == "changes_requested":
        return _changes_requested(situation.current)
    if situation.rejected_courses is not None:
        return _rejected_courses(situation.rejected_courses)
    if situation.draft is not None:
        return _complete_draft(situation.draft)
    if situation.current is not None and (step := _follow_up(situation.current)) is not None:
        return step
    if situation.stay_not_taken is not None:
        return _stay_not_taken(situation.stay_not_taken)
    if situation.open_call_without_application:
        return NextStep(
            _("The call “%(call)s” is open: apply.")
            % {"call": situation.open_call_without_application},
            "applications:application_list",
            link_text=_("See the calls"),
        )
    return NextStep(
        _(
            "Your plan is complete. No call for applications is open for you at the moment: "
            "come back when the next one opens."
        )
    )


def _complete_draft(draft: DraftSummary) -> NextStep:
    if draft.missing:
        text = _("Complete your application to “%(call)s”. Still missing:")
    else:
        text = _("Your application to “%(call)s” is complete: submit it.")
    return NextStep(
        text % {"call": draft.call_name},
        "applications:application_detail",
        (draft.pk,),
        link_text=_("Open my application"),
        details=draft.missing,
    )


def _changes_requested(application: ApplicationSummary) -> NextStep:
    text = _(
        "The international relations office asks for changes to your application to "
        "“%(call)s”: read its request, make the changes, then submit it again."
    )
    return NextStep(
        text % {"call": application.call_name},
        "applications:application_detail",
        (application.pk,),
        link_text=_("Open my application"),
    )


def _rejected_courses(rejected: RejectedCourses) -> NextStep:
    text = ngettext(
        "Your study advisor rejected %(count)d course of your course plan for %(host)s: "
        "read why, change it and save the course plan again.",
        "Your study advisor rejected %(count)d courses of your course plan for %(host)s: "
        "read why, change them and save the course plan again.",
        rejected.count,
    )
    return NextStep(
        text % {"count": rejected.count, "host": rejected.host},
        "applications:course_plan_edit",
        (rejected.activity_pk,),
        link_text=_("Open my course plan"),
    )


def _stay_not_taken(stay: StayNotTaken) -> NextStep:
    if stay.why == "not_submitted":
        text = _(
            "Your application to “%(call)s” for the stay at %(host)s was never submitted, and "
            "the call has closed: the stay still counts toward your time abroad. Remove it from "
            "your plan if you will not go, or apply for it in another call."
        )
    elif stay.why == "host_refused":
        text = _(
            "Your application to “%(call)s” for the stay at %(host)s is %(state)s, and the stay "
            "still counts toward your time abroad. If you will not go, withdraw the application, "
            "then remove the stay from your plan."
        )
    else:
        text = _(
            "Your application to “%(call)s” for the stay at %(host)s is %(state)s, and the stay "
            "still counts toward your time abroad. Remove it from your plan if you will not go, "
            "or apply for it in another call."
        )
    return NextStep(
        text % {"call": stay.call_name, "host": stay.host, "state": stay.state_label},
        "applications:plan",
        link_text=_("Open my plan"),
    )


def _follow_up(application: ApplicationSummary) -> NextStep | None:
    """Where an application past the draft stands, or None once it says nothing more."""
    values = {"call": application.call_name, "destination": application.destination}
    texts = {
        "submitted": _(
            "Your application is submitted: the international relations office reviews it. "
            "You will be told of its decision."
        ),
        "under_review": _(
            "The international relations office is reviewing your application to “%(call)s”. "
            "You will be told of its decision."
        ),
        "nominated": _(
            "You are nominated to %(destination)s. The host institution decides next: you will "
            "be told of its answer. Meanwhile, prepare your course plan with your study advisor."
        ),
        "accepted": _(
            "%(destination)s has accepted you. Make sure your course plan is approved by your "
            "study advisor before you leave."
        ),
        "in_mobility": _(
            "Have a good stay at %(destination)s. If your courses change, update your course "
            "plan: your study advisor approves the new version."
        ),
        "returned": _(
            "Welcome back. Upload the host's transcript of records and enter the credits you "
            "obtained at %(destination)s: your study advisor then confirms their recognition."
        ),
        "host_refused": _(
            "%(destination)s did not accept you. The international relations office may "
            "nominate you to another of your choices if it has a seat left: you will be told."
        ),
    }
    if application.state not in texts:
        return None
    if application.state == "returned":  # the student's own step: the return page
        return NextStep(
            texts[application.state] % values,
            "reviews:return_page",
            (application.pk,),
            link_text=_("Back from mobility: transcript and credits obtained"),
        )
    return NextStep(
        texts[application.state] % values,
        "applications:application_detail",
        (application.pk,),
        link_text=_("Open my application"),
    )
