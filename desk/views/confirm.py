"""The confirmation page of 签发, 撤回本期 and 撤稿 (see desk/confirm.py).

GET states what will happen; the POST must carry the version that page showed, or it is
refused and the page shown again with what changed. 签发 may instead be scheduled for a time
(desk/scheduling.py).
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from desk import confirm, scheduling, steps, workflow
from issues.models import Issue


def tomorrow_morning(now=None) -> datetime.datetime:
    """明早6:00 in the site's time zone."""
    local = timezone.localtime(now or timezone.now())
    day = local.date() + datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(6, 0)))


class ConfirmForm(forms.Form):
    WHEN_CHOICES = [
        ("now", _("Now")),
        ("tomorrow", _("Tomorrow at 6:00")),
        ("at", _("At a time")),
    ]

    version = forms.CharField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    when = forms.ChoiceField(
        label=_("Publish"),
        choices=WHEN_CHOICES,
        initial="now",
        widget=forms.RadioSelect,
        required=False,
    )
    at = forms.DateTimeField(
        label=_("Publication time"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args, needs_note, schedulable, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_note:
            self.fields["note"].required = True
        else:
            del self.fields["note"]
        if not schedulable:
            del self.fields["when"]
            del self.fields["at"]

    def clean(self):
        cleaned = super().clean()
        when = cleaned.get("when") or "now"
        if when == "at" and not cleaned.get("at"):
            self.add_error("at", gettext("Choose the publication time."))
        return cleaned

    def publish_at(self):
        when = self.cleaned_data.get("when") or "now"
        if when == "tomorrow":
            return tomorrow_morning()
        if when == "at":
            return self.cleaned_data["at"]
        return None


def confirm_step(modeladmin, request, obj, name, *, done_url):
    rule = workflow.TRANSITIONS[name]
    if not rule.may(request.user, obj):
        raise workflow.NotAllowed(
            gettext("You may not “%(step)s”: this needs the group %(groups)s.")
            % {"step": rule.label, "groups": "、".join(sorted(rule.groups))}
        )
    schedulable = name == "publish_issue"
    version = confirm.version_of(obj)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None,
        initial={"version": version},
        needs_note=rule.needs_note,
        schedulable=schedulable,
    )
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["version"] != version:
            form = ConfirmForm(
                initial={**request.POST.dict(), "version": version},
                needs_note=rule.needs_note,
                schedulable=schedulable,
            )
            form.stale = True
        else:
            done = _take(modeladmin, request, obj, name, form)
            if done:
                return HttpResponseRedirect(done_url)
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.opts,
        "title": gettext("Confirm: %(step)s") % {"step": rule.label},
        "original": obj,
        "object_url": done_url,
        "rule": rule,
        "form": form,
        "stale": getattr(form, "stale", False),
        "what_happens": confirm.what_happens(name, obj),
        "blockers": workflow.publish_blockers(obj) if name == "publish_issue" else [],
        "scheduled": getattr(obj, "scheduled_publication", None)
        if isinstance(obj, Issue)
        else None,
    }
    return TemplateResponse(request, "admin/newsroom/confirm.html", context)


def _take(modeladmin, request, obj, name, form) -> bool:
    at = form.publish_at() if name == "publish_issue" else None
    try:
        if at is not None:
            scheduling.schedule(
                issue=obj, by=request.user, at=at, version=form.cleaned_data["version"]
            )
        else:
            steps.take(name, obj=obj, by=request.user, note=form.cleaned_data.get("note", ""))
            if name == "publish_issue":
                scheduling.cancel(issue=obj, by=request.user)
    except workflow.WorkflowError as refused:
        form.add_error(None, str(refused))
        return False
    if at is not None:
        local = timezone.localtime(at)
        modeladmin.message_user(
            request,
            gettext("%(object)s will be published at %(when)s; it can be cancelled until then.")
            % {"object": obj, "when": f"{local:%Y-%m-%d %H:%M}"},
            messages.SUCCESS,
        )
    else:
        modeladmin.message_user(
            request, f"{obj}：{workflow.TRANSITIONS[name].label}", messages.SUCCESS
        )
    return True
