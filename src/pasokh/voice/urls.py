from django.urls import path

from pasokh.voice import views

app_name = "voice"

urlpatterns = [
    path("softphone/login/", views.softphone, name="softphone_login"),
]
