from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.validators import no_control_characters


class Transition(models.Model):
    """One step of the editorial workflow: who moved an article or an issue, when, from
    which state to which, and why. Written only by the service functions."""

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
    )
    issue = models.ForeignKey(
        "issues.Issue",
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="transitions",
    )
    # The name of the rule in desk.workflow.TRANSITIONS (submit, approve, ...).
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from"), max_length=20)
    to_state = models.CharField(_("to"), max_length=20)
    note = models.TextField(_("note"), blank=True, validators=[no_control_characters])
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transitions",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        # The table was made when this model lived in the articles app; it keeps its name.
        db_table = "articles_transition"
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["article", "-at"], name="transition_article_at"),
            models.Index(fields=["issue", "-at"], name="transition_issue_at"),
        ]
        constraints = [
            # A step belongs to exactly one thing: an article or an issue.
            models.CheckConstraint(
                condition=Q(article__isnull=False, issue__isnull=True)
                | Q(article__isnull=True, issue__isnull=False),
                name="transition_article_xor_issue",
            ),
        ]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"


class ScheduledPublication(models.Model):
    """签发 for a time: the responsible editor confirmed the issue as it was (``version``,
    see desk/confirm.py) and chose when it goes public. ``manage.py publish_scheduled``
    publishes it then, unless it was cancelled (the row deleted) or the issue changed
    since (the row stays, with the reason in ``error``, until someone cancels it)."""

    issue = models.OneToOneField(
        "issues.Issue",
        verbose_name=_("issue"),
        on_delete=models.CASCADE,
        related_name="scheduled_publication",
    )
    at = models.DateTimeField(_("publish at"))
    version = models.CharField(_("confirmed version"), max_length=32)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    error = models.TextField(_("why it was not published"), blank=True)

    class Meta:
        verbose_name = _("scheduled publication")
        verbose_name_plural = _("scheduled publications")
        indexes = [models.Index(fields=["at"], name="scheduled_publication_at")]

    def __str__(self):
        return f"{self.issue_id} @ {self.at:%Y-%m-%d %H:%M}"


class CaptionSnapshot(models.Model):
    """The photo captions of an article at one of its versions, written with every save at
    the desk, so that the text history and the sign-off diff show caption edits too (photos
    have no revision history of their own)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="caption_snapshots"
    )
    version = models.PositiveIntegerField()
    captions = models.JSONField(default=list)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["article", "version"], name="caption_snapshot_article_version"
            )
        ]

    def __str__(self):
        return f"{self.article_id} v{self.version}"
