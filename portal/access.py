from .models import AccessEvent


def client_address(request):
    """The peer address. Behind a proxy, configure it to overwrite REMOTE_ADDR."""
    return request.META.get("REMOTE_ADDR") or None


def record(request, kind, detail="", user=None, username=""):
    """Add one access-log row for this request."""
    user = user or (request.user if request.user.is_authenticated else None)
    return AccessEvent.objects.create(
        kind=kind,
        user=user,
        username=username or (user.get_username() if user else ""),
        address=client_address(request),
        detail=detail[:500],
    )
