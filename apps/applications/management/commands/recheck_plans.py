from django.core.management.base import BaseCommand
from django.db.models import Prefetch

from apps.applications.checking import recheck_plans
from apps.applications.models import Activity, MobilityPlan
from apps.rules.published import current_regulations


class Command(BaseCommand):
    help = (
        "Re-check every stored mobility plan against its regulation version and cache the verdict."
    )

    def handle(self, *args, **options):
        plans = MobilityPlan.objects.select_related("student__student_profile").prefetch_related(
            Prefetch("activities", queryset=Activity.objects.select_related("partner"))
        )
        checked = compliant = invalid = 0
        regulations = current_regulations(fresh=True)
        for plan, check in recheck_plans(plans.iterator(chunk_size=500), regulations):
            checked += 1
            compliant += check.compliant
            if not check.valid:
                invalid += 1
                self.stderr.write(f"plan {plan.pk} ({plan.student}): " + "; ".join(check.problems))
        self.stdout.write(
            f"{checked} plans checked: {compliant} compliant, "
            f"{checked - compliant - invalid} with errors, {invalid} invalid."
        )
