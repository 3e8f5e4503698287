"""Orders over REST: agents take and move orders; supervisors keep the catalog."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router, Status
from ninja.errors import HttpError

from pasokh.contacts.models import Contact
from pasokh.interactions.access import access_interaction
from pasokh.orders import actions
from pasokh.orders.access import access_order, access_product, require_catalog_editor
from pasokh.orders.models import Order, Product
from pasokh.orders.schemas import (
    LineIn,
    LinesIn,
    OrderIn,
    OrderOut,
    ProductIn,
    ProductOut,
    StatusIn,
)
from pasokh.orders.workflow import OrderError, allowed_next
from pasokh.tenancy.access import access, visible_to

router = Router(tags=["orders"])


def _user(request: HttpRequest) -> Any:
    return request.auth  # type: ignore[attr-defined]


def _editor(request: HttpRequest) -> Any:
    user = _user(request)
    try:
        require_catalog_editor(user)
    except PermissionDenied as error:
        raise HttpError(403, "Supervisors and admins only") from error
    return user


def _out(order: Order) -> dict[str, Any]:
    return {
        "id": order.pk,
        "number": order.number,
        "contact_id": order.contact_id,
        "interaction_id": order.interaction_id,
        "status": order.status,
        "note": order.note,
        "total_rials": order.total_rials,
        "created_at": order.created_at,
        "lines": [
            {
                "product_id": line.product_id,
                "product_name": line.product.name,
                "quantity": line.quantity,
                "unit_price_rials": line.unit_price_rials,
                "total_rials": line.total_rials,
            }
            for line in order.lines.select_related("product")
        ],
        "allowed_statuses": allowed_next(order.status),
    }


def _lines(user: Any, lines: list[LineIn]) -> list[tuple[Product, int]]:
    return [(access_product(user, line.product_id), line.quantity) for line in lines]


@router.get("/products", response=list[ProductOut])
def list_products(request: HttpRequest, active: bool | None = None) -> Any:
    products = visible_to(_user(request), Product)
    return products if active is None else products.filter(is_active=active)


@router.get("/products/{product_id}", response=ProductOut)
def get_product(request: HttpRequest, product_id: int) -> Any:
    return access_product(_user(request), product_id)


@router.post("/products", response={201: ProductOut})
def create_product(request: HttpRequest, payload: ProductIn) -> Any:
    user = _editor(request)
    try:
        return Status(
            201, actions.do_save_product(tenant=user.tenant, actor=user, **payload.dict())
        )
    except OrderError as error:
        raise HttpError(409, str(error)) from error


@router.put("/products/{product_id}", response=ProductOut)
def update_product(request: HttpRequest, product_id: int, payload: ProductIn) -> Any:
    user = _editor(request)
    product = access_product(user, product_id)
    try:
        return actions.do_save_product(
            tenant=user.tenant, actor=user, product=product, **payload.dict()
        )
    except OrderError as error:
        raise HttpError(409, str(error)) from error


@router.get("/orders", response=list[OrderOut])
def list_orders(
    request: HttpRequest, status: str | None = None, contact_id: int | None = None
) -> Any:
    orders = visible_to(_user(request), Order)
    if status:
        orders = orders.filter(status=status)
    if contact_id:
        orders = orders.filter(contact_id=contact_id)
    return [_out(order) for order in orders[:200]]


@router.post("/orders", response={201: OrderOut})
def create_order(request: HttpRequest, payload: OrderIn) -> Any:
    user = _user(request)
    contact = access(user, Contact, payload.contact_id)
    interaction = (
        access_interaction(user, payload.interaction_id) if payload.interaction_id else None
    )
    try:
        order = actions.do_create_order(
            tenant=user.tenant,
            actor=user,
            contact=contact,
            interaction=interaction,
            lines=_lines(user, payload.lines),
            note=payload.note,
        )
    except OrderError as error:
        raise HttpError(422, str(error)) from error
    return Status(201, _out(order))


@router.get("/orders/{order_id}", response=OrderOut)
def get_order(request: HttpRequest, order_id: int) -> Any:
    return _out(access_order(_user(request), order_id))


@router.put("/orders/{order_id}/lines", response=OrderOut)
def update_lines(request: HttpRequest, order_id: int, payload: LinesIn) -> Any:
    user = _user(request)
    order = access_order(user, order_id)
    try:
        order = actions.do_update_order_lines(
            order=order, actor=user, lines=_lines(user, payload.lines), note=payload.note
        )
    except OrderError as error:
        raise HttpError(409, str(error)) from error
    return _out(order)


@router.post("/orders/{order_id}/status", response=OrderOut)
def change_status(request: HttpRequest, order_id: int, payload: StatusIn) -> Any:
    user = _user(request)
    order = access_order(user, order_id)
    try:
        order = actions.do_change_order_status(order=order, actor=user, status=payload.status)
    except OrderError as error:
        raise HttpError(409, str(error)) from error
    return _out(order)
