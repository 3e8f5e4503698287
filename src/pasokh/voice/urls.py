from django.urls import path

from pasokh.voice import call_views, conference_views, live_views, views

app_name = "voice"

urlpatterns = [
    path("softphone/login/", views.softphone, name="softphone_login"),
    path("dial/", views.dial, name="dial"),
    path("dial/<int:interaction_id>/", views.dial_progress, name="dial_progress"),
    path("calls/<int:interaction_id>/", views.call_state, name="call_state"),
    path("calls/<int:interaction_id>/<slug:verb>/", views.call_control, name="call_control"),
    path("record/<int:interaction_id>/", call_views.recording_state, name="recording_state"),
    path(
        "record/<int:interaction_id>/<slug:verb>/",
        call_views.recording_control,
        name="recording_control",
    ),
    path("recordings/<int:call_id>.wav", call_views.recording_file, name="recording"),
    path("live-calls/", live_views.live_calls, name="live_calls"),
    path("listen/<int:interaction_id>/<slug:verb>/", live_views.listen, name="listen"),
    path("join/<int:interaction_id>/<slug:verb>/", live_views.join, name="join"),
    path(
        "conference/<int:interaction_id>/",
        conference_views.conference_state,
        name="conference_state",
    ),
    path(
        "conference/<int:interaction_id>/<slug:verb>/",
        conference_views.conference_control,
        name="conference",
    ),
]
