"""组版's page plan: a board with one column a page and the approved stories waiting, each
story with its length in characters, its photo count and its state. Everything is a plain
button (no dragging, no JavaScript): 放上第N版, ↑/↓ within the page, move to another page,
下转N版, 撤下版面; and the masthead's 组版 credit.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from desk import layout_services, services, steps, workflow
from issues.models import Issue, LayoutCredit, Page
from people.models import Person


def _with_sizes(queryset):
    return queryset.annotate(photo_count=Count("photos", distinct=True))


def _length(article) -> int:
    return sum(len(p) for p in article.paragraphs)


def board(modeladmin, request, issue: Issue):
    """Queries: the pages with their stories (2, photo counts annotated); the waiting
    stories; the layout credits with people; the issue's steps (the user's groups)."""
    may_place = (
        workflow.TRANSITIONS["place"].may(request.user)
        and issue.status in workflow.OPEN_ISSUE_STATES
    )
    pages = list(
        issue.pages.order_by("number").prefetch_related(
            Prefetch(
                "articles",
                queryset=_with_sizes(Article.objects.order_by("order", "pk")),
                to_attr="ordered_articles",
            )
        )
    )
    for page in pages:
        page.issue = issue
        page.chars = 0
        for position, article in enumerate(page.ordered_articles):
            article.length = _length(article)
            article.first = position == 0
            article.last = position == len(page.ordered_articles) - 1
            article.jump_to = (
                (article.pages or [None, None])[1] if len(article.pages or []) > 1 else None
            )
            page.chars += article.length
    waiting = list(
        _with_sizes(Article.objects.filter(status=Article.Status.APPROVED, page__isnull=True))
        .select_related("created_by__person")
        .order_by("updated_at", "pk")
    )
    for article in waiting:
        article.length = _length(article)
    credits = list(
        LayoutCredit.objects.filter(issue=issue).select_related("person").order_by("order", "pk")
    )
    me = getattr(request.user, "person", None)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("Page plan of %(issue)s") % {"issue": issue},
        "issue": issue,
        "original": issue,
        "pages": pages,
        "waiting": waiting,
        "may_place": may_place,
        "is_layout": workflow.LAYOUT in workflow.group_names(request.user),
        "steps": steps.buttons(issue, request.user),
        "blockers": workflow.publish_blockers(issue) if not issue.is_published else [],
        "next_url": request.get_full_path(),
        "credits": credits,
        "may_credit": layout_services.may_credit(request.user),
        "me": me,
        "credited_me": me is not None and any(c.person_id == me.pk for c in credits),
    }
    return TemplateResponse(request, "admin/issues/issue/layout.html", context)


class BoardForm(forms.Form):
    """One button press on the board."""

    ACTIONS = ["place", "up", "down", "unplace", "jump", "credit", "uncredit"]

    action = forms.ChoiceField(choices=[(a, a) for a in ACTIONS], required=False)
    article = forms.ModelChoiceField(
        queryset=Article.objects.none(), required=False, label=_("article")
    )
    page = forms.ModelChoiceField(queryset=Page.objects.none(), required=False, label=_("page"))
    order = forms.IntegerField(min_value=0, max_value=999, required=False, label=_("position"))
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, label=_("person")
    )

    def __init__(self, *args, issue, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["article"].queryset = Article.objects.filter(
            status__in=[Article.Status.APPROVED, Article.Status.PLACED]
        )
        self.fields["page"].queryset = issue.pages.all()


def post(modeladmin, request, issue: Issue):
    back = HttpResponseRedirect(reverse("admin:issues_issue_layout", args=[issue.pk]))
    data = request.POST.copy()
    if "unplace" in data:
        data["action"] = "unplace"
    form = BoardForm(data, issue=issue)
    if not form.is_valid():
        modeladmin.message_user(request, _errors(form), messages.ERROR)
        return back
    action = form.cleaned_data["action"] or "place"
    needs = {
        "place": ("article", "page"),
        "up": ("article",),
        "down": ("article",),
        "unplace": ("article",),
        "jump": ("article",),
    }
    missing = [name for name in needs.get(action, ()) if not form.cleaned_data.get(name)]
    if missing:
        modeladmin.message_user(
            request, gettext("Choose an article and a page of this issue."), messages.ERROR
        )
        return back
    try:
        message = _act(action, form.cleaned_data, issue=issue, user=request.user)
    except workflow.WorkflowError as refused:
        modeladmin.message_user(request, str(refused), messages.ERROR)
    else:
        modeladmin.message_user(request, message, messages.SUCCESS)
    return back


def _act(action, data, *, issue, user) -> str:
    article, page = data["article"], data["page"]
    if action == "place":
        order = data["order"]
        if order is None:
            last = (
                page.articles.exclude(pk=article.pk)
                .order_by("-order")
                .values_list("order", flat=True)
                .first()
            )
            order = 1 if last is None else last + 1
        services.place(article=article, page=page, order=order, by=user)
        return gettext("“%(a)s” placed on %(p)s, position %(o)s.") % {
            "a": article,
            "p": page,
            "o": order,
        }
    if action in ("up", "down"):
        return _swap(article, up=action == "up", user=user)
    if action == "unplace":
        if article.page is None or article.page.issue_id != issue.pk:
            raise workflow.InvalidTransition(gettext("Choose an article of this issue."))
        services.unplace(article=article, by=user)
        return gettext("“%(a)s” taken off the page.") % {"a": article}
    if action == "jump":
        if article.page is None or article.page.issue_id != issue.pk:
            raise workflow.InvalidTransition(gettext("Choose an article of this issue."))
        layout_services.set_jump(article=article, to_page=page, by=user)
        if page is None:
            return gettext("“%(a)s” stays on its page.") % {"a": article}
        return gettext("“%(a)s” continued on page %(n)s.") % {"a": article, "n": page.number}
    person = data["person"] or getattr(user, "person", None)
    if person is None:
        raise workflow.InvalidTransition(gettext("Your login is not linked to a person."))
    if action == "credit":
        layout_services.add_layout_credit(issue=issue, person=person, by=user)
        return gettext("%(name)s is in the masthead's layout credit.") % {"name": person.name}
    layout_services.remove_layout_credit(issue=issue, person=person, by=user)
    return gettext("%(name)s is no longer in the layout credit.") % {"name": person.name}


def _swap(article, *, up, user) -> str:
    if article.page_id is None:
        raise workflow.InvalidTransition(gettext("Choose an article of this issue."))
    siblings = list(article.page.articles.order_by("order", "pk"))
    index = next(i for i, each in enumerate(siblings) if each.pk == article.pk)
    other_index = index - 1 if up else index + 1
    if not 0 <= other_index < len(siblings):
        return gettext("“%(a)s” is already there.") % {"a": article}
    siblings[index], siblings[other_index] = siblings[other_index], siblings[index]
    # Renumber 1..n so equal positions (imports) still swap.
    for position, each in enumerate(siblings, start=1):
        if each.order != position:
            services.place(article=each, page=article.page, order=position, by=user)
    return gettext("“%(a)s” moved.") % {"a": article}


def _errors(form) -> str:
    return "；".join(
        f"{form.fields[name].label or name}：{'，'.join(errors)}"
        if name in form.fields
        else "，".join(errors)
        for name, errors in form.errors.items()
    )
