from .middleware import form_page
from .roles import Capability, user_can


def roles(request):
    """Expose the user's capabilities to templates as `can.<capability>` booleans."""
    user = getattr(request, "user", None)
    return {"can": {capability.value: user_can(user, capability) for capability in Capability}}


def language_next(request):
    """Where the language switch leads back: the page itself; for a page shown in answer to a
    form (its errors), the page the form was sent from, as the address the form posts to may
    take POST only. A view whose page lives elsewhere says so with `page_path`."""
    page = form_page(request) if request.method == "POST" else None
    return {"language_next": page or request.get_full_path()}
