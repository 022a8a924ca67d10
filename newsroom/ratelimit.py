"""A rate limit on POSTs to the admin login, in front of everything else.

django-axes refuses a locked login, but each refused guess still runs the session, CSRF, the
login view, axes' database checks and a template (54–96 ms under load, bench/RESULTS.md), so a
few clients guessing back to back keep the workers from the readers. This middleware, first in
MIDDLEWARE, counts POSTs to the login URL per client address in the cache and, past
LOGIN_POST_RATE in LOGIN_POST_WINDOW seconds, answers a tiny 429 itself: no session, no
database, no template.

It counts every POST to the login URL, whoever sends it: a session cookie is not checked (that
would cost a database read, and an attacker can send any cookie). Staff who are logged in do
not POST to the login page; their other requests are never counted.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import gettext

from newsroom.security import client_ip


class LoginPostRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.LOGIN_POST_RATE
        if limit and request.method == "POST" and request.path_info == reverse("admin:login"):
            refused = self.over_limit(request, limit, settings.LOGIN_POST_WINDOW)
            if refused:
                return refused
        return self.get_response(request)

    @staticmethod
    def over_limit(request, limit: int, window: int) -> HttpResponse | None:
        now = time.time()
        slot = int(now // window)
        key = f"login-post:{client_ip(request) or '-'}:{slot}"
        # add() is a no-op if the key exists; incr() is atomic on Redis and on locmem.
        cache.add(key, 0, timeout=window + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add() and incr(): a new window
            cache.add(key, 1, timeout=window + 5)
            count = 1
        if count <= limit:
            return None
        retry_after = max(1, int((slot + 1) * window - now + 0.999))
        message = gettext("Too many login attempts. Please try again in %(seconds)s seconds.") % {
            "seconds": retry_after
        }
        response = HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
        response["Retry-After"] = str(retry_after)
        response["Cache-Control"] = "no-store"
        return response
