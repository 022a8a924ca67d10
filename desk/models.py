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
