from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Pasokh administration")
admin.site.site_title = _("Pasokh")
admin.site.index_title = _("Configuration")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("pasokh.web.urls")),
]
