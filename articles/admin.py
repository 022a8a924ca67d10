from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import search
from .models import Article, Byline, Correction, Photo


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["role", "person", "order"]


class PhotoInline(admin.StackedInline):
    model = Photo
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["photographer"]
    fields = ["image", "caption", "photographer", "credit_role", "alt_text", "order"]


class CorrectionInline(admin.TabularInline):
    model = Correction
    extra = 0
    fields = ["created_at", "note"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "issue_label", "page", "order", "status", "updated_at"]
    list_select_related = ["page__issue__publication"]
    list_filter = [
        "page__issue__publication",
        "status",
        ("page__issue__date", admin.DateFieldListFilter),
    ]
    search_fields = ["headline", "subheadline", "body"]
    autocomplete_fields = ["page"]
    readonly_fields = ["version", "created_by", "created_at", "updated_at", "published_at"]
    fieldsets = [
        (None, {"fields": ["headline", "subheadline", "dateline", "body"]}),
        (_("Placement"), {"fields": ["page", "order", "pages", "breaks"]}),
        (
            _("Status"),
            {
                "fields": [
                    "status",
                    "version",
                    "created_by",
                    "created_at",
                    "updated_at",
                    "published_at",
                ]
            },
        ),
    ]
    inlines = [BylineInline, PhotoInline, CorrectionInline]

    def get_search_results(self, request, queryset, search_term):
        # The same Chinese-aware index as the public search, over every state staff see.
        return search.admin_search(queryset, search_term), False

    @admin.display(description=_("issue"), ordering="page__issue__date")
    def issue_label(self, article):
        return article.issue


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["__str__", "photographer", "article", "page"]
    list_select_related = ["photographer", "article", "page__issue__publication"]
    search_fields = ["caption", "photographer__name"]
    autocomplete_fields = ["photographer", "article", "page"]


@admin.register(Byline)
class BylineAdmin(admin.ModelAdmin):
    list_display = ["person", "role", "article"]
    list_select_related = ["person", "article"]
    list_filter = ["role"]
    search_fields = ["person__name", "article__headline"]
    autocomplete_fields = ["person", "article"]


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    list_display = ["article", "created_at", "created_by"]
    list_select_related = ["article", "created_by"]
    date_hierarchy = "created_at"
    search_fields = ["note", "article__headline"]
    autocomplete_fields = ["article"]
