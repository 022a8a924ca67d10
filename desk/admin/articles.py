"""The desk's article admin.

Who may edit what is decided by desk/workflow.py (can_edit_text, the transition table); this
module only shows it: read-only fields, the buttons for the steps the user may take, and the
timeline and text history. Every change goes through desk/services.py.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import photos
from articles.models import Article, Byline, Correction, Photo
from desk import confirm, history, parts_services, services, steps, workflow
from desk.admin.common import (
    ActionChoicesMixin,
    DeskDoorMixin,
    ReadOnlyAdminMixin,
    SearchTermMixin,
    correction_note,
    correction_note_field,
    status_badge,
)
from desk.models import Transition
from desk.views import articles as article_views
from desk.views.confirm import confirm_step
from issues.models import Issue
from people.models import Person
from people.validators import no_control_characters
from search.query import admin_search

# The desk on the admin home page (desk/templatetags/desk.py).
admin.site.index_template = "admin/newsroom_index.html"


class ArticleForm(forms.ModelForm):
    """The text of an article, with the version it was read at (optimistic locking)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = list(workflow.TEXT_FIELDS)
        widgets = {"body": forms.Textarea(attrs={"rows": 20, "cols": 80, "class": "desk-body"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["expected_version"].initial = self.instance.version
            self.fields["expected_version"].required = True

    def clean_body(self):
        return Article.tidy_body(self.cleaned_data.get("body", ""))

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and cleaned.get("expected_version") is not None:
            # Not while an import rewrites the issue: refused now, with the edit still in
            # the form, rather than waiting on its row locks.
            try:
                workflow.refuse_while_importing(
                    Issue.objects.select_related("publication")
                    .filter(pages__articles=self.instance.pk)
                    .first()
                )
            except workflow.IssueBeingImported as refused:
                raise ValidationError(str(refused), code="importing") from None
            # Locked until the admin's transaction ends: nobody saves between this check
            # and our save.
            current = Article.objects.select_for_update().get(pk=self.instance.pk)
            if current.version != cleaned["expected_version"]:
                raise ValidationError(services.stale_message(current), code="stale")
        return cleaned


class TextInlineMixin:
    """Bylines and photos are part of the text: editable exactly when the text is."""

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and workflow.can_edit_text(
            request.user, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and workflow.can_edit_text(
            request.user, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and workflow.can_edit_text(
            request.user, obj
        )


class BylineInline(TextInlineMixin, admin.TabularInline):
    model = Byline
    extra = 0
    autocomplete_fields = ["person"]
    fields = ["role", "person", "order"]


class PhotoForm(forms.ModelForm):
    """A photo: the upload is decoded and checked (imaging.validate) by the model field's
    validator; the caption and photographer, when left empty, are taken from what the camera
    or the photo desk wrote in the file (XMP/IPTC/EXIF creator and caption)."""

    # A plain file field: the model field's validator decodes the upload with our limits and
    # says what is wrong in its own words (Django's ImageField would say only "not an image").
    image = forms.FileField(
        label=_("image"),
        required=False,
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
        help_text=_("JPEG, PNG, WebP or HEIC, as taken by the camera or phone."),
    )

    class Meta:
        model = Photo
        fields = ["image", "caption", "photographer", "credit_role", "alt_text", "order"]
        widgets = {"caption": forms.Textarea(attrs={"rows": 3, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "caption" in self.fields:
            # Checked in clean(): the file may carry one.
            self.fields["caption"].required = False

    def clean(self):
        cleaned = super().clean()
        upload = self.files.get(self.add_prefix("image")) if self.files else None
        suggested = None
        if upload is not None and "image" not in self._errors:
            try:
                photos.verify_photo_file(upload)
            except ValidationError as refused:
                # Said once, by the field; and no caption asked for a file we refuse.
                self.add_error("image", refused)
                return cleaned
            suggested = photos.suggested_metadata(upload)
        if suggested is not None:
            if not cleaned.get("caption") and suggested.caption:
                cleaned["caption"] = suggested.caption
            if not cleaned.get("photographer") and suggested.creator:
                cleaned["photographer"] = (
                    Person.objects.filter(name=suggested.creator.strip()).order_by("id").first()
                )
        if "caption" in self.fields and not cleaned.get("caption"):
            self.add_error("caption", forms.Field.default_error_messages["required"])
        return cleaned


def photo_thumbnail(photo):
    url = photos.thumbnail_url(photo) if photo and photo.pk else None
    if not url:
        return "—"
    return format_html(
        '<img class="photo-thumbnail" src="{}" alt="" width="120" loading="lazy">',
        url,
    )


class PhotoInline(TextInlineMixin, admin.StackedInline):
    model = Photo
    form = PhotoForm
    fk_name = "article"
    extra = 0
    autocomplete_fields = ["photographer"]
    fields = ["thumbnail", "image", "caption", "photographer", "credit_role", "alt_text", "order"]
    readonly_fields = ["thumbnail", "move"]

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "move"]
        if obj is not None and self.has_change_permission(request, obj):
            # Up/down buttons: submit buttons of the article's own form (saved first, then
            # moved), so they work without JavaScript and nothing typed is lost.
            fields.insert(1, "move")
            self._order = list(obj.photos.order_by("order", "pk").values_list("pk", flat=True))
        return fields

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return photo_thumbnail(obj)

    @admin.display(description=_("position"))
    def move(self, obj):
        order = getattr(self, "_order", [])
        if not obj or obj.pk not in order:
            return "—"
        position = order.index(obj.pk)
        buttons = []
        if position > 0:
            buttons.append((obj.pk, "up", gettext("Move up")))
        if position < len(order) - 1:
            buttons.append((obj.pk, "down", gettext("Move down")))
        if not buttons:
            return "—"
        return format_html_join(
            " ",
            '<button type="submit" name="_photo_move" value="{}:{}" class="button">{}</button>',
            buttons,
        )


class CorrectionInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Shown, never edited here: corrections are made with the article's “更正” form."""

    model = Correction
    extra = 0
    fields = ["created_at", "note", "created_by"]
    readonly_fields = fields


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("corrected text"),
        widget=forms.Textarea(attrs={"rows": 16, "cols": 80, "class": "desk-body"}),
        help_text=_("One paragraph a line."),
        validators=[no_control_characters],
    )
    note = forms.CharField(
        label=_("correction note"),
        validators=[no_control_characters],
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
        help_text=_("Printed with the article: what was wrong and what is right."),
    )


def _step_action(name):
    rule = workflow.TRANSITIONS[name]

    def action(modeladmin, request, queryset):
        done = 0
        for article in queryset:
            try:
                steps.take(name, obj=article, by=request.user)
                done += 1
            except workflow.WorkflowError as refused:
                modeladmin.message_user(request, f"{article}：{refused}", messages.ERROR)
        if done:
            modeladmin.message_user(
                request,
                gettext("“%(step)s”: %(count)d article(s).") % {"step": rule.label, "count": done},
                messages.SUCCESS,
            )

    action.__name__ = f"{name}_selected"
    action.short_description = rule.label
    action.allowed_permissions = ("workflow",)
    return action


DELETABLE_STATES = (Article.Status.DRAFT, Article.Status.SUBMITTED, Article.Status.APPROVED)


@admin.register(Article)
class ArticleAdmin(ActionChoicesMixin, SearchTermMixin, admin.ModelAdmin):
    form = ArticleForm
    list_display = [
        "headline",
        "status_label",
        "issue_label",
        "page",
        "order",
        "filed_by",
        "updated_at",
    ]
    list_select_related = ["page__issue__publication", "created_by__person"]
    list_filter = [
        "status",
        "page__issue__publication",
        ("page__issue__date", admin.DateFieldListFilter),
    ]
    search_fields = ["headline", "subheadline", "body"]
    inlines = [BylineInline, PhotoInline, CorrectionInline]
    actions = [_step_action("submit"), _step_action("approve")]
    workflow_fields = [
        "status_label",
        "placement",
        "version",
        "filed_by",
        "created_at",
        "published_at",
    ]

    # Who sees and edits what.

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not workflow.sees_all_articles(request.user):
            queryset = queryset.filter(created_by=request.user)
        return queryset

    def has_add_permission(self, request):
        return super().has_add_permission(request) and workflow.can_edit_text(request.user, None)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None:
            return allowed
        return allowed and workflow.can_edit_text(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        # Placed, published and withdrawn stories are part of an issue's record: they leave
        # it by a step (撤下版面, 撤稿), never by deleting the row and its log.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status in DELETABLE_STATES)

    def delete_queryset(self, request, queryset):
        if queryset.exclude(status__in=DELETABLE_STATES).exists():
            raise workflow.NotAllowed(gettext("Only stories not yet placed can be deleted."))
        super().delete_queryset(request, queryset)

    def has_workflow_permission(self, request):
        return request.user.is_staff and bool(
            request.user.is_superuser or workflow.group_names(request.user)
        )

    def get_fieldsets(self, request, obj=None):
        text = [*workflow.TEXT_FIELDS]
        if obj is not None and self.has_change_permission(request, obj):
            text.append("expected_version")
        fieldsets = [(None, {"fields": text})]
        if obj is not None:
            fieldsets.append((_("Workflow"), {"fields": self.workflow_fields}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.workflow_fields)
        if not workflow.can_edit_text(request.user, obj):
            readonly += workflow.TEXT_FIELDS
        return readonly

    # Saving goes through the services: version check, author, status untouched.

    def save_model(self, request, obj, form, change):
        if change:
            services.save_text(
                article=obj,
                by=request.user,
                expected_version=form.cleaned_data["expected_version"],
            )
        else:
            services.file_article(article=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article_views.snapshot_captions(form.instance)
        if not change and not form.instance.bylines.exists():
            # A correspondent filing a story is its byline unless they say otherwise.
            person = getattr(request.user, "person", None)
            if person is not None and workflow.CORRESPONDENT in workflow.group_names(request.user):
                parts_services.save_byline(
                    byline=Byline(
                        article=form.instance, person=person, role=Byline.Role.CORRESPONDENT
                    ),
                    by=request.user,
                    bump=False,
                )

    def save_formset(self, request, form, formset, change):
        """Bylines and photos go through the desk's services (logged, version bumped)."""
        if formset.model not in (Byline, Photo):
            return super().save_formset(request, form, formset, change)
        save, delete = (
            (parts_services.save_byline, parts_services.delete_byline)
            if formset.model is Byline
            else (parts_services.save_photo, parts_services.delete_photo)
        )
        kind = "byline" if formset.model is Byline else "photo"
        instances = formset.save(commit=False)
        # The article's save (save_model) made this form's one new version.
        for obj in formset.deleted_objects:
            delete(**{kind: obj, "by": request.user, "bump": False})
        for obj in instances:
            save(**{kind: obj, "by": request.user, "bump": False})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.WorkflowError as refused:
            # A refusal between the form's check and the save (or a crafted POST): nothing
            # was saved, since the admin's transaction rolled back.
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def view_on_site(self, obj):
        # Not yet on a page: no public address; the desk's preview shows it as printed.
        if obj.page_id is None:
            return reverse("admin:articles_article_preview", args=[obj.pk])
        return obj.get_absolute_url()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        editable = obj is not None and self.has_change_permission(request, obj)
        context.update(
            steps_in_form=editable,
            # A new story is its filer's own: 通讯员 may submit it as well as 编辑.
            may_submit_new=add
            and (
                workflow.TRANSITIONS["submit"].may(request.user)
                or workflow.CORRESPONDENT in workflow.group_names(request.user)
            ),
        )
        if add:
            # 写新稿, as the desk's link says (the admin's title reads “增加 稿件”).
            context["title"] = gettext("File a new story")
            # desk.js keeps a new story in this browser until its first save.
            context["local_draft_key"] = f"newsroom:new-article:{request.user.pk}"
        if obj is not None and editable and obj.status == Article.Status.DRAFT:
            context["autosave_url"] = reverse("admin:articles_article_autosave", args=[obj.pk])
        if obj is not None:
            context.update(
                preview_url=reverse("admin:articles_article_preview", args=[obj.pk]),
                steps=steps.buttons(obj, request.user),
                may_correct=workflow.TRANSITIONS["correct"].may(request.user, obj)
                and obj.status == Article.Status.PUBLISHED,
                timeline=history.timeline(obj),
                revisions=history.text_revisions(obj),
                returned_note=_returned_note(obj),
                part_corrections=_part_corrections(request.user, obj),
            )
        return super().render_change_form(request, context, add, change, form_url, obj)

    # A step button inside the change form: the form was saved (it was valid), then the step.

    def response_add(self, request, obj, post_url_continue=None):
        if request.POST.get("_step"):
            return self._step_after_save(request, obj)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if request.POST.get("_step"):
            return self._step_after_save(request, obj)
        if request.POST.get("_photo_move"):
            return self._photo_move_after_save(request, obj)
        return super().response_change(request, obj)

    def _photo_move_after_save(self, request, obj):
        """上移/下移 of a photo (desk/parts_services.move_photo), after the form was saved."""
        back = HttpResponseRedirect(
            reverse("admin:articles_article_change", args=[obj.pk]) + "#photos-group"
        )
        pk, _colon, direction = request.POST["_photo_move"].partition(":")
        photo = Photo.objects.filter(article=obj, pk=pk if pk.isdigit() else None).first()
        if photo is None or direction not in ("up", "down"):
            self.message_user(request, gettext("No such photo in this article."), messages.ERROR)
            return back
        try:
            parts_services.move_photo(photo=photo, up=direction == "up", by=request.user)
        except workflow.WorkflowError as refused:
            self.message_user(
                request, gettext("Saved, but: %(reason)s") % {"reason": refused}, messages.ERROR
            )
            return back
        self.message_user(
            request,
            gettext("Photo moved up.") if direction == "up" else gettext("Photo moved down."),
            messages.SUCCESS,
        )
        return back

    def _step_after_save(self, request, obj):
        name = request.POST["_step"]
        back = HttpResponseRedirect(reverse("admin:articles_article_change", args=[obj.pk]))
        if name in confirm.CONFIRMED_STEPS:
            return HttpResponseRedirect(reverse("admin:articles_article_step", args=[obj.pk, name]))
        try:
            steps.take(name, obj=obj, by=request.user, note=request.POST.get("_step_note", ""))
        except workflow.WorkflowError as refused:
            self.message_user(
                request, gettext("Saved, but: %(reason)s") % {"reason": refused}, messages.ERROR
            )
            return back
        self.message_user(
            request,
            gettext("“%(article)s”: saved, then %(step)s.")
            % {"article": obj, "step": workflow.TRANSITIONS[name].label},
            messages.SUCCESS,
        )
        if name in ("submit", "approve", "return_to_author"):
            return HttpResponseRedirect(reverse("admin:index"))
        return back

    def history_view(self, request, object_id, extra_context=None):
        return article_views.history_page(self, request, self._visible(request, object_id))

    # Display.

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, article):
        return status_badge(article)

    def get_search_results(self, request, queryset, search_term):
        # The same Chinese-aware index as the public search, over every state staff see.
        return admin_search(queryset, search_term), False

    @admin.display(description=_("issue"), ordering="page__issue__date")
    def issue_label(self, article):
        return article.issue

    @admin.display(description=_("filed by"), ordering="created_by")
    def filed_by(self, article):
        return services.display_name(article.created_by) if article.created_by_id else "-"

    @admin.display(description=_("placement"))
    def placement(self, article):
        if article.page_id is None:
            return gettext("not placed")
        return gettext("%(issue)s %(page)s, position %(order)s") % {
            "issue": article.issue,
            "page": article.page,
            "order": article.order,
        }

    # Workflow steps and corrections, as plain POST forms.

    def get_urls(self):
        return [
            path(
                "<int:object_id>/step/<str:name>/",
                self.admin_site.admin_view(self.step_view),
                name="articles_article_step",
            ),
            path(
                "<int:object_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="articles_article_correct",
            ),
            path(
                "<int:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<int:object_id>/autosave/",
                self.admin_site.admin_view(self.autosave_view),
                name="articles_article_autosave",
            ),
            *super().get_urls(),
        ]

    def _visible(self, request, object_id):
        return get_object_or_404(
            self.get_queryset(request).select_related("page__issue"), pk=object_id
        )

    def step_view(self, request, object_id, name):
        if name in confirm.CONFIRMED_STEPS:
            article = self._visible(request, object_id)
            return confirm_step(
                self,
                request,
                article,
                name,
                done_url=reverse("admin:articles_article_change", args=[article.pk]),
            )
        return require_POST(self._step)(request, object_id, name)

    def preview_view(self, request, object_id):
        return article_views.preview(self, request, self._visible(request, object_id))

    def autosave_view(self, request, object_id):
        return require_POST(
            lambda request: article_views.autosave(request, self._visible(request, object_id))
        )(request)

    def _step(self, request, object_id, name):
        article = self._visible(request, object_id)
        try:
            steps.take(name, obj=article, by=request.user, note=request.POST.get("note", ""))
        except workflow.WorkflowError as refused:
            self.message_user(request, str(refused), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("“%(article)s”: %(step)s.")
                % {"article": article, "step": workflow.TRANSITIONS[name].label},
                messages.SUCCESS,
            )
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[article.pk]))

    def correct_view(self, request, object_id):
        article = self._visible(request, object_id)
        if not workflow.TRANSITIONS["correct"].may(request.user, article):
            raise workflow.NotAllowed(gettext("Only the responsible editor makes corrections."))
        form = CorrectionForm(request.POST or None, initial={"text": article.body})
        if request.method == "POST" and form.is_valid():
            try:
                services.correct(
                    article=article,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    note=form.cleaned_data["note"],
                )
            except workflow.WorkflowError as refused:
                form.add_error(None, str(refused))
            else:
                self.message_user(request, gettext("Correction published."), messages.SUCCESS)
                return HttpResponseRedirect(
                    reverse("admin:articles_article_change", args=[article.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Correct “%(article)s”") % {"article": article},
            "article": article,
            "form": form,
        }
        return TemplateResponse(request, "admin/articles/article/correct.html", context)


def _part_corrections(user, article):
    """Links to the byline and photo pages that correct a published article's credits (its
    inlines are read-only then): for those who may correct it, else None."""
    if not workflow.can_correct(user, article):
        return None
    add = f"?article={article.pk}"
    return {
        "bylines": [
            (f"{byline.get_role_display()} {byline.person.name}", _admin_url(byline))
            for byline in article.bylines.select_related("person")
        ],
        "photos": [
            (photo.caption[:30] or gettext("(no caption)"), _admin_url(photo))
            for photo in article.photos.all()
        ],
        "add_byline_url": reverse("admin:articles_byline_add") + add,
        "add_photo_url": reverse("admin:articles_photo_add") + add,
    }


def _admin_url(obj) -> str:
    return reverse(f"admin:articles_{obj._meta.model_name}_change", args=[obj.pk])


def _returned_note(article):
    if article.status != Article.Status.DRAFT:
        return None
    last = (
        Transition.objects.filter(article=article)
        .order_by("-at", "-pk")
        .values("action", "note")
        .first()
    )
    if last and last["action"] == "return_to_author":
        return last["note"]
    return None


class CorrectionNoteForm(forms.ModelForm):
    """The stand-alone byline and photo pages: a change to a published article (or to the
    photo news of a published issue) is a correction, printed with this note."""

    correction_note = correction_note_field(
        _(
            "Only when the article or issue is published: the change is then a correction, "
            "printed with this note."
        )
    )


class PhotoAdminForm(CorrectionNoteForm, PhotoForm):
    class Meta(PhotoForm.Meta):
        fields = [*PhotoForm.Meta.fields, "article", "page"]


class BylineAdminForm(CorrectionNoteForm):
    class Meta:
        model = Byline
        fields = ["person", "role", "article", "order"]


class PartAdminMixin(DeskDoorMixin):
    """Byline and Photo pages: every write through desk/parts_services.py; who may change a
    row is who may change its article's (or page's) bylines and photos now."""

    def has_module_permission(self, request):
        # Edited inside their article; the raw lists are not part of the desk's sidebar.
        return request.user.is_superuser

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not workflow.sees_all_articles(request.user):
            queryset = queryset.filter(article__created_by=request.user)
        return queryset

    def may_touch(self, request, obj) -> bool:
        if obj.article_id is not None:
            return workflow.can_edit_parts(request.user, obj.article)
        return workflow.can_edit_page_photos(request.user, obj.page.issue)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.may_touch(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.may_touch(request, obj))

    def get_fields(self, request, obj=None):
        fields = list(super().get_fields(request, obj))
        # Only on a page that can be saved: read-only, the note would show as an English
        # label ("Correction note") with "None".
        may_correct = workflow.TRANSITIONS["correct"].may(request.user) and (
            obj is None or self.may_touch(request, obj)
        )
        if may_correct and "correction_note" not in fields:
            fields.append("correction_note")
        if not may_correct and "correction_note" in fields:
            fields.remove("correction_note")
        return fields

    def correction_needed(self, request, object_id) -> bool:
        obj = self.get_object(request, object_id)
        if obj is None:
            return False
        if obj.article_id is not None:
            return obj.article.status == Article.Status.PUBLISHED
        return obj.page.issue.is_published

    def save_model(self, request, obj, form, change):
        self.save_service(obj=obj, by=request.user, note=correction_note(request))

    def delete_model(self, request, obj):
        self.delete_service(obj=obj, by=request.user, note=correction_note(request))


@admin.register(Photo)
class PhotoAdmin(PartAdminMixin, SearchTermMixin, admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["thumbnail", "__str__", "photographer", "article", "page", "order"]
    fields = [
        "preview",
        "image",
        "caption",
        "photographer",
        "credit_role",
        "alt_text",
        "article",
        "page",
        "order",
    ]
    readonly_fields = ["preview"]
    list_select_related = ["photographer", "article", "page__issue__publication"]
    search_fields = ["caption", "photographer__name"]
    autocomplete_fields = ["photographer", "article", "page"]

    @staticmethod
    def save_service(*, obj, by, note):
        parts_services.save_photo(photo=obj, by=by, note=note)

    @staticmethod
    def delete_service(*, obj, by, note):
        parts_services.delete_photo(photo=obj, by=by, note=note)

    @admin.display(description=_("preview"))
    def thumbnail(self, obj):
        return photo_thumbnail(obj)

    @admin.display(description=_("what readers get"))
    def preview(self, obj):
        """The renditions as readers get them, with their sizes."""
        if not obj or not obj.pk or not obj.renditions:
            return "—"
        sizes = format_html_join(
            ", ",
            "{} {}×{} ({} KB)",
            (
                (e["format"].upper(), e["w"], e["h"], (e["bytes"] + 512) // 1024)
                for e in obj.renditions.get("renditions", [])
            ),
        )
        return format_html(
            '<div class="photo-preview">{}</div><p>{}</p>',
            photos.picture(obj, sizes="480px", lazy=False),
            sizes,
        )


@admin.register(Byline)
class BylineAdmin(PartAdminMixin, SearchTermMixin, admin.ModelAdmin):
    form = BylineAdminForm
    list_display = ["person", "role", "article"]
    list_select_related = ["person", "article"]
    list_filter = ["role"]
    search_fields = ["person__name", "article__headline"]
    autocomplete_fields = ["person", "article"]
    fields = ["person", "role", "article", "order"]

    @staticmethod
    def save_service(*, obj, by, note):
        parts_services.save_byline(byline=obj, by=by, note=note)

    @staticmethod
    def delete_service(*, obj, by, note):
        parts_services.delete_byline(byline=obj, by=by, note=note)


@admin.register(Correction)
class CorrectionAdmin(SearchTermMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """A record of published corrections; they are made from the article's page."""

    list_display = ["article", "created_at", "created_by"]
    list_select_related = ["article", "created_by"]
    date_hierarchy = "created_at"
    search_fields = ["note", "article__headline"]
    fields = ["article", "note", "created_at", "created_by"]
    readonly_fields = fields


@admin.register(Transition)
class TransitionAdmin(SearchTermMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    """The audit log: read only, for everyone."""

    list_display = ["at", "who", "action_label", "from_label", "to_label", "article", "issue"]
    list_select_related = ["by__person", "article", "issue__publication"]
    list_filter = ["action"]
    date_hierarchy = "at"
    search_fields = ["note", "article__headline"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, transition):
        return history.step_label(transition.action)

    @admin.display(description=_("by"), ordering="by")
    def who(self, transition):
        return services.display_name(transition.by) if transition.by_id else "-"

    def _model(self, transition):
        return Article if transition.article_id else Issue

    @admin.display(description=_("from"), ordering="from_state")
    def from_label(self, transition):
        return history.state_label(self._model(transition), transition.from_state)

    @admin.display(description=_("to"), ordering="to_state")
    def to_label(self, transition):
        return history.state_label(self._model(transition), transition.to_state)
