from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views, views_auth

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views_auth.login_view, name="login"),
    path("inloggen/code/", views_auth.verify_view, name="verify"),
    path("inloggen/tweede-factor/", views_auth.enroll_view, name="enroll"),
    path("uitloggen/", views_auth.logout_view, name="logout"),
    path(
        "wachtwoord/vergeten/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord/instellen/<uidb64>/<token>/",
        views_auth.PasswordSetView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord/ingesteld/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_set_done.html"
        ),
        name="password_reset_complete",
    ),
    path("profiel/", views.profile, name="profile"),
    path("profiel/wachtwoord/", views.password_change, name="password_change"),
    path("profiel/tokens/<int:pk>/intrekken/", views.token_revoke, name="token_revoke"),
    path("beheer/accounts/", views.AccountListView.as_view(), name="list"),
    path("beheer/accounts/nieuw/", views.account_create, name="create"),
    path("beheer/accounts/<int:pk>/", views.AccountDetailView.as_view(), name="detail"),
    path("beheer/accounts/<int:pk>/wijzigen/", views.account_update, name="update"),
    path("beheer/accounts/<int:pk>/actief/", views.account_set_active, name="set_active"),
    path(
        "beheer/accounts/<int:pk>/tweede-factor-wissen/",
        views.account_reset_second_factor,
        name="reset_second_factor",
    ),
    path(
        "beheer/accounts/<int:pk>/wachtwoordlink/",
        views.account_send_password_link,
        name="send_password_link",
    ),
]
