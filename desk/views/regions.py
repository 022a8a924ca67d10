"""The regions (热区) editor on a page's change form: the page image with its article regions
drawn over it, and a form of numbers, one row a rectangle (article, x, y, width, height in
percent of the page), that works without JavaScript. ``regions.js`` (a static file, CSP-safe)
lets a mouse or finger move and resize the rectangles and draw new ones; it only fills the
same numbers in. The rules and the saving are desk/region_services.py's.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Region
from desk import region_services, workflow
from issues.models import Page
from people.validators import no_control_characters

EXTRA_ROWS = 2
PERCENT = {"min_value": Decimal(0), "max_value": Decimal(100), "decimal_places": 2}


class RectangleForm(forms.Form):
    """One rectangle of an article's region, in percent of the page (origin top-left)."""

    article = forms.TypedChoiceField(label=_("article"), coerce=int, empty_value=None)
    x = forms.DecimalField(label=_("x (%)"), **PERCENT)
    y = forms.DecimalField(label=_("y (%)"), **PERCENT)
    w = forms.DecimalField(label=_("width (%)"), **PERCENT)
    h = forms.DecimalField(label=_("height (%)"), **PERCENT)

    def __init__(self, *args, articles=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].choices = [("", "---------")] + [
            (article.pk, _label(article)) for article in articles
        ]
        for name in ("x", "y", "w", "h"):
            self.fields[name].widget.attrs.update(step="0.01", inputmode="decimal")
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = str(field.label)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if data["w"] <= 0 or data["h"] <= 0:
            raise forms.ValidationError(gettext("A rectangle needs a width and a height."))
        if data["x"] + data["w"] > 100 or data["y"] + data["h"] > 100:
            raise forms.ValidationError(gettext("The rectangle runs off the page."))
        return data

    def box(self) -> list[float]:
        data = self.cleaned_data
        x, y, w, h = (float(data[name]) / 100 for name in ("x", "y", "w", "h"))
        return [x, y, x + w, y + h]


class BaseRectangleFormSet(forms.BaseFormSet):
    def __init__(self, *args, articles=(), **kwargs):
        self.articles = articles
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "articles": self.articles}

    @property
    def empty_form(self):
        form = self.form(
            auto_id=self.auto_id,
            prefix=self.add_prefix("__prefix__"),
            empty_permitted=True,
            use_required_attribute=False,
            articles=self.articles,
        )
        self.add_fields(form, None)
        return form

    def boxes(self) -> dict[int, list[list[float]]]:
        """Article id → its rectangles, from the rows kept (not deleted, not left empty)."""
        found: dict[int, list[list[float]]] = {}
        for form in self.forms:
            if not form.has_changed() and form.empty_permitted:
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            found.setdefault(form.cleaned_data["article"], []).append(form.box())
        return found


RectangleFormSet = forms.formset_factory(
    RectangleForm, formset=BaseRectangleFormSet, extra=EXTRA_ROWS, can_delete=True
)


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Why (for a published issue)"),
        required=False,
        max_length=500,
        validators=[no_control_characters],
        widget=forms.TextInput(attrs={"size": 60}),
    )


def _label(article) -> str:
    return f"{article.headline} ({article.page})" if article.page else article.headline


def _initial(page: Page) -> list[dict]:
    rows = []
    regions = Region.objects.filter(page=page, article__isnull=False).select_related("article")
    for region in sorted(regions, key=lambda r: (r.article.order, r.article_id)):
        for x0, y0, x1, y1 in region.boxes:
            rows.append(
                {
                    "article": region.article_id,
                    "x": _percent(x0),
                    "y": _percent(y0),
                    "w": _percent(x1 - x0),
                    "h": _percent(y1 - y0),
                }
            )
    return rows


def _percent(fraction: float) -> Decimal:
    return Decimal(str(round(fraction * 100, 2)))


def editor_context(request, page: Page, formset=None, note_form=None) -> dict:
    """What the editor shows on the page's change form (and on its own page after errors)."""
    issue = page.issue
    articles = region_services.page_articles(page)
    refusal = region_services.refusal(request.user, issue)
    if formset is None:
        formset = RectangleFormSet(prefix="rect", initial=_initial(page), articles=articles)
    rectangles = []
    for index, form in enumerate(formset.forms):
        values = {name: form[name].value() for name in ("article", "x", "y", "w", "h")}
        try:
            x, y, w, h = (float(values[name]) for name in ("x", "y", "w", "h"))
        except (TypeError, ValueError):
            continue
        if w > 0 and h > 0:
            rectangles.append({"row": index, "x": x, "y": y, "width": w, "height": h})
    renditions = page.rendition_list()
    return {
        "regions_page": page,
        "regions_image": (
            {
                "src": page.rendition_url(renditions[0]),
                "width": renditions[0]["width"],
                "height": renditions[0]["height"],
            }
            if renditions
            else None
        ),
        "regions_formset": formset,
        "regions_note": note_form or NoteForm(),
        "regions_needs_note": region_services.needs_note(issue),
        "regions_refusal": refusal,
        "regions_rectangles": rectangles,
        "regions_has_articles": bool(articles),
        "regions_url": reverse("admin:issues_page_regions", args=[page.pk]),
    }


def regions_page(modeladmin, request, page: Page):
    """GET: the editor on a page of its own; POST: save the rectangles (the change form's
    editor posts here), then back to the page's change form."""
    if request.method != "POST":
        return _render(modeladmin, request, page, editor_context(request, page))
    articles = region_services.page_articles(page)
    formset = RectangleFormSet(request.POST, prefix="rect", articles=articles)
    note_form = NoteForm(request.POST)
    if not (formset.is_valid() and note_form.is_valid()):
        context = editor_context(request, page, formset, note_form)
        return _render(modeladmin, request, page, context, status=400)
    try:
        changed = region_services.save_regions(
            page=page, boxes=formset.boxes(), by=request.user, note=note_form.cleaned_data["note"]
        )
    except workflow.NotAllowed as refused:
        modeladmin.message_user(request, str(refused), messages.ERROR)
        context = editor_context(request, page, formset, note_form)
        return _render(modeladmin, request, page, context, status=403)
    except workflow.WorkflowError as refused:
        modeladmin.message_user(request, str(refused), messages.ERROR)
        context = editor_context(request, page, formset, note_form)
        return _render(modeladmin, request, page, context, status=400)
    if changed:
        modeladmin.message_user(
            request,
            gettext("%(page)s: %(n)s regions changed") % {"page": page, "n": changed},
            messages.SUCCESS,
        )
    else:
        modeladmin.message_user(request, gettext("The regions are unchanged."), messages.INFO)
    return HttpResponseRedirect(reverse("admin:issues_page_change", args=[page.pk]) + "#regions")


def _render(modeladmin, request, page, context, status=200):
    context.update(
        modeladmin.admin_site.each_context(request),
        opts=modeladmin.model._meta,
        page=page,
        title=gettext("Regions of %(page)s") % {"page": page},
    )
    return TemplateResponse(request, "admin/issues/page/regions.html", context, status=status)
