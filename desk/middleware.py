"""A desk page that meets a locked database answers with a plain page, never a 500.

On PostgreSQL the desk refuses a save on an issue being imported before it touches a row
(desk.workflow.refuse_while_importing, with the import's advisory lock). SQLite has no such
locks: an import holds the database's one write lock until it commits, and a desk request
that needs the database meanwhile waits for SQLite's busy timeout and then fails with
"database is locked" (or at once with "database table is locked" on a shared-cache
database). Nothing was written (the request's transaction rolled back); this says so, in
Chinese, with 503 and Retry-After, so the browser's back button returns to the form as it was.
"""

from django.db import OperationalError
from django.template.response import TemplateResponse


class DatabaseBusyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError) or "locked" not in str(exception):
            return None
        response = TemplateResponse(request, "admin/newsroom/database_busy.html", status=503)
        response["Retry-After"] = "5"
        return response.render()
