from django.urls import path

from pasokh.voice import views

app_name = "voice"

urlpatterns = [
    path("softphone/login/", views.softphone, name="softphone_login"),
    path("calls/<int:interaction_id>/", views.call_state, name="call_state"),
    path("calls/<int:interaction_id>/<slug:verb>/", views.call_control, name="call_control"),
]
