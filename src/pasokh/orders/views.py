"""Catalog and order pages: agents take orders for a contact, optionally during an interaction."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from pasokh.contacts.models import Contact
from pasokh.interactions.access import access_interaction
from pasokh.orders import actions
from pasokh.orders.access import access_order, access_product, require_catalog_editor
from pasokh.orders.forms import LINE_ROWS, ProductForm, parse_lines
from pasokh.orders.models import Order, Product
from pasokh.orders.workflow import EDITABLE, OrderError, allowed_next
from pasokh.tenancy.access import access, visible_to

CONTACT_CHOICES = 200


def _unit(user: Any) -> str:
    return str(user.tenant.price_unit)


@login_required
def products(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    return render(
        request,
        "orders/products.html",
        {
            "section": "products",
            "products": visible_to(user, Product),
            "can_edit": user.is_supervisor_or_admin,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def product_edit(request: HttpRequest, product_id: int | None = None) -> HttpResponse:
    user: Any = request.user
    require_catalog_editor(user)
    product = access_product(user, product_id) if product_id else None
    initial = {}
    if product is not None:
        shown = product.price_rials // 10 if _unit(user) == "toman" else product.price_rials
        initial = {
            "name": product.name,
            "sku": product.sku,
            "price": shown,
            "description": product.description,
            "is_active": product.is_active,
        }
    form = ProductForm(_unit(user), request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_save_product(
                tenant=user.tenant,
                actor=user,
                product=product,
                name=data["name"],
                sku=data["sku"],
                price_rials=data["price"],
                description=data["description"],
                is_active=data["is_active"],
            )
            return redirect("orders:products")
        except OrderError as error:
            form.add_error("sku", str(error))
    return render(
        request,
        "orders/product_form.html",
        {"section": "products", "form": form, "product": product},
    )


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    orders = visible_to(user, Order).select_related("contact", "created_by")
    status = request.GET.get("status", "")
    if status in Order.Status.values:
        orders = orders.filter(status=status)
    return render(
        request,
        "orders/list.html",
        {
            "section": "orders",
            "orders": orders[:200],
            "statuses": Order.Status.choices,
            "status": status,
        },
    )


def _line_rows(order: Order | None) -> list[tuple[int, int | None, int]]:
    existing = list(order.lines.all()) if order else []
    rows = [(i, line.product_id, line.quantity) for i, line in enumerate(existing)]
    return rows + [(i, None, 1) for i in range(len(rows), len(rows) + LINE_ROWS)]


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    interaction = None
    source = request.POST if request.method == "POST" else request.GET
    if str(source.get("interaction", "")).isdigit():
        interaction = access_interaction(user, int(source["interaction"]))
    contact_id = source.get("contact") or (interaction.contact_id if interaction else None)
    errors: list[str] = []
    if request.method == "POST":
        lines, errors = parse_lines(user, request.POST)
        if not contact_id:
            errors.append(_("Choose the customer."))
        if not errors:
            try:
                order = actions.do_create_order(
                    tenant=user.tenant,
                    actor=user,
                    contact=access(user, Contact, contact_id),
                    interaction=interaction,
                    lines=lines,
                    note=request.POST.get("note", "")[:2000],
                )
                return redirect("orders:detail", order.pk)
            except OrderError as error:
                errors.append(str(error))
    return render(
        request,
        "orders/order_form.html",
        {
            "section": "orders",
            "errors": errors,
            "interaction": interaction,
            "contact_id": str(contact_id or ""),
            "contacts": visible_to(user, Contact)[:CONTACT_CHOICES],
            "products": visible_to(user, Product).filter(is_active=True),
            "rows": _line_rows(None),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    user: Any = request.user
    order = access_order(user, order_id)
    errors: list[str] = []
    if request.method == "POST":
        lines, errors = parse_lines(user, request.POST)
        if not errors:
            try:
                actions.do_update_order_lines(
                    order=order, actor=user, lines=lines, note=request.POST.get("note", "")[:2000]
                )
                return redirect("orders:detail", order.pk)
            except OrderError as error:
                errors.append(str(error))
    return render(
        request,
        "orders/detail.html",
        {
            "section": "orders",
            "order": order,
            "lines": order.lines.select_related("product"),
            "errors": errors,
            "editable": order.status in EDITABLE,
            "products": visible_to(user, Product).filter(is_active=True),
            "rows": _line_rows(order),
            "next_statuses": [(s, Order.Status(s).label) for s in allowed_next(order.status)],
        },
    )


@login_required
@require_POST
def order_status(request: HttpRequest, order_id: int) -> HttpResponse:
    order = access_order(request.user, order_id)
    try:
        actions.do_change_order_status(
            order=order, actor=request.user, status=request.POST.get("status", "")
        )
    except OrderError as error:
        messages.error(request, str(error))
    return redirect("orders:detail", order.pk)
