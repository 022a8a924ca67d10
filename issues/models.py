from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage

from imaging.renditions import displayed_size
from imaging.validate import verify_scan
from issues.dates import weekday_name
from people.urls_cache import fast_reverse
from people.validators import no_control_characters


def validate_scan_file(value):
    """`Page.scan`'s validator: a PDF without scripts, actions, attachments or encryption, or
    an image, decoded (never judged by its extension). A file already stored is not checked
    again on every save of the form."""
    if getattr(value, "_committed", False):
        return
    fileobj = getattr(value, "file", value)
    verify_scan(
        fileobj,
        max_bytes=settings.SCAN_UPLOAD_MAX_BYTES,
        max_pixels=settings.SCAN_MAX_MEGAPIXELS * 1_000_000,
    )


class Publication(models.Model):
    """A newspaper title, e.g. 今日罗塘. Several can share one site."""

    class SponsorRole(models.TextChoices):
        SPONSOR = "主办", _("sponsored by")
        JOINT_SPONSOR = "联合主办", _("jointly sponsored by")

    name = models.CharField(
        _("name"), max_length=100, unique=True, validators=[no_control_characters]
    )
    slug = models.SlugField(
        _("slug"), max_length=100, unique=True, help_text=_("Pinyin, used in URLs.")
    )
    # The masthead a new issue starts from (each issue keeps the masthead it printed:
    # Issue.sponsors, sponsor_role, epaper_url, submission_email).
    # Sponsors are printed in order under the masthead; a list keeps that order with the row.
    sponsors = models.JSONField(
        _("sponsors"), default=list, blank=True, validators=[no_control_characters]
    )
    sponsor_role = models.CharField(
        _("sponsor role"),
        max_length=10,
        choices=SponsorRole.choices,
        default=SponsorRole.SPONSOR,
    )
    epaper_url = models.URLField(_("e-paper URL"), blank=True, validators=[no_control_characters])
    submission_email = models.EmailField(
        _("submission e-mail"), blank=True, validators=[no_control_characters]
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sponsor_role__in=["主办", "联合主办"]),
                name="publication_sponsor_role_valid",
            ),
        ]

    def __str__(self):
        return self.name


class IssueQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Issue.Status.PUBLISHED)

    def of(self, publication):
        return self.filter(publication=publication)

    def latest_first(self):
        return self.order_by("-date", "-number")

    def visible_to(self, user):
        """Staff preview every issue; everyone else sees published issues only."""
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()

    @staticmethod
    def visible_q(user, prefix=""):
        """``visible_to`` as a condition on the issue at ``prefix`` ("page__issue__" from a
        photo), for a join the query makes anyway."""
        if user.is_authenticated and user.is_staff:
            return Q(**{f"{prefix}pk__isnull": False})
        return Q(**{f"{prefix}status": Issue.Status.PUBLISHED})


class Issue(models.Model):
    """One printed issue: 2024年11月28日 第11期 总第118期."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("planning")
        IN_LAYOUT = "in_layout", _("in layout")
        READY = "ready", _("ready for sign-off")
        PUBLISHED = "published", _("published")

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.PROTECT,
        related_name="issues",
    )
    date = models.DateField(_("date"))
    number_in_year = models.PositiveIntegerField(_("number in the year"))
    number = models.PositiveIntegerField(_("cumulative number"))
    responsible_editor = models.ForeignKey(
        "people.Person",
        verbose_name=_("responsible editor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="issues_edited",
    )
    layout_staff = models.ManyToManyField(
        "people.Person",
        verbose_name=_("layout staff"),
        through="LayoutCredit",
        related_name="issues_laid_out",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PLANNING
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # The masthead as this issue printed it; a new issue starts from its publication's
    # defaults (Issue.masthead_from), and a later change of the paper's sponsors or e-mail
    # leaves the issues already printed as they were.
    sponsors = models.JSONField(
        _("sponsors"), default=list, blank=True, validators=[no_control_characters]
    )
    # Blank: the issue printed no role line.
    sponsor_role = models.CharField(
        _("sponsor role"),
        max_length=10,
        choices=Publication.SponsorRole.choices,
        blank=True,
        default="",
    )
    epaper_url = models.URLField(_("e-paper URL"), blank=True, validators=[no_control_characters])
    submission_email = models.EmailField(
        _("submission e-mail"), blank=True, validators=[no_control_characters]
    )
    # Masthead keys the format does not know (e.g. 值班编辑), kept rather than dropped.
    extra = models.JSONField(_("extra metadata"), default=dict, blank=True)
    # The issue's own fields (masthead, 责任编辑, 组版, date) as the last imported file printed
    # them, so that ``import_issues --replace`` can tell the desk's changes from the file's
    # (backissues/replace.py); empty for an issue typed in at the desk.
    printed = models.JSONField(_("as imported"), default=dict, blank=True, editable=False)
    # SHA-256 of the last imported file as read (its text, pictures and page files): the same
    # file again is "unchanged", whatever the desk did since.
    printed_digest = models.CharField(
        _("imported file (SHA-256)"), max_length=64, blank=True, editable=False
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="issue_unique_number"),
            models.UniqueConstraint(fields=["publication", "date"], name="issue_unique_date"),
            models.CheckConstraint(condition=Q(number__gt=0), name="issue_number_positive"),
            models.CheckConstraint(
                condition=Q(number_in_year__gt=0), name="issue_number_in_year_positive"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planning", "in_layout", "ready", "published"]),
                name="issue_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(sponsor_role__in=["", "主办", "联合主办"]),
                name="issue_sponsor_role_valid",
            ),
            # A published issue always says when it was published.
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="issue_published_has_timestamp",
            ),
        ]

    def __str__(self):
        return f"{self.publication} 第{self.number_in_year}期 总第{self.number}期"

    def get_absolute_url(self):
        return fast_reverse("issues:detail", pub=self.publication.slug, number=self.number)

    MASTHEAD_FIELDS = ("sponsors", "sponsor_role", "epaper_url", "submission_email")

    def masthead_from(self, publication: Publication) -> None:
        """Start this (new) issue's masthead from the publication's defaults."""
        self.sponsors = list(publication.sponsors)
        self.sponsor_role = publication.sponsor_role
        self.epaper_url = publication.epaper_url
        self.submission_email = publication.submission_email

    @property
    def epaper_is_link(self) -> bool:
        return self.epaper_url.lower().startswith(("http://", "https://"))

    @property
    def weekday(self):
        return weekday_name(self.date)

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED


class IssueCorrection(models.Model):
    """更正 of a published issue (its masthead, staff or photo news): a dated public note
    shown on the issue's page, made by the responsible editor through the desk."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="corrections"
    )
    note = models.TextField(_("note"), validators=[no_control_characters])
    created_at = models.DateTimeField(_("date"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("issue correction")
        verbose_name_plural = _("issue corrections")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(note=""), name="issuecorrection_note_not_empty"),
        ]

    def __str__(self):
        return f"{self.issue} ({self.created_at:%Y-%m-%d})"


class LayoutCredit(models.Model):
    """组版: who laid out an issue, in the order the masthead prints them."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="layout_credits")
    person = models.ForeignKey("people.Person", verbose_name=_("person"), on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("layout credit")
        verbose_name_plural = _("layout staff")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "person"], name="layoutcredit_unique_person"),
        ]

    def __str__(self):
        return self.person.name


class PageQuerySet(models.QuerySet):
    def published(self):
        return self.filter(issue__status=Issue.Status.PUBLISHED)

    def visible_to(self, user):
        if user.is_authenticated and user.is_staff:
            return self
        return self.published()


class Page(models.Model):
    """版: one printed page of an issue (第1版 要闻)."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("issue"), on_delete=models.CASCADE, related_name="pages"
    )
    number = models.PositiveSmallIntegerField(_("page number"))
    name = models.CharField(
        _("page name"), max_length=50, blank=True, validators=[no_control_characters]
    )
    scan = models.FileField(
        _("scan"),
        upload_to="scans/%Y/",
        blank=True,
        validators=[validate_scan_file],
        help_text=_("The printed page, as a PDF or an image."),
    )
    # The SHA-256 of the scan's bytes: an import of the same file renders nothing again.
    scan_sha256 = models.CharField(_("scan SHA-256"), max_length=64, blank=True, editable=False)
    # What the scan was rendered into (storage names, pixel sizes): {"pdf": bool,
    # "renditions": [{"width", "height", "name"}, ...] widest first, "thumbnail": {...}}.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)
    # The PDF's text layer for search on the page: [[text, x0, y0, x1, y1, line], ...],
    # fractions of the page, origin top-left (empty for an image scan).
    words = models.JSONField(_("text layer"), default=list, blank=True, editable=False)
    # The page's photo news as the last imported file printed it ([[caption, photographer,
    # role], ...]): what `import_issues --replace` merges the desk's changes against.
    printed_photos = models.JSONField(
        _("photo news as imported"), default=list, blank=True, editable=False
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["issue", "number"], name="page_unique_number"),
            models.CheckConstraint(condition=Q(number__gt=0), name="page_number_positive"),
        ]

    def __str__(self):
        label = f"第{self.number}版"
        return f"{label} {self.name}" if self.name else label

    def get_absolute_url(self):
        issue = self.issue
        return fast_reverse(
            "issues:page", pub=issue.publication.slug, number=issue.number, page=self.number
        )

    @property
    def scan_is_pdf(self) -> bool:
        return self.scan.name.lower().endswith(".pdf")

    def rendition_list(self) -> list[dict]:
        """The page renditions, narrowest first (for ``srcset``)."""
        return sorted(self.renditions.get("renditions", []), key=lambda r: r["width"])

    def rendition_url(self, rendition: dict) -> str:
        return default_storage.url(rendition["name"])

    @property
    def image(self) -> dict | None:
        """The page image for ``<img>``: the narrowest rendition (what a phone loads first),
        its ``srcset`` of every width, and its pixel size; None without renditions."""
        renditions = self.rendition_list()
        if not renditions:
            return None
        first = renditions[0]
        return {
            "src": self.rendition_url(first),
            "srcset": ", ".join(f"{self.rendition_url(r)} {r['width']}w" for r in renditions),
            "width": first["width"],
            "height": first["height"],
        }

    def scan_image_size(self) -> tuple[int, int] | None:
        """An image scan's pixel size as shown (EXIF orientation applied), read from the
        file's header, for the `width` and `height` of its `<img>` when it has no renditions;
        None for a PDF, no scan, or a file that cannot be read."""
        if not self.scan or self.scan_is_pdf:
            return None
        try:
            with self.scan.open("rb") as handle, PILImage.open(handle) as image:
                return displayed_size(image)
        except (OSError, ValueError, SyntaxError):
            return None

    @property
    def thumbnail(self) -> dict | None:
        thumb = self.renditions.get("thumbnail")
        if not thumb:
            return None
        return {
            "src": self.rendition_url(thumb),
            "width": thumb["width"],
            "height": thumb["height"],
        }
