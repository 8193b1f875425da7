"""Set up two-factor authentication: a TOTP authenticator app for the logged-in staff member."""

import base64

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.csrf import csrf_protect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice


class TokenForm(forms.Form):
    token = forms.RegexField(regex=r"^\d{6,8}$", label="Code from your app", max_length=8)


def totp_device_for(user) -> tuple[TOTPDevice, bool]:
    """The user's confirmed device, else their pending one (created on first visit)."""
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if confirmed:
        return confirmed, True
    pending, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    return pending, False


@csrf_protect
@login_required(login_url="admin:login")
def two_factor_setup(request):
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied
    device, confirmed = totp_device_for(request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and not confirmed and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            form.add_error("token", "Too many wrong codes in a row: wait a minute, then try again.")
        elif device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, "Two-factor authentication is on. Logins will ask for a code.")
            return redirect("admin:index")
        else:
            form.add_error("token", "That code does not match. Check the time on your phone and try again.")
    context = {
        **admin.site.each_context(request),
        "title": "Two-factor authentication",
        "confirmed": confirmed,
        "form": form,
        "secret": base64.b32encode(device.bin_key).decode() if not confirmed else "",
        "config_url": device.config_url if not confirmed else "",
    }
    return TemplateResponse(request, "admin/two_factor_setup.html", context)
