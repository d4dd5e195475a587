from django.conf import settings
from django.utils.functional import SimpleLazyObject


def organisation(request):
    """The publishing organisation's name, strapline and logo, for every template."""
    return {
        "organisation": {
            "name": settings.ORGANISATION_NAME,
            "strapline": settings.ORGANISATION_STRAPLINE,
            "logo": settings.ORGANISATION_LOGO,
        }
    }


def work(request):
    """What waits for the signed-in user, counted for the navigation only when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from meetings.selectors.queues import queue_counts

    return {"work": SimpleLazyObject(lambda: queue_counts(user=user))}
