"""Authentication backend: the user of each request comes with their company roles."""

from django.contrib.auth import get_user_model
from django.db import router

from config.auth_backends import OneQueryModelBackend


class MembershipModelBackend(OneQueryModelBackend):
    """Django's ModelBackend (model permissions in one query), except that the user read from the
    session on every request also carries their roles by company, read in the same query (a join
    on their memberships).

    Every admin page needs both; reading them together saves a query on each page. The roles are
    read afresh with the user on every request, so a changed or removed membership counts at once.
    """

    def get_user(self, user_id):
        User = get_user_model()
        fields = [f.attname for f in User._meta.concrete_fields]
        try:
            rows = list(
                User._default_manager.filter(pk=user_id)
                .order_by()
                .values_list(*fields, "memberships__company_id", "memberships__role")
            )
        except (ValueError, TypeError):
            return None
        if not rows:
            return None
        user = User.from_db(router.db_for_read(User), fields, rows[0][: len(fields)])
        user.preloaded_roles = {row[-2]: row[-1] for row in rows if row[-2] is not None}
        return user if self.user_can_authenticate(user) else None
