from django.urls import path

from pasokh.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("canned/", views.canned_list, name="canned_list"),
    path("canned/new/", views.canned_edit, name="canned_new"),
    path("canned/<int:answer_id>/", views.canned_edit, name="canned_edit"),
    path("scripts/", views.scripts, name="scripts"),
    path("scripts/new/", views.script_editor, name="script_new"),
    path("scripts/<int:script_id>/edit/", views.script_editor, name="script_edit"),
    path("scripts/<int:script_id>/run/", views.script_runner, name="script_run"),
    path("articles/", views.articles, name="articles"),
    path("articles/new/", views.article_edit, name="article_new"),
    path("articles/<int:article_id>/", views.article, name="article"),
    path("articles/<int:article_id>/edit/", views.article_edit, name="article_edit"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
]
