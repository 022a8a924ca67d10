from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Issue, LayoutCredit, Page, Publication


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


@admin.register(Publication)
class PublicationAdmin(admin.ModelAdmin):
    form = PublicationForm
    list_display = ["name", "slug", "sponsor_role", "submission_email"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


class PageInline(admin.TabularInline):
    model = Page
    extra = 0
    fields = ["number", "name", "scan"]


class LayoutCreditInline(admin.TabularInline):
    model = LayoutCredit
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["person", "order"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "date",
        "number_in_year",
        "number",
        "responsible_editor",
        "status",
        "is_published",
    ]
    list_select_related = ["publication", "responsible_editor"]
    list_filter = ["publication", "status", ("date", admin.DateFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["number", "publication__name"]
    autocomplete_fields = ["responsible_editor"]
    inlines = [PageInline, LayoutCreditInline]
    readonly_fields = ["updated_at"]

    @admin.display(boolean=True, description=_("published"))
    def is_published(self, issue):
        return issue.is_published


@admin.register(Page)
class PageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "issue", "number", "name", "has_scan"]
    list_select_related = ["issue__publication"]
    list_filter = ["issue__publication", "issue__status"]
    search_fields = ["name", "issue__number"]
    autocomplete_fields = ["issue"]

    @admin.display(boolean=True, description=_("scan"))
    def has_scan(self, page):
        return bool(page.scan)
