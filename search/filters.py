import django_filters
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from articles.models import Byline
from issues.models import Publication
from people.models import Person


class IntegerFilter(django_filters.NumberFilter):
    # Whole numbers only: a year of 2024.5 is a form error, not a database error.
    field_class = forms.IntegerField


class ArticleSearchFilter(django_filters.FilterSet):
    """The search page's filters. Dates are the issue's, read from the search row."""

    publication = django_filters.ModelChoiceFilter(
        field_name="page__issue__publication",
        queryset=Publication.objects.all(),
        label=_("Publication"),
        empty_label=_("All publications"),
    )
    year = IntegerFilter(
        field_name="search__date", lookup_expr="year", label=_("Year"), min_value=1, max_value=9999
    )
    date_from = django_filters.DateFilter(
        field_name="search__date", lookup_expr="gte", label=_("From")
    )
    date_to = django_filters.DateFilter(field_name="search__date", lookup_expr="lte", label=_("To"))
    page_number = IntegerFilter(
        field_name="page__number", label=_("Page"), min_value=1, max_value=999
    )
    # Person and role are one condition on one byline (see filter_queryset).
    person = django_filters.ModelChoiceFilter(
        queryset=Person.objects.all(), method="filter_byline", label=_("Person")
    )
    role = django_filters.ChoiceFilter(
        choices=Byline.Role.choices,
        method="filter_byline",
        label=_("Role"),
        empty_label=_("Any role"),
    )

    def filter_byline(self, queryset, name, value):
        return queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        person = self.form.cleaned_data.get("person")
        role = self.form.cleaned_data.get("role")
        if person or role:
            bylines = Byline.objects.filter(article=OuterRef("pk"))
            if person:
                bylines = bylines.filter(person=person)
            if role:
                bylines = bylines.filter(role=role)
            queryset = queryset.filter(Exists(bylines))
        return queryset
