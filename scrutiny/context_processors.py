from django.conf import settings


def organisation(request):
    """The publishing organisation's name, strapline and logo, for every template."""
    return {
        "organisation": {
            "name": settings.ORGANISATION_NAME,
            "strapline": settings.ORGANISATION_STRAPLINE,
            "logo": settings.ORGANISATION_LOGO,
        }
    }
