from django.core.management.base import BaseCommand
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

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
                self.stderr.write(
                    _("plan %(number)s (%(student)s): %(problems)s")
                    % {
                        "number": plan.pk,
                        "student": plan.student,
                        "problems": pgettext("between two items of a list", "; ").join(
                            check.problems
                        ),
                    }
                )
        self.stdout.write(
            ngettext(
                "%(checked)d plan checked: %(compliant)d compliant, %(errors)d with errors, "
                "%(invalid)d invalid.",
                "%(checked)d plans checked: %(compliant)d compliant, %(errors)d with errors, "
                "%(invalid)d invalid.",
                checked,
            )
            % {
                "checked": checked,
                "compliant": compliant,
                "errors": checked - compliant - invalid,
                "invalid": invalid,
            }
        )
