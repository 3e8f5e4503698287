from django.urls import path

from pasokh.orders import views

app_name = "orders"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("new/", views.order_new, name="new"),
    path("<int:order_id>/", views.order_detail, name="detail"),
    path("<int:order_id>/status/", views.order_status, name="status"),
    path("products/", views.products, name="products"),
    path("products/new/", views.product_edit, name="product_new"),
    path("products/<int:product_id>/", views.product_edit, name="product_edit"),
]
