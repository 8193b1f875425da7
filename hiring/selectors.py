"""Reads for the hiring app: who belongs where, scoped querysets."""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet

from .models import Company, Membership


def company_path_of(model: type[Model]) -> str | None:
    """The ORM path from a model to its Company, or None for data that belongs to no company."""
    if model is Company:
        return "pk"
    if model is get_user_model():
        return "memberships__company"
    path = getattr(model, "company_path", None)
    if path:
        return path
    if any(f.name == "company" for f in model._meta.get_fields()):
        return "company"
    return None


def company_id_of(obj: Model) -> int | None:
    """The company id an object belongs to, following its model's company path."""
    path = company_path_of(type(obj))
    if path is None:
        return None
    if path == "pk":
        return obj.pk
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def roles_by_company(user) -> dict[int, str]:
    """Map company id to the user's role there (one role per company)."""
    if not user.is_authenticated:
        return {}
    return dict(Membership.objects.filter(user_id=user.pk).values_list("company_id", "role"))


def scope_to_companies(queryset: QuerySet, company_ids: Iterable[int]) -> QuerySet:
    """Restrict any queryset of company data to the given companies; other data is returned as is."""
    path = company_path_of(queryset.model)
    if path is None:
        return queryset
    scoped = queryset.filter(**{f"{path}__in": list(company_ids)})
    if queryset.model is get_user_model():
        scoped = scoped.distinct()
    return scoped
