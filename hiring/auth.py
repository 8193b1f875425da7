"""Authentication backend: the user of each request comes with their company roles, and Django's
model permissions are read in one query per request instead of two."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db import router

from .selectors import TIME_ZONE_LOOKUPS, time_zone_from_rows


class OneQueryModelBackend(ModelBackend):
    """Django's ModelBackend, but a user's own and their groups' permissions come from one UNION
    query. Every admin page asks for them (the navigation lists the apps a user may open)."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            if user_obj.is_superuser:
                return super().get_all_permissions(user_obj, obj)
            fields = ("content_type__app_label", "codename")
            own = Permission.objects.filter(user=user_obj).values_list(*fields).order_by()
            grouped = Permission.objects.filter(group__user=user_obj).values_list(*fields).order_by()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in own.union(grouped)}
        return user_obj._perm_cache


class MembershipModelBackend(OneQueryModelBackend):
    """Django's ModelBackend (model permissions in one query), except that the user read from the
    session on every request also carries their roles by company and the time zone of their pages,
    read in the same query (a join on their memberships, their companies and their profile).

    Every admin page needs both; reading them together saves a query on each page. The roles are
    read afresh with the user on every request, so a changed or removed membership counts at once.
    """

    def get_user(self, user_id):
        User = get_user_model()
        fields = [f.attname for f in User._meta.concrete_fields]
        try:
            rows = list(
                User._default_manager.filter(pk=user_id)
                .order_by("memberships__id")
                .values_list(*fields, *TIME_ZONE_LOOKUPS, "memberships__company_id", "memberships__role")
            )
        except (ValueError, TypeError):
            return None
        if not rows:
            return None
        user = User.from_db(router.db_for_read(User), fields, rows[0][: len(fields)])
        user.preloaded_roles = {row[-2]: row[-1] for row in rows if row[-2] is not None}
        user.preloaded_time_zone = time_zone_from_rows(row[-4:-2] for row in rows)
        return user if self.user_can_authenticate(user) else None
