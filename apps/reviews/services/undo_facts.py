"""What a nomination records for its undo (reviews.services.undo): the choice nominated before
it and the host its stay named before and after it. Apart from the undo itself, which the
decisions import no more than it imports them."""

from apps.applications.models import Activity

# The fields of a stay a nomination may move to another host (services.activity_follow_nomination).
HOST_FIELDS = ("partner_id", "host_name", "country")


def stay_host(activity: Activity) -> dict[str, object]:
    """The host the stay names: its partner, its own host's name and its country."""
    return {
        "partner_id": activity.partner_id,
        "host_name": activity.host_name,
        "country": str(activity.country or ""),
    }


def nomination_restores(
    *, nominated_before: int | None, activity: Activity, host_before: dict[str, object]
) -> dict[str, object]:
    """The nomination's `Transition.restores_on_undo`, once its stay followed it (`activity`)."""
    return {
        "nominated_choice": nominated_before,
        "activity": activity.pk,
        "host_before": host_before,
        "host_after": stay_host(activity),
    }
