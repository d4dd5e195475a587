from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from meetings.forms import SignInForm


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static file."""

    permanent = True

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("img/favicon.ico")


urlpatterns = [
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("", RedirectView.as_view(pattern_name="public:note-list"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=SignInForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Where a new user (or one given a new sign-in link) chooses their password.
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("meetings/", include("meetings.urls")),
    path("performance/", include("performance.urls")),
    path("jobs/", include("jobs.urls")),
    path("admin/", admin.site.urls),
    path("", include("health.urls")),
    path("", include("publication.urls")),
]
