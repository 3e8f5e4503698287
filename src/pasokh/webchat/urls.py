from django.urls import path

from pasokh.webchat import views

app_name = "webchat"

urlpatterns = [
    path("widget.js", views.widget_script, name="widget_script"),
    path("config", views.widget_config, name="config"),
    path("start", views.start_chat, name="start"),
    path("offline", views.offline_message, name="offline"),
    path("upload", views.upload, name="upload"),
    path("attachments/<int:attachment_id>/", views.attachment_file, name="attachment"),
]
