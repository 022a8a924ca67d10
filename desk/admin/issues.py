import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from desk import confirm, history, page_services, people_services, scheduling, steps, workflow
from desk.admin.common import (
    ActionChoicesMixin,
    DeskDoorMixin,
    ReadOnlyAdminMixin,
    SearchTermMixin,
    correction_note,
    correction_note_field,
    status_badge,
)
from desk.views import history as history_views
from desk.views import layout as layout_views
from desk.views import regions as region_views
from desk.views.confirm import confirm_step
from desk.views.report import report_page
from desk.views.signoff import signoff_page
from issues.models import Issue, IssueCorrection, LayoutCredit, Page, Publication


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
    correction_note = correction_note_field(
        _(
            "The issue is published: a change of its masthead or staff is a correction, shown "
            "with this note on the issue page."
        )
    )

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
class PublicationAdmin(DeskDoorMixin, SearchTermMixin, admin.ModelAdmin):
    form = PublicationForm
    list_display = ["name", "slug", "sponsor_role", "submission_email"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]

    def save_model(self, request, obj, form, change):
        # The name published issues printed stays (desk/people_services.py).
        people_services.save_publication(publication=obj, by=request.user)


class PageInline(admin.TabularInline):
    """An issue's pages, until it is published (desk/page_services.py)."""

    model = Page
    extra = 0
    fields = ["number", "name", "scan"]

    def _open(self, request, obj):
        return obj is None or workflow.can_edit_pages(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._open(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._open(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._open(request, obj)


class LayoutCreditInline(admin.TabularInline):
    """组版 in the masthead: layout and the responsible editor until the issue is published,
    then only a correction of the responsible editor."""

    model = LayoutCredit
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "order"]

    def _may(self, request, obj):
        if obj is None or not obj.is_published:
            return True
        return workflow.TRANSITIONS["correct_issue"].may(request.user, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)


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


@admin.register(Issue)
class IssueAdmin(ActionChoicesMixin, DeskDoorMixin, SearchTermMixin, admin.ModelAdmin):
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
    # Status and publication time change only through the workflow steps. The free-form
    # ``extra`` (import metadata) is not for the desk.
    readonly_fields = ["status_label", "published_at", "updated_at"]
    form = IssueForm
    fields = [
        "publication",
        "date",
        "number_in_year",
        "number",
        "responsible_editor",
        *Issue.MASTHEAD_FIELDS,
        "status_label",
        "published_at",
        "updated_at",
    ]

    def get_changeform_initial_data(self, request):
        """A new issue follows the latest one: same paper, next numbers, a week later."""
        initial = super().get_changeform_initial_data(request)
        publications = list(Publication.objects.order_by("name")[:2])
        if len(publications) == 1 and "publication" not in initial:
            initial["publication"] = publications[0].pk
        latest = Issue.objects.order_by("-date", "-number")
        if initial.get("publication"):
            latest = latest.filter(publication_id=initial["publication"])
        latest = latest.first()
        if latest is not None:
            date = latest.date + datetime.timedelta(days=7)
            initial.setdefault("number", latest.number + 1)
            initial.setdefault(
                "number_in_year", latest.number_in_year + 1 if date.year == latest.date.year else 1
            )
            initial.setdefault("date", date)
            if latest.responsible_editor_id:
                initial.setdefault("responsible_editor", latest.responsible_editor_id)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "publication" and Publication.objects.count() == 1:
            field.empty_label = None  # one paper: nothing to choose, no "---------"
        return field

    def get_fields(self, request, obj=None):
        if obj is None:
            # A new issue starts from its publication's masthead (see save_model).
            return [name for name in self.fields if name not in Issue.MASTHEAD_FIELDS]
        if obj.is_published and workflow.TRANSITIONS["correct_issue"].may(request.user, obj):
            return [*self.fields, "correction_note"]
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None and obj.is_published:
            # Every address of the issue is made of these (desk/page_services.py).
            readonly += page_services.IDENTITY_FIELDS
        return readonly

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and obj.is_published)

    # Every write through desk/page_services.py: checked, logged, corrections noted.

    def save_model(self, request, obj, form, change):
        if not change:
            obj.masthead_from(obj.publication)
        request.issue_correction = page_services.save_issue(
            issue=obj, by=request.user, note=correction_note(request)
        )

    def delete_model(self, request, obj):
        page_services.delete_issue(issue=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        if formset.model is Page:
            for page in formset.deleted_objects:
                page_services.delete_page(page=page, by=request.user)
            for page in instances:
                page_services.save_page(page=page, by=request.user)
        elif formset.model is LayoutCredit:
            note = correction_note(request)
            correction = getattr(request, "issue_correction", None)
            for credit in formset.deleted_objects:
                correction = page_services.delete_layout_credit(
                    credit=credit, by=request.user, note=note, correction=correction
                )
            for credit in instances:
                correction = page_services.save_layout_credit(
                    credit=credit, by=request.user, note=note, correction=correction
                )
            request.issue_correction = correction
        else:
            raise AssertionError(f"no desk service for {formset.model}")

    @admin.display(description=_("published"), ordering="published_at")
    def is_published(self, issue):
        # Words, not the admin's yes/no icons (their alternative text is English).
        return gettext("yes") if issue.is_published else gettext("no")

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
                steps_in_form=self.has_change_permission(request, obj),
                steps=steps.buttons(obj, request.user),
                blockers=workflow.publish_blockers(obj) if not obj.is_published else [],
                timeline=history.timeline(obj),
                layout_url=reverse("admin:issues_issue_layout", args=[obj.pk]),
                signoff_url=reverse("admin:issues_issue_signoff", args=[obj.pk]),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        name = request.POST.get("_step")
        if not name:
            return super().response_change(request, obj)
        if name in confirm.CONFIRMED_STEPS:
            return HttpResponseRedirect(reverse("admin:issues_issue_step", args=[obj.pk, name]))
        try:
            steps.take(name, obj=obj, by=request.user, note=request.POST.get("_step_note", ""))
        except workflow.WorkflowError as refused:
            self.message_user(
                request, gettext("Saved, but: %(reason)s") % {"reason": refused}, messages.ERROR
            )
        else:
            self.message_user(
                request, f"{obj}：{workflow.TRANSITIONS[name].label}", messages.SUCCESS
            )
        return HttpResponseRedirect(reverse("admin:issues_issue_change", args=[obj.pk]))

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
            path(
                "report/",
                self.admin_site.admin_view(self.report_view),
                name="issues_issue_report",
            ),
            path(
                "<int:object_id>/signoff/",
                self.admin_site.admin_view(self.signoff_view),
                name="issues_issue_signoff",
            ),
            path(
                "<int:object_id>/cancel-schedule/",
                self.admin_site.admin_view(self.cancel_schedule_view),
                name="issues_issue_cancel_schedule",
            ),
            *super().get_urls(),
        ]

    def _visible(self, request, object_id):
        if not self.has_view_permission(request):
            raise workflow.NotAllowed(gettext("You may not see this issue."))
        return get_object_or_404(self.get_queryset(request), pk=object_id)

    def step_view(self, request, object_id, name):
        if name in confirm.CONFIRMED_STEPS:
            issue = self._visible(request, object_id)
            done = reverse("admin:issues_issue_signoff", args=[issue.pk])
            return confirm_step(self, request, issue, name, done_url=done)
        return require_POST(self._step)(request, object_id, name)

    def report_view(self, request):
        return report_page(self, request)

    def signoff_view(self, request, object_id):
        return signoff_page(self, request, self._visible(request, object_id))

    def cancel_schedule_view(self, request, object_id):
        return require_POST(self._cancel_schedule)(request, object_id)

    def _cancel_schedule(self, request, object_id):
        issue = self._visible(request, object_id)
        try:
            cancelled = scheduling.cancel(issue=issue, by=request.user)
        except workflow.WorkflowError as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            if cancelled:
                self.message_user(
                    request, gettext("The scheduled sign-off was cancelled."), messages.SUCCESS
                )
        return HttpResponseRedirect(reverse("admin:issues_issue_signoff", args=[issue.pk]))

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

    def history_view(self, request, object_id, extra_context=None):
        return history_views.issue_history(self, request, object_id)

    def layout_view(self, request, object_id):
        """组版's page plan (desk/views/layout.py)."""
        issue = self._visible(request, object_id)
        if request.method == "POST":
            return layout_views.post(self, request, issue)
        return layout_views.board(self, request, issue)


@admin.register(Page)
class PageAdmin(DeskDoorMixin, SearchTermMixin, admin.ModelAdmin):
    """Pages, until their issue is published; every write through desk/page_services.py."""

    list_display = ["__str__", "issue", "number", "name", "has_scan"]
    list_select_related = ["issue__publication"]
    list_filter = ["issue__publication", "issue__status"]
    search_fields = ["name", "issue__number"]
    autocomplete_fields = ["issue"]
    fields = ["issue", "number", "name", "scan"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit_pages(request.user, obj.issue))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_edit_pages(request.user, obj.issue))

    def save_model(self, request, obj, form, change):
        page_services.save_page(page=obj, by=request.user)

    def delete_model(self, request, obj):
        page_services.delete_page(page=obj, by=request.user)

    def history_view(self, request, object_id, extra_context=None):
        return history_views.page_history(self, request, object_id)

    @admin.display(description=_("scan"))
    def has_scan(self, page):
        return gettext("yes") if page.scan else gettext("no")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(region_views.editor_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        return [
            path(
                "<int:object_id>/regions/",
                self.admin_site.admin_view(self.regions_view),
                name="issues_page_regions",
            ),
            *super().get_urls(),
        ]

    def regions_view(self, request, object_id):
        """The regions (热区) editor (desk/views/regions.py); its rules are the desk's
        (desk/region_services.py), whatever the model permissions say."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        page = get_object_or_404(
            self.get_queryset(request).select_related("issue__publication"), pk=object_id
        )
        return region_views.regions_page(self, request, page)


@admin.register(IssueCorrection)
class IssueCorrectionAdmin(SearchTermMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A record of the corrections of published issues; they are made through the desk
    (a changed masthead, staff or photo news of a published issue, with a note)."""

    list_display = ["issue", "created_at", "created_by"]
    list_select_related = ["issue__publication", "created_by"]
    date_hierarchy = "created_at"
    search_fields = ["note"]
    fields = ["issue", "note", "created_at", "created_by"]
    readonly_fields = fields
