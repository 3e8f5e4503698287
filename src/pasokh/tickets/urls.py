from django.urls import path

from pasokh.tickets import views

app_name = "tickets"

urlpatterns = [
    path("", views.ticket_list, name="list"),
    path("new/", views.ticket_new, name="new"),
    path("<int:ticket_id>/", views.ticket_detail, name="detail"),
    path("<int:ticket_id>/status/", views.ticket_status, name="status"),
    path("<int:ticket_id>/comment/", views.ticket_comment, name="comment"),
    path("<int:ticket_id>/assign/", views.ticket_assign, name="assign"),
]
