from django.urls import path

from pasokh.desk import views

app_name = "desk"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("live/", views.live_view, name="live"),
]
