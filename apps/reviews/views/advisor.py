"""The study advisor's pages: the course plans awaiting them, one version's review, line by
line, with what changed since the previous version, and what they may see of one student."""

from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.errors import ServiceError
from apps.applications.models import (
    CourseLine,
    CoursePlan,
    CoursePlanStatus,
    LineDecision,
    LineDecisionChange,
)
from apps.applications.selectors import application_choosing, course_total
from apps.applications.services import line_key
from mobility_portal.refusals import report_refusal

from ..selectors_advisor import (
    advised_course_plan,
    advisee_applications,
    advisee_course_plans,
    advisee_for,
    course_plan_diff,
    course_plans_decided,
    course_plans_to_review,
    missing_credits,
    recognitions_to_confirm,
    sent_versions,
)
from ..services.course_plans import DecidesTheVersion, course_line_decide, course_line_undo

advisor_only = capability_required(Capability.APPROVE_COURSE_PLANS)


UNDO = "undo"


class LineDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            ("approve", gettext_lazy("Approve")),
            ("reject", gettext_lazy("Reject")),
            (UNDO, gettext_lazy("Undo")),
        ],
        error_messages={"required": gettext_lazy("Choose to approve or to reject the course.")},
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the student"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text=gettext_lazy("Required when you reject the course."),
    )
    # The decision the page showed: a page left open in another tab changes nothing it did
    # not show. Absent, the line was shown awaiting the advisor.
    seen = forms.ChoiceField(choices=LineDecision.choices, required=False)
    # The advisor confirmed a decision on the last course awaiting them, which decides the
    # whole version and cannot be changed.
    confirm = forms.BooleanField(required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "reject" and not data.get("comment", "").strip():
            self.add_error("comment", _("Say why the course is rejected: the student reads it."))
        return data

    @property
    def seen_decision(self) -> str:
        return self.cleaned_data.get("seen") or LineDecision.PENDING


def decision_form(line: CourseLine, data=None) -> LineDecisionForm:
    initial = {"seen": line.decision}
    if line.decision != LineDecision.PENDING:
        initial["comment"] = line.decision_comment
    return LineDecisionForm(data, auto_id=f"line-{line.pk}-%s", initial=initial)


@advisor_only
def advisor_queue(request):
    """Two paginated lists, each keeping the other's page in its links: the course plans to
    review (`page`) and those decided, of every stay still planned (`decided`), which grows
    with the advisor's students and their choices."""
    page = Paginator(course_plans_to_review(request.user), settings.CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    decided = Paginator(course_plans_decided(request.user), settings.CATALOGUE_PAGE_SIZE).get_page(
        request.GET.get("decided")
    )
    return render(
        request,
        "reviews/advisor_queue.html",
        {
            "page": page,
            "query": urlencode({"decided": decided.number}) if decided.number > 1 else "",
            "decided_page": decided,
            "decided": list(decided.object_list),
            "decided_query": urlencode({"page": page.number}) if page.number > 1 else "",
            "recognitions": list(recognitions_to_confirm(request.user)),
        },
    )


@advisor_only
def advisee(request, pk: int):
    """What the advisor may see of one of their students, read only: their profile, the
    course plans they sent, and their applications (each opens on its own page)."""
    student = advisee_for(request.user, pk)
    return render(
        request,
        "reviews/advisee.html",
        {
            "student": student,
            "profile": student.student_profile,
            "course_plans": list(advisee_course_plans(student)),
            "applications": list(advisee_applications(request.user, student)),
        },
    )


@advisor_only
def advisor_course_plan(request, pk: int):
    """GET: the version and its lines; POST: a decision on one line (field `line`)."""
    course_plan, lines = _version_and_lines(request, pk)
    bound: dict[int, LineDecisionForm] = {}
    if request.method == "POST":
        line = _posted_line(request, lines)
        form = bound[line.pk] = decision_form(line, request.POST)
        if form.is_valid():
            shown = (line.decision, line.decision_comment)
            try:
                line = _decide(request, line, form)
            except DecidesTheVersion:
                return _confirmation(request, course_plan, lines, line, form)
            except ServiceError as error:
                report_refusal(request, error)
                return _refused(request, pk, line, form)
            _tell_what_was_done(request, line, form)
            if shown[0] != LineDecision.PENDING and shown != (line.decision, line.decision_comment):
                messages.info(request, _student_told_of_the_change())
            return redirect("reviews:advisor_course_plan", course_plan.pk)
    return render(
        request,
        "reviews/advisor_course_plan.html",
        _review_context(course_plan, lines, bound),
        status=400 if bound else 200,
    )


def _decide(request, line: CourseLine, form: LineDecisionForm) -> CourseLine:
    data = form.cleaned_data
    if data["decision"] == UNDO:
        return course_line_undo(actor=request.user, line=line, seen=form.seen_decision)
    return course_line_decide(
        actor=request.user,
        line=line,
        approve=data["decision"] == "approve",
        comment=data["comment"],
        seen=form.seen_decision,
        final=data["confirm"],
    )


def _tell_what_was_done(request, line: CourseLine, form: LineDecisionForm) -> None:
    if form.cleaned_data["decision"] == UNDO:
        messages.success(
            request,
            _("Decision on %(code)s undone: the course awaits your decision again.")
            % {"code": line.code},
        )
        return
    messages.success(request, _("Decision on %(code)s recorded.") % {"code": line.code})
    status = CoursePlan.objects.values_list("status", flat=True).get(pk=line.course_plan_id)
    if status == CoursePlanStatus.APPROVED:
        messages.info(
            request, _("Every course is decided: the course plan is approved, the student is told.")
        )
    elif status == CoursePlanStatus.CHANGES_REQUESTED:
        messages.info(
            request,
            _(
                "Every course is decided: the course plan goes back to the student, who is told "
                "which courses you rejected."
            ),
        )


def _student_told_of_the_change() -> str:
    """A decision the student could read was changed or undone: they are told
    (notifications.events.announce_course_decision_changed), in one message with the changes
    of the next few minutes."""
    minutes = settings.COURSE_DECISION_CHANGES_GROUPED_MINUTES
    if minutes <= 0:
        return _("The student is told of this change.")
    return ngettext(
        "The student is told of this change, with any other you make within %(minutes)d minute.",
        "The student is told of this change, with any other you make within %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def _confirmation(
    request, course_plan: CoursePlan, lines: list[CourseLine], line: CourseLine, form
):
    """The decision asked for decides the whole version: the page again, with the line's
    decision to confirm and what the version becomes."""
    approve = form.cleaned_data["decision"] == "approve"
    rejected = sum(
        1
        for row in lines
        if (row.pk == line.pk and not approve)
        or (row.pk != line.pk and row.decision == LineDecision.REJECTED)
    )
    context = _review_context(course_plan, lines, {})
    context["confirming"] = {
        "line": line,
        "decision": form.cleaned_data["decision"],
        "comment": form.cleaned_data["comment"].strip(),
        "seen": form.seen_decision,
        "rejected": rejected,
    }
    return render(request, "reviews/advisor_course_plan.html", context)


def _version_and_lines(request, pk: int) -> tuple[CoursePlan, list[CourseLine]]:
    course_plan = advised_course_plan(request.user, pk)
    history = LineDecisionChange.objects.select_related("actor")
    prefetch_related_objects(
        [course_plan],
        Prefetch(
            "lines",
            queryset=CourseLine.objects.select_related("decided_by").prefetch_related(
                Prefetch("decision_history", queryset=history)
            ),
        ),
    )
    return course_plan, list(course_plan.lines.all())


def _refused(request, pk: int, line: CourseLine, form: LineDecisionForm):
    """The page as it now stands (a decision or a newer version came meanwhile), with the
    advisor's comment: in the line's form if it still stands as their page showed it, else
    quoted to copy."""
    course_plan, lines = _version_and_lines(request, pk)
    current = next((row for row in lines if row.pk == line.pk), None)
    unchanged = current is not None and current.decision == form.seen_decision
    context = _review_context(course_plan, lines, {line.pk: form} if unchanged else {})
    still_open = unchanged and any(
        row_line.pk == line.pk and row_form for row_line, row_form in context["rows"]
    )
    if not still_open:
        context["unsaved_comment"] = (line.pk, form.cleaned_data["comment"].strip())
    return render(request, "reviews/advisor_course_plan.html", context, status=409)


def _posted_line(request, lines: list[CourseLine]) -> CourseLine:
    wanted = request.POST.get("line", "")
    line = next((line for line in lines if str(line.pk) == wanted), None)
    if line is None:
        raise Http404
    return line


def put_again(previous_lines: list[CourseLine], lines: list[CourseLine]) -> list[CourseLine]:
    """The courses rejected in the previous version that await the advisor again in this one."""
    awaiting = {line_key(line) for line in lines if line.decision == LineDecision.PENDING}
    return [
        line
        for line in previous_lines
        if line.decision == LineDecision.REJECTED and line_key(line) in awaiting
    ]


def _review_context(
    course_plan: CoursePlan, lines: list[CourseLine], bound: dict[int, LineDecisionForm]
) -> dict:
    """`bound`: the refused form of the line just posted, shown again with its errors."""
    versions = sent_versions(course_plan)
    activity = course_plan.activity
    # The latest version sent, unless the stay has moved to another host since: its latest
    # version, a draft there, is not among the versions sent.
    in_force = versions[0] if versions[0].is_for_host_of(activity) else None
    is_latest = in_force is not None and in_force.pk == course_plan.pk
    awaiting = is_latest and course_plan.status == CoursePlanStatus.PENDING
    # Its application withdrawn, refused or nominated to another stay: out of the advisor's
    # queue, and read only here (the service refuses a decision), until one names it again.
    not_wanted = awaiting and not course_plan.still_wanted
    can_decide = awaiting and not not_wanted
    # Versions sent and replaced before the advisor decided on every line: no longer awaiting
    # them (their queue lists only the latest), whatever status they were left with.
    replaced = {
        version.pk
        for version in versions
        if version.status == CoursePlanStatus.PENDING and version != in_force
    }
    # The version before, of the same host: another host's courses are not a change of these.
    previous = next(
        (
            version
            for version in versions
            if version.version < course_plan.version and version.host_key == course_plan.host_key
        ),
        None,
    )
    rows = [
        (
            line,
            bound.get(line.pk) or decision_form(line) if can_decide else None,
        )
        for line in lines
    ]
    credits = missing_credits(course_plan)
    previous_lines = list(previous.lines.all()) if previous else []
    diff = course_plan_diff(previous_lines, lines) if previous else None
    return {
        "course_plan": course_plan,
        "activity": activity,
        # Its stay moved to another host since (a nomination elsewhere): where it is now.
        "stay_moved_to": "" if course_plan.is_for_host_of(activity) else activity.host_display,
        "student": activity.plan.student,
        "rows": rows,
        "application": application_choosing(course_plan.activity_id),
        "total": course_total(activity, lines),
        "versions": versions,
        "is_latest": is_latest,
        "replaced": replaced,
        "can_decide": can_decide,
        "not_wanted": not_wanted,
        "previous": previous,
        "diff": diff,
        # The same courses after some were rejected: the student asks the advisor to look
        # again at those that await them now (they may have sent what was asked); the reasons
        # given are shown. Courses merely listed in another order stay rejected: nothing is
        # asked of the advisor about them.
        "put_again": put_again(previous_lines, lines) if diff is not None and diff.is_empty else [],
        "credits": credits if credits.recorded else None,
    }
