"""Security pieces the settings point to: the Permissions-Policy header, the client address
behind the load balancer, and the page a locked-out login gets (django-axes)."""

from django.conf import settings
from django.shortcuts import render

# Powerful features no page of ours uses. Fullscreen stays allowed for our own pages (e-paper).
PERMISSIONS_POLICY = ", ".join(
    [
        "accelerometer=()",
        "autoplay=()",
        "camera=()",
        "display-capture=()",
        "encrypted-media=()",
        "fullscreen=(self)",
        "geolocation=()",
        "gyroscope=()",
        "magnetometer=()",
        "microphone=()",
        "midi=()",
        "payment=()",
        "publickey-credentials-get=()",
        "screen-wake-lock=()",
        "usb=()",
        "xr-spatial-tracking=()",
    ]
)


class PermissionsPolicyMiddleware:
    """Sends Permissions-Policy on every response (Django has no setting for it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def client_ip(request) -> str | None:
    """The reader's address for the login lock-out. Behind DJANGO_TRUSTED_PROXIES load balancers,
    the address the nearest trusted proxy saw (counted from the right of X-Forwarded-For, so a
    client cannot choose it); otherwise REMOTE_ADDR."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def locked_out(request, credentials, *args, **kwargs):
    """What django-axes answers once a user name or an address has failed too often: 429 with
    a Chinese page saying how long to wait."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    from django.contrib import admin

    context = {**admin.site.each_context(request), "minutes": minutes, "title": ""}
    return render(request, "registration/locked_out.html", context, status=429)
