"""The monthly 稿费/工作量 report in the desk, and as CSV and XLSX downloads."""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk import report, workflow
from issues.models import Publication


def may_see(user) -> bool:
    return user.is_superuser or bool(
        workflow.group_names(user) & {workflow.CHIEF_EDITOR, workflow.EDITOR}
    )


class MonthForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )
    publication = forms.ModelChoiceField(
        queryset=Publication.objects.order_by("name"),
        required=False,
        label=_("Publication"),
        empty_label=_("All papers"),
    )


def report_page(modeladmin, request):
    if not may_see(request.user):
        raise workflow.NotAllowed(gettext("The report is for editors."))
    today = timezone.localdate()
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    form = MonthForm(request.GET or {"month": f"{last_month:%Y-%m}"})
    totals = detail = None
    month = None
    if form.is_valid():
        month = form.cleaned_data["month"]
        totals, detail = report.build(
            month.year, month.month, publication=form.cleaned_data["publication"]
        )
        fmt = request.GET.get("format")
        name = f"gaofei-{month:%Y-%m}"
        if fmt == "csv":
            response = HttpResponse(
                report.as_csv(totals, detail), content_type="text/csv; charset=utf-8"
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            return response
        if fmt == "xlsx":
            response = HttpResponse(
                report.as_xlsx(totals, detail),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
            return response
    query = request.GET.copy()
    query.pop("format", None)
    if not query:
        query["month"] = f"{last_month:%Y-%m}"
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("Monthly report: published work and characters"),
        "form": form,
        "month": month,
        "totals": totals,
        "detail": detail,
        "query": query.urlencode(),
    }
    return TemplateResponse(request, "admin/newsroom/report.html", context)
