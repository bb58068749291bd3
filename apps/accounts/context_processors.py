from .roles import Capability, user_can


def roles(request):
    """Expose the user's capabilities to templates as `can.<capability>` booleans."""
    user = getattr(request, "user", None)
    return {"can": {capability.value: user_can(user, capability) for capability in Capability}}
