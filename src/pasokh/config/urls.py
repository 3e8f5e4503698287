from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from pasokh.config.api import api

admin.site.site_header = _("Pasokh administration")
admin.site.site_title = _("Pasokh")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("tickets/", include("pasokh.tickets.urls")),
    path("orders/", include("pasokh.orders.urls")),
    path("knowledge/", include("pasokh.knowledge.urls")),
    path("webchat/", include("pasokh.webchat.urls")),
    path("desk/", include("pasokh.desk.urls")),
    path("voice/", include("pasokh.voice.urls")),
    path("planning/", include("pasokh.planning.urls")),
    path("contacts/", include("pasokh.contacts.urls")),
    path("", include("pasokh.web.urls")),
]
