from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import checks


@require_safe
@never_cache
def healthz(request):
    """200 and ``{"status": "ok", "checks": {…}}`` when every configured service answers,
    else 503 with the one that did not; anonymous, for load balancers."""
    outcomes = checks.run_checks()
    healthy = checks.FAILED not in outcomes.values()
    return JsonResponse(
        {"status": "ok" if healthy else "failed", "checks": outcomes},
        status=200 if healthy else 503,
    )
