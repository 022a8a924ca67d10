"""The admin's permission matrix over HTTP: every registered model × every role × the states
that matter, each asked for view, add, change and delete (issue #10).

The models are listed from ``admin.site._registry``, so a model registered without a row
here fails ``test_every_registered_model_has_a_row``. Each cell is what the role gets:

    v  the change page answers (to view)        a  may add (in that state, where it matters)
    c  may change (the change page can save)    d  may delete
    -  none of it

For the content models (articles, bylines, photos, photo news, pages, issues) each letter is
also tried for real with a CSRF-checked POST, and the database must agree: what the table
refuses changes nothing, what it allows is written (published ones as a correction)."""

import datetime

from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Byline, Correction, Photo
from desk.models import Transition
from issues.models import Issue, IssueCorrection
from tests import factories
from tests.desk.doors import DoorTestCase, form_values

ROLES = ("correspondent", "editor", "layout", "chief", "superuser")
A = Article.Status

# (model, state): letters for       通讯员   编辑    组版    责任编辑 superuser
EXPECTED = {
    ("articles.article", "draft"): ("vac", "vac", "v", "v", "vacd"),
    ("articles.article", "submitted"): ("va", "vac", "v", "v", "vacd"),
    ("articles.article", "approved"): ("va", "vac", "v", "v", "vacd"),
    ("articles.article", "placed"): ("va", "vac", "v", "v", "vac"),
    ("articles.article", "published"): ("va", "va", "v", "v", "va"),
    ("articles.byline", "draft"): ("vacd", "vacd", "v", "v", "vacd"),
    ("articles.byline", "submitted"): ("v", "vacd", "v", "v", "vacd"),
    ("articles.byline", "approved"): ("v", "vacd", "v", "v", "vacd"),
    ("articles.byline", "placed"): ("v", "vacd", "v", "v", "vacd"),
    ("articles.byline", "published"): ("v", "v", "v", "vacd", "vacd"),
    ("articles.photo", "draft"): ("vacd", "vacd", "v", "v", "vacd"),
    ("articles.photo", "submitted"): ("v", "vacd", "v", "v", "vacd"),
    ("articles.photo", "approved"): ("v", "vacd", "v", "v", "vacd"),
    ("articles.photo", "placed"): ("v", "vacd", "v", "v", "vacd"),
    ("articles.photo", "published"): ("v", "v", "v", "vacd", "vacd"),
    ("articles.photo", "news, issue unpublished"): ("-", "vacd", "v", "v", "vacd"),
    ("articles.photo", "news, issue published"): ("-", "v", "v", "vacd", "vacd"),
    ("articles.correction", "published"): ("-", "v", "v", "v", "v"),
    ("desk.transition", "any"): ("-", "-", "-", "-", "v"),
    ("issues.publication", "any"): ("-", "v", "v", "v", "vacd"),
    ("issues.issue", "unpublished"): ("-", "v", "v", "vac", "vacd"),
    ("issues.issue", "published"): ("-", "v", "v", "vac", "vac"),
    ("issues.issuecorrection", "published"): ("-", "v", "v", "v", "v"),
    ("issues.page", "issue unpublished"): ("-", "v", "vac", "vac", "vacd"),
    ("issues.page", "issue published"): ("-", "v", "v", "v", "v"),
    ("people.person", "any"): ("v", "vac", "v", "v", "vacd"),
    ("auth.group", "any"): ("-", "-", "-", "-", "vacd"),
    ("auth.user", "any"): ("-", "-", "-", "-", "vacd"),
    ("axes.accessattempt", "any"): ("-", "-", "-", "-", "vcd"),  # axes: read-only fields
    ("axes.accesslog", "any"): ("-", "-", "-", "-", "vcd"),
    ("axes.accessfailurelog", "any"): ("-", "-", "-", "-", "vcd"),
    ("django_tasks_database.dbtaskresult", "any"): ("-", "-", "-", "-", "v"),
}

# Content models: the field a change POST alters, and the value it posts.
CHANGES = {
    "articles.article": ("subheadline", "矩阵副题"),
    "articles.byline": ("order", 7),
    "articles.photo": ("order", 7),
    "issues.page": ("name", "矩阵版"),
    "issues.issue": ("submission_email", "matrix@example.cn"),
}
NOTE = "矩阵核对"
# Whether one may add these depends on the state of the article or issue they go into.
STATEFUL_ADD = ("articles.byline", "articles.photo", "issues.page")


class AdminMatrixTests(DoorTestCase):
    # Objects in each state; the correspondent filed every article.

    def _article(self, state):
        page = None
        if state in ("placed", "published"):
            issue_status = Issue.Status.PUBLISHED if state == "published" else "in_layout"
            page = factories.open_issue(pages=1, status=issue_status).pages.get()
        return factories.article(
            page,
            status=state,
            created_by=self.desk.correspondent,
            published_at=timezone.now() if state == "published" else None,
        )

    def _issue(self, state):
        return factories.open_issue(
            pages=2,
            status=Issue.Status.PUBLISHED if "published" in state and "un" not in state else None,
        )

    def make(self, label, state):
        AdminMatrixTests.counter += 1
        if label == "articles.article":
            return self._article(state)
        if label == "articles.byline":
            return Byline.objects.create(
                article=self._article(state), person=factories.person("丁小勇"), role="reporter"
            )
        if label == "articles.photo":
            if state.startswith("news"):
                return factories.photo(page=self._issue(state).pages.first())
            return factories.photo(article=self._article(state))
        if label == "articles.correction":
            return Correction.objects.create(article=self._article(state), note="错字")
        if label == "desk.transition":
            return Transition.objects.create(
                article=self._article("draft"), action="submit", from_state="draft", to_state="x"
            )
        if label == "issues.publication":
            return factories.publication()
        if label == "issues.issue":
            return self._issue(state)
        if label == "issues.issuecorrection":
            return IssueCorrection.objects.create(issue=self._issue("published"), note="报头有误")
        if label == "issues.page":
            return self._issue(state).pages.last()
        if label == "people.person":
            return factories.person("缪杰明")
        if label == "auth.group":
            return Group.objects.create(name=f"矩阵组{self.counter}")
        if label == "auth.user":
            return factories.user(f"matrix{self.counter}")
        return self.make_other(self.model(label))

    counter = 0

    @staticmethod
    def model(label):
        return next(m for m in admin.site._registry if m._meta.label_lower == label)

    def make_other(self, model):
        label = model._meta.label_lower
        if label.startswith("axes."):
            fields = {
                "user_agent": "curl",
                "ip_address": "10.0.0.1",
                "username": f"matrix{self.counter}",
                "http_accept": "*/*",
                "path_info": "/admin/login/",
            }
            if label == "axes.accessattempt":
                fields.update(get_data="", post_data="", failures_since_start=1)
            if label == "axes.accesslog":
                fields.update(attempt_time=timezone.now())
            if label == "axes.accessfailurelog":
                fields.update(attempt_time=timezone.now(), locked_out=False)
            concrete = {f.name for f in model._meta.get_fields()}
            return model.objects.create(**{k: v for k, v in fields.items() if k in concrete})
        if label == "django_tasks_database.dbtaskresult":
            return model.objects.create(
                task_path="public.prerender.render_issue_pages",
                args_kwargs={"args": [], "kwargs": {}},
                queue_name="default",
                backend_name="default",
                priority=0,
                run_after=timezone.now() + datetime.timedelta(days=1),
            )
        raise AssertionError(f"no way to make a {label} in the matrix")

    # What the admin offers (GET) and what a POST does.

    def offered(self, obj, role, state):
        """The letters the admin's pages show; adding a byline, photo or page is tried with a
        POST, since whether it is allowed depends on the article or issue it goes into."""
        opts = obj._meta
        label = opts.label_lower
        may_add = self.posted_add(label, state, role) if label in STATEFUL_ADD else None
        self.as_(role)
        change = self.client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        )
        add = self.client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        delete = self.client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        )
        letters = ""
        if change.status_code == 200:
            letters += "v"
        if may_add if may_add is not None else add.status_code == 200:
            letters += "a"
        if change.status_code == 200 and b'name="_save"' in change.content:
            letters += "c"
        if delete.status_code == 200:
            letters += "d"
        return letters or "-"

    def posted_change(self, obj, role) -> bool:
        label = obj._meta.label_lower
        name, value = CHANGES[label]
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        self.as_("superuser")
        data = form_values(self.client.get(url))
        data.update({name: value, "correction_note": NOTE})
        self.as_(role)
        self.post(url, data)
        fresh = type(obj).objects.filter(pk=obj.pk).first()
        return fresh is not None and getattr(fresh, name) == value

    def posted_delete(self, obj, role) -> bool:
        opts = obj._meta
        self.as_(role)
        self.post(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk]),
            {"post": "yes", "correction_note": NOTE},
        )
        return not type(obj).objects.filter(pk=obj.pk).exists()

    def posted_add(self, label, state, role) -> bool:
        """A new byline, photo or page in that state's article or issue."""
        self.as_(role)
        if label == "articles.byline":
            article = self._article(state)
            data = {
                "person": factories.person("新署名").pk,
                "role": "editor",
                "article": article.pk,
                "order": 0,
            }
            self.post(reverse("admin:articles_byline_add"), {**data, "correction_note": NOTE})
            return article.bylines.exists()
        if label == "articles.photo":
            if state.startswith("news"):
                page = self._issue(state).pages.first()
                where = {"page": page.pk, "article": ""}
                found = Photo.objects.filter(page=page)
            else:
                article = self._article(state)
                where = {"article": article.pk, "page": ""}
                found = Photo.objects.filter(article=article)
            data = {
                "caption": "矩阵图片。",
                "order": 0,
                "credit_role": "",
                "alt_text": "",
                "photographer": "",
                **where,
            }
            self.post(reverse("admin:articles_photo_add"), {**data, "correction_note": NOTE})
            return found.exists()
        if label == "issues.page":
            issue = self._issue(state)
            self.post(
                reverse("admin:issues_page_add"), {"issue": issue.pk, "number": 9, "name": ""}
            )
            return issue.pages.filter(number=9).exists()
        raise AssertionError(label)

    # The tests.

    def test_every_registered_model_has_a_row(self):
        registered = {model._meta.label_lower for model in admin.site._registry}
        in_table = {label for label, _ in EXPECTED}
        self.assertEqual(registered, in_table)

    def test_each_role_is_offered_what_the_table_says(self):
        for (label, state), row in EXPECTED.items():
            for role, expected in zip(ROLES, row, strict=True):
                with self.subTest(model=label, state=state, role=role):
                    obj = self.make(label, state)
                    self.assertEqual(self.offered(obj, role, state), expected)

    def test_each_role_posts_what_the_table_says(self):
        for (label, state), row in EXPECTED.items():
            if label not in CHANGES:
                continue
            for role, expected in zip(ROLES, row, strict=True):
                with self.subTest(model=label, state=state, role=role, step="change"):
                    self.assertEqual(
                        self.posted_change(self.make(label, state), role), "c" in expected
                    )
                with self.subTest(model=label, state=state, role=role, step="delete"):
                    self.assertEqual(
                        self.posted_delete(self.make(label, state), role), "d" in expected
                    )


# Our management commands and what they may write. A new command fails the test below until
# someone has checked it goes through the desk's services (or writes nothing readers see).
COMMANDS = {
    "import_issues": "the loader: printed back issues (backissues/, its own rules)",
    "export_issue": "nothing (prints an issue)",
    "export_issues": "nothing in the database (writes files)",
    "rebuild_search_index": "the search index, derived from the articles",
    "demo_staff": "logins and their link to a person",
    "publish_scheduled": "issues, through desk.issue_services.publish_issue",
    "copy_media_to_storage": "nothing in the database (copies stored files, same names)",
    "refresh_renditions": "photos' derived renditions only (never text, caption or credit)",
}
OUR_APPS = (
    "articles",
    "backissues",
    "desk",
    "epaper",
    "imaging",
    "issues",
    "people",
    "public",
    "search",
)


class CommandDoorTests(DoorTestCase):
    def test_every_command_of_ours_is_reviewed(self):
        from django.core.management import get_commands

        ours = {name for name, app in get_commands().items() if app in OUR_APPS}
        self.assertEqual(ours, set(COMMANDS))
