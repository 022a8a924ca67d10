import hashlib

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles import photos
from articles.photos import validate_photo_file
from issues.models import Issue
from people.urls_cache import fast_reverse
from people.validators import no_control_characters


class ArticleQuerySet(models.QuerySet):
    def published(self):
        # Both checks: an article is public only while its issue is too, whatever a raw
        # UPDATE may have done to one of the two rows.
        return self.filter(
            status=Article.Status.PUBLISHED, page__issue__status=Issue.Status.PUBLISHED
        )

    def on_page(self, page):
        return self.filter(page=page).order_by("order", "id")

    def visible_to(self, user):
        """Staff preview what layout has placed; everyone else sees published articles only."""
        return self.filter(self.visible_q(user))

    @staticmethod
    def visible_q(user, prefix=""):
        """``visible_to`` as a condition on the article at ``prefix`` ("article__" from a
        byline or photo), to filter on a join the query makes anyway rather than through a
        subquery of articles."""
        if user.is_authenticated and user.is_staff:
            return Q(**{f"{prefix}status__in": [Article.Status.PLACED, Article.Status.PUBLISHED]})
        return Q(
            **{
                f"{prefix}status": Article.Status.PUBLISHED,
                f"{prefix}page__issue__status": Issue.Status.PUBLISHED,
            }
        )

    def in_issue(self, issue):
        return self.filter(page__issue=issue).order_by("page__number", "order", "id")


class Article(models.Model):
    """A story. It starts on one page and may jump to others (下转3版)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        APPROVED = "approved", _("approved")
        PLACED = "placed", _("placed")
        PUBLISHED = "published", _("published")
        WITHDRAWN = "withdrawn", _("withdrawn")

    # The issue is the start page's issue; a draft has neither until layout places it.
    page = models.ForeignKey(
        "issues.Page",
        verbose_name=_("start page"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
    )
    order = models.PositiveSmallIntegerField(_("order on the page"), default=0)
    headline = models.CharField(_("headline"), max_length=200, validators=[no_control_characters])
    subheadline = models.CharField(
        _("subheadline"), max_length=200, blank=True, validators=[no_control_characters]
    )
    dateline = models.CharField(
        _("dateline"), max_length=50, blank=True, validators=[no_control_characters]
    )
    # One paragraph a line: the printed text, column breaks healed.
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_("One paragraph a line."),
        validators=[no_control_characters],
    )
    # Every page the article runs on, in order, start page first: [1, 3] for 下转3版.
    # Numbers rather than rows: a jump may point to a page not yet imported.
    pages = models.JSONField(_("pages it runs on"), default=list, blank=True)
    # Where the text is cut by each jump, so an export prints each part on its page.
    breaks = models.JSONField(_("jump breaks"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # Optimistic locking: a save carries the version it was read at.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="articles_filed",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The article as the last imported file printed it (text, bylines, photo credits): the
    # common ancestor `import_issues --replace` merges the desk's changes and a new file
    # against (backissues/replace.py). Empty for a story filed at the desk.
    printed = models.JSONField(_("as imported"), default=dict, blank=True, editable=False)

    objects = ArticleQuerySet.as_manager()
    # The text's revision history (who changed what, when); the admin shows diffs from it.
    history = HistoricalRecords(excluded_fields=["pages", "breaks", "updated_at", "printed"])

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["page__issue", "page__number", "order", "id"]
        indexes = [models.Index(fields=["status", "page"], name="article_status_page")]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "draft",
                        "submitted",
                        "approved",
                        "placed",
                        "published",
                        "withdrawn",
                    ]
                ),
                name="article_status_valid",
            ),
            # Placed and published articles are on a page; drafts need not be.
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "approved"]) | Q(page__isnull=False),
                name="article_placed_has_page",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_timestamp",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="article_version_positive"),
            models.CheckConstraint(condition=~Q(headline=""), name="article_headline_not_empty"),
        ]

    def __str__(self):
        return self.headline

    def get_absolute_url(self):
        return fast_reverse("articles:detail", pub=self.page.issue.publication.slug, pk=self.pk)

    @property
    def issue(self):
        return self.page.issue if self.page_id else None

    @property
    def paragraphs(self):
        return [p for p in self.body.split("\n") if p.strip()]

    @staticmethod
    def tidy_body(text: str) -> str:
        """Body text as it is stored: one paragraph a line, without blank lines or the spaces
        around them, whatever line breaks a browser or a paste sent."""
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())

    def text_hash(self) -> str:
        return article_text_hash(self.headline, self.subheadline, self.body)


class Byline(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", _("reporter")
        CORRESPONDENT = "correspondent", _("correspondent")
        SPECIAL_CORRESPONDENT = "special_correspondent", _("special correspondent")
        TRAINEE_REPORTER = "trainee_reporter", _("trainee reporter")
        PHOTOGRAPHER = "photographer", _("photographer")
        EDITOR = "editor", _("editor")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="bylines"
    )
    person = models.ForeignKey(
        "people.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="bylines",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        ordering = ["order", "id"]
        constraints = [
            # The same person may hold two roles on one article, but not one role twice.
            models.UniqueConstraint(
                fields=["article", "person", "role"], name="byline_unique_person_role"
            ),
            models.CheckConstraint(
                condition=Q(
                    role__in=[
                        "reporter",
                        "correspondent",
                        "special_correspondent",
                        "trainee_reporter",
                        "photographer",
                        "editor",
                    ]
                ),
                name="byline_role_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.person.name}"


class Photo(models.Model):
    """A photo in an article, or standalone photo news (图片新闻) on a page.

    Back issues often have only the caption and the credit, so the image is optional.
    """

    # The original as uploaded (with its metadata): kept for the desk, never shown to
    # readers, who get the renditions listed in `renditions` (articles/photos.py).
    image = models.ImageField(
        _("image"),
        upload_to="photos/%Y/",
        blank=True,
        validators=[validate_photo_file],
        help_text=_("JPEG, PNG, WebP or HEIC, as taken by the camera or phone."),
    )
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)
    caption = models.TextField(_("caption"), validators=[no_control_characters])
    photographer = models.ForeignKey(
        "people.Person",
        verbose_name=_("photographer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="photos",
    )
    # The role word printed with the credit (记者 丁小勇 摄), when there was one.
    credit_role = models.CharField(
        _("credit role"), max_length=30, choices=Byline.Role.choices, blank=True
    )
    alt_text = models.CharField(
        _("alt text"), max_length=300, blank=True, validators=[no_control_characters]
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    page = models.ForeignKey(
        "issues.Page",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="photos",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, page__isnull=True)
                | Q(article__isnull=True, page__isnull=False),
                name="photo_article_xor_page",
            ),
        ]

    def __str__(self):
        return self.caption[:40]

    def save(self, *args, **kwargs):
        """Saves the row with the renditions of its image, made when the image is new or
        changed; the replaced files are deleted after the commit if no other row uses them."""
        new_file = bool(self.image) and not self.image._committed
        if new_file:
            # Store the original first (as the ImageField would), then make the renditions.
            self.image.save(self.image.name, self.image.file, save=False)
        old_image = getattr(self, "_stored_image", "")
        old_renditions = getattr(self, "_stored_renditions", {})
        image_name = self.image.name if self.image else ""
        if image_name != old_image or (image_name and not self.renditions):
            try:
                photos.refresh_renditions(self)
            except BaseException:
                if new_file:  # leave no original behind for a row that was not saved
                    self.image.storage.delete(image_name)
                raise
        with transaction.atomic():
            super().save(*args, **kwargs)
            if image_name != old_image:
                photos.forget_files_on_commit(Photo, original=old_image, manifest=old_renditions)
        self._stored_image = image_name
        self._stored_renditions = self.renditions

    @classmethod
    def from_db(cls, db, field_names, values):
        photo = super().from_db(db, field_names, values)
        # What is stored now: the files to forget when the image is replaced.
        photo._stored_image = photo.__dict__.get("image") or ""
        photo._stored_renditions = photo.__dict__.get("renditions") or {}
        return photo


@receiver(post_delete, sender=Photo)
def forget_photo_files(sender, instance, **kwargs):
    """A deleted photo (alone, or with its article or page): its files go after the commit,
    unless another row uses the same ones."""
    photos.forget_files_on_commit(
        Photo, original=instance.image.name if instance.image else "", manifest=instance.renditions
    )


class Region(models.Model):
    """热区: where an article part or a photo sits on a printed page.

    ``boxes`` are rectangles ``[x0, y0, x1, y1]`` in fractions of the page, origin top-left,
    4 decimals; their union is the region. Automatic regions are computed from the page's PDF
    at import; manual ones are drawn at the desk and survive a re-import while the article's
    text (``text_hash``) is the one they were drawn for.
    """

    class Source(models.TextChoices):
        AUTO = "auto", _("automatic")
        MANUAL = "manual", _("drawn by hand")

    page = models.ForeignKey(
        "issues.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="regions"
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="regions",
    )
    photo = models.ForeignKey(
        "Photo",
        verbose_name=_("photo"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="regions",
    )
    boxes = models.JSONField(_("rectangles"), default=list)
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.AUTO
    )
    text_hash = models.CharField(_("text hash"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["page", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(article__isnull=False, photo__isnull=True)
                | Q(article__isnull=True, photo__isnull=False),
                name="region_article_xor_photo",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["auto", "manual"]), name="region_source_valid"
            ),
            models.UniqueConstraint(
                fields=["page", "article"],
                condition=Q(article__isnull=False),
                name="region_unique_article_page",
            ),
            models.UniqueConstraint(
                fields=["page", "photo"],
                condition=Q(photo__isnull=False),
                name="region_unique_photo_page",
            ),
        ]

    def __str__(self):
        return f"{self.page} {self.article or self.photo}"

    @property
    def svg_rects(self) -> list[dict]:
        """The rectangles for an SVG drawn in a 0..10000 square (``preserveAspectRatio=none``)."""
        return [
            {
                "x": round(x0 * 10000),
                "y": round(y0 * 10000),
                "width": round((x1 - x0) * 10000),
                "height": round((y1 - y0) * 10000),
            }
            for x0, y0, x1, y1 in self.boxes
        ]

    def percent_boxes(self) -> list[dict]:
        """The rectangles as CSS percentages (left, top, width, height)."""
        return [
            {
                "left": round(x0 * 100, 2),
                "top": round(y0 * 100, 2),
                "width": round((x1 - x0) * 100, 2),
                "height": round((y1 - y0) * 100, 2),
            }
            for x0, y0, x1, y1 in self.boxes
        ]


def article_text_hash(headline: str, subheadline: str, body: str) -> str:
    """What a manual region was drawn for: the article's text, hashed."""
    text = "\n".join((headline, subheadline, body))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Correction(models.Model):
    """更正: a dated public note on a published article."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField(_("note"), validators=[no_control_characters])
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="correction_note_not_empty"),
        ]

    def __str__(self):
        return f"{self.article} ({self.created_at:%Y-%m-%d})"


class RetiredArticle(models.Model):
    """An article an import removed (``import_issues --replace`` or ``--force``): its old
    address answers 301 to its successor when the new file holds its text elsewhere, and
    410 with a plain page saying it was removed otherwise. The id is the removed article's.
    """

    id = models.PositiveBigIntegerField(_("old article id"), primary_key=True)
    publication = models.ForeignKey(
        "issues.Publication",
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="retired_articles",
    )
    issue = models.ForeignKey(
        Issue,
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="retired_articles",
    )
    headline = models.CharField(_("headline"), max_length=200)
    successor = models.ForeignKey(
        Article,
        verbose_name=_("successor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    retired_at = models.DateTimeField(_("removed at"), default=timezone.now)

    class Meta:
        verbose_name = _("removed article")
        verbose_name_plural = _("removed articles")
        ordering = ["-retired_at", "-id"]

    def __str__(self):
        return self.headline
