from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password-change"),
    path("otp/setup/", views.otp_setup, name="otp-setup"),
    path("otp/verify/", views.otp_verify, name="otp-verify"),
    path("session/", views.session_status, name="session"),
]
