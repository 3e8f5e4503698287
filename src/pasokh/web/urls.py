from django.contrib.auth import views as auth_views
from django.urls import path

from pasokh.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
]
