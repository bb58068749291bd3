"""Staff operations: re-check every stored plan after a regulation change and watch its
progress; and the health endpoint load balancers poll."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Min, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.access import capability_required
from apps.accounts.roles import Capability
from apps.applications.errors import ServiceError
from apps.applications.models import MobilityPlan, PlanRecheck, PlanRecheckStatus
from apps.applications.tasks import plan_recheck_start
from apps.notifications.selectors import outbox_health
from apps.notifications.services import notifications_send_again as services_send_again
from mobility_portal.numbers import grouped
from mobility_portal.refusals import report_refusal

RECENT_RUNS = 10

reviewer_only = capability_required(Capability.REVIEW_APPLICATIONS)


@dataclass(frozen=True)
class PlanVerdicts:
    """The cached verdicts of every stored plan, as staff lists and filters read them."""

    total: int
    compliant: int
    never_checked: int
    oldest_check: datetime | None

    @property
    def with_errors(self) -> int:
        return self.total - self.compliant - self.never_checked


def plan_verdicts() -> PlanVerdicts:
    """One query, whatever the number of plans."""
    figures = MobilityPlan.objects.aggregate(
        total=Count("pk"),
        compliant=Count("pk", filter=Q(compliant=True, checked_at__isnull=False)),
        never_checked=Count("pk", filter=Q(checked_at__isnull=True)),
        oldest_check=Min("checked_at"),
    )
    return PlanVerdicts(**figures)


@reviewer_only
def operations(request):
    runs = list(PlanRecheck.objects.select_related("started_by")[:RECENT_RUNS])
    return render(
        request,
        "reviews/operations.html",
        {
            "verdicts": plan_verdicts(),
            "runs": runs,
            "recheck": runs[0] if runs else None,
            "outbox": outbox_health(),
        },
    )


@reviewer_only
@require_POST
def notifications_send_again(request):
    try:
        count = services_send_again(actor=request.user)
    except ServiceError as error:
        report_refusal(request, error)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s e-mail handed over again for delivery.",
                "%(count)s e-mails handed over again for delivery.",
                count,
            )
            % {"count": grouped(count)},
        )
    return redirect("reviews:operations")


@reviewer_only
@require_POST
def recheck_start(request):
    try:
        recheck = plan_recheck_start(actor=request.user)
    except ServiceError as error:
        report_refusal(request, error)
        return redirect("reviews:operations")
    recheck.refresh_from_db()  # handed over when the service's transaction committed
    if recheck.status == PlanRecheckStatus.FAILED:
        messages.error(
            request,
            _(
                "The background workers could not be reached: the re-check did not start. Try "
                "again later, or ask IT to look at the task queue."
            ),
        )
    elif recheck.status == PlanRecheckStatus.DONE:  # no broker: it ran in this request
        messages.success(request, _("Every plan has been checked again; the result is below."))
    else:
        messages.success(request, _("Every plan is being checked again; progress is shown below."))
    return redirect("reviews:operations")


@reviewer_only
@require_GET
@never_cache
def recheck_progress(request):
    """The latest run's progress: the fragment the page polls while it runs."""
    return render(
        request,
        "reviews/operations_progress.html",
        {"recheck": PlanRecheck.objects.select_related("started_by").first()},
    )


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """A trivial answer from a web process, for load balancers and as the benchmark's
    baseline: no database, no session."""
    return HttpResponse("ok", content_type="text/plain")
