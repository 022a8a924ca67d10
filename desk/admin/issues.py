from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles.models import Article
from desk import history, services, steps, workflow
from desk.admin.common import SearchTermMixin, status_badge
from issues.models import Issue, LayoutCredit, Page, Publication


class SponsorsField(forms.CharField):
    """The ordered sponsor list, edited as one sponsor a line."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(value)
        return value

    def to_python(self, value):
        value = super().to_python(value)
        return [line.strip() for line in value.splitlines() if line.strip()]


class PublicationForm(forms.ModelForm):
    sponsors = SponsorsField(
        label=_("sponsors"), required=False, help_text=_("One sponsor a line, in printed order.")
    )
    epaper_url = forms.URLField(label=_("e-paper URL"), required=False, assume_scheme="https")

    class Meta:
        model = Publication
        fields = ["name", "slug", "sponsors", "sponsor_role", "epaper_url", "submission_email"]


class IssueForm(forms.ModelForm):
    """An issue's own masthead is edited like the publication's defaults."""

    sponsors = SponsorsField(
        label=_("sponsors"), required=False, help_text=_("One sponsor a line, in printed order.")
    )
    epaper_url = forms.URLField(label=_("e-paper URL"), required=False, assume_scheme="https")

    class Meta:
        model = Issue
        fields = [
            "publication",
            "date",
            "number_in_year",
            "number",
            "responsible_editor",
            *Issue.MASTHEAD_FIELDS,
            "extra",
        ]


@admin.register(Publication)
class PublicationAdmin(SearchTermMixin, admin.ModelAdmin):
    form = PublicationForm
    list_display = ["name", "slug", "sponsor_role", "submission_email"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ["number", "name", "scan"]

    def has_delete_permission(self, request, obj=None):
        # A page with articles is protected anyway; a published issue keeps its pages.
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)


class LayoutCreditInline(admin.TabularInline):
    model = LayoutCredit
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "order"]


def _issue_step_action(name):
    rule = workflow.TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        for issue in queryset:
            try:
                steps.take(name, obj=issue, by=request.user)
            except workflow.WorkflowError as refused:
                modeladmin.message_user(request, f"{issue}：{refused}", messages.ERROR)
            else:
                modeladmin.message_user(request, f"{issue}：{rule.label}", messages.SUCCESS)

    action.__name__ = f"{name}_selected"
    action.short_description = rule.label
    action.allowed_permissions = ("workflow",)
    return action


class PlaceForm(forms.Form):
    """Layout without JavaScript: an article, a page of this issue and a position."""

    article = forms.ModelChoiceField(queryset=Article.objects.none())
    page = forms.ModelChoiceField(queryset=Page.objects.none(), label=_("page"))
    order = forms.IntegerField(label=_("order on the page"), min_value=0, max_value=999)

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.filter(
            status__in=[Article.Status.APPROVED, Article.Status.PLACED]
        )
        self.fields["page"].queryset = issue.pages.all()


class UnplaceForm(forms.Form):
    article = forms.ModelChoiceField(queryset=Article.objects.none())

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.filter(page__issue=issue)


@admin.register(Issue)
class IssueAdmin(SearchTermMixin, admin.ModelAdmin):
    list_display = [
        "__str__",
        "date",
        "number_in_year",
        "number",
        "responsible_editor",
        "status_label",
        "is_published",
    ]
    actions = [_issue_step_action("start_layout"), _issue_step_action("mark_ready")]
    list_select_related = ["publication", "responsible_editor"]
    list_filter = ["publication", "status", ("date", admin.DateFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["number", "publication__name"]
    autocomplete_fields = ["responsible_editor"]
    inlines = [PageInline, LayoutCreditInline]
    # Status and publication time change only through the workflow steps.
    readonly_fields = ["status_label", "published_at", "updated_at"]
    form = IssueForm
    fields = [
        "publication",
        "date",
        "number_in_year",
        "number",
        "responsible_editor",
        *Issue.MASTHEAD_FIELDS,
        "extra",
        "status_label",
        "published_at",
        "updated_at",
    ]

    def get_fields(self, request, obj=None):
        if obj is None:
            # A new issue starts from its publication's masthead (see save_model).
            return [name for name in self.fields if name not in Issue.MASTHEAD_FIELDS]
        return self.fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.masthead_from(obj.publication)
        super().save_model(request, obj, form, change)

    @admin.display(boolean=True, description=_("published"))
    def is_published(self, issue):
        return issue.is_published

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, issue):
        return status_badge(issue)

    def has_workflow_permission(self, request):
        return request.user.is_staff and bool(
            request.user.is_superuser or workflow.group_names(request.user)
        )

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(
                steps=steps.buttons(obj, request.user),
                blockers=workflow.publish_blockers(obj) if not obj.is_published else [],
                timeline=history.timeline(obj),
                layout_url=reverse("admin:issues_issue_layout", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/step/<str:name>/",
                self.admin_site.admin_view(self.step_view),
                name="issues_issue_step",
            ),
            path(
                "<int:object_id>/layout/",
                self.admin_site.admin_view(self.layout_view),
                name="issues_issue_layout",
            ),
            *super().get_urls(),
        ]

    def _visible(self, request, object_id):
        if not self.has_view_permission(request):
            raise workflow.NotAllowed(gettext("You may not see this issue."))
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def step_view(self, request, object_id, name):
        return require_POST(self._step)(request, object_id, name)

    def _step(self, request, object_id, name):
        issue = self._visible(request, object_id)
        try:
            steps.take(name, obj=issue, by=request.user, note=request.POST.get("note", ""))
        except workflow.WorkflowError as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(
                request, f"{issue}：{workflow.TRANSITIONS[name].label}", messages.SUCCESS
            )
        next_url = request.POST.get("next", "")
        if next_url.startswith("/admin/"):
            return HttpResponseRedirect(next_url)
        return HttpResponseRedirect(reverse("admin:issues_issue_change", args=[issue.pk]))

    def layout_view(self, request, object_id):
        """组版: approved articles waiting for a page, and the pages with their articles in
        order; plain forms place, move and take off articles (no JavaScript needed)."""
        issue = self._visible(request, object_id)
        may_place = workflow.TRANSITIONS["place"].may(request.user)
        if request.method == "POST":
            return self._layout_post(request, issue)
        # Queries: the issue, its pages with their articles (one prefetch), the waiting
        # approved articles, and the issue's transitions.
        pages = list(
            issue.pages.order_by("number").prefetch_related(
                Prefetch(
                    "articles",
                    queryset=Article.objects.order_by("order", "pk"),
                    to_attr="ordered_articles",
                )
            )
        )
        waiting = list(
            Article.objects.filter(status=Article.Status.APPROVED, page__isnull=True)
            .select_related("created_by__person")
            .order_by("updated_at", "pk")
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Layout of %(issue)s") % {"issue": issue},
            "issue": issue,
            "original": issue,
            "pages": pages,
            "waiting": waiting,
            "may_place": may_place and issue.status in workflow.OPEN_ISSUE_STATES,
            "steps": steps.buttons(issue, request.user),
            "blockers": workflow.publish_blockers(issue) if not issue.is_published else [],
            "next_url": request.get_full_path(),
        }
        return TemplateResponse(request, "admin/issues/issue/layout.html", context)

    def _layout_post(self, request, issue):
        form = PlaceForm(request.POST, issue=issue)
        back = HttpResponseRedirect(reverse("admin:issues_issue_layout", args=[issue.pk]))
        if "unplace" in request.POST:
            chosen = UnplaceForm(request.POST, issue=issue)
            if not chosen.is_valid():
                self.message_user(
                    request, gettext("Choose an article of this issue."), messages.ERROR
                )
                return back
            article = chosen.cleaned_data["article"]
            try:
                services.unplace(article=article, by=request.user)
            except workflow.WorkflowError as refused:
                self.message_user(request, str(refused), messages.ERROR)
            else:
                self.message_user(request, gettext("“%(a)s” taken off the page.") % {"a": article})
            return back
        if not form.is_valid():
            errors = "；".join(
                f"{form.fields[name].label or name}：{'，'.join(messages_)}"
                for name, messages_ in form.errors.items()
            )
            self.message_user(request, errors, messages.ERROR)
            return back
        article, page = form.cleaned_data["article"], form.cleaned_data["page"]
        try:
            services.place(
                article=article, page=page, order=form.cleaned_data["order"], by=request.user
            )
        except workflow.WorkflowError as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("“%(a)s” placed on %(p)s, position %(o)s.")
                % {"a": article, "p": page, "o": form.cleaned_data["order"]},
            )
        return back


@admin.register(Page)
class PageAdmin(SearchTermMixin, admin.ModelAdmin):
    list_display = ["__str__", "issue", "number", "name", "has_scan"]
    list_select_related = ["issue__publication"]
    list_filter = ["issue__publication", "issue__status"]
    search_fields = ["name", "issue__number"]
    autocomplete_fields = ["issue"]

    @admin.display(boolean=True, description=_("scan"))
    def has_scan(self, page):
        return bool(page.scan)
