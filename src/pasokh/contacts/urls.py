from django.urls import path

from pasokh.contacts import views, views_import

app_name = "contacts"

urlpatterns = [
    path("", views.contact_list_page, name="list"),
    path("export.<str:fmt>", views.export_contacts, name="export"),
    path("<int:contact_id>/", views.contact_detail, name="detail"),
    path("<int:contact_id>/merge/", views.merge_contact, name="merge"),
    path("import/", views_import.upload, name="import"),
    path("import/<int:import_id>/map/", views_import.map_columns, name="import_map"),
    path("import/<int:import_id>/", views_import.progress_page, name="import_progress"),
    path("import/<int:import_id>/status.json", views_import.progress_json, name="import_status"),
    path("import/<int:import_id>/errors.csv", views_import.error_report, name="import_errors"),
]
