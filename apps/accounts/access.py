"""Access guards for views: one decorator and one mixin for capability-gated pages."""

from functools import wraps

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from .roles import Capability, user_can


def capability_required(capability: Capability):
    """Function-view decorator: login is enforced by middleware; a missing capability is 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not user_can(request.user, capability):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class CapabilityRequiredMixin(AccessMixin):
    required_capability: Capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not user_can(request.user, self.required_capability):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
