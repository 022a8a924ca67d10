from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from people.urls_cache import fast_reverse
from people.validators import no_control_characters


class Person(models.Model):
    """A name that appears in the paper: in a byline, a photo credit, or the masthead.

    Chinese names repeat and some are also words (吉祥), so the name is not unique and
    never used as an identifier in URLs. A person may have a login (staff) or not
    (most correspondents of back issues).
    """

    name = models.CharField(
        _("name"), max_length=50, db_index=True, validators=[no_control_characters]
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    affiliation = models.CharField(
        _("affiliation"), max_length=100, blank=True, validators=[no_control_characters]
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=""), name="person_name_not_empty"),
        ]

    def __str__(self):
        if self.affiliation:
            return f"{self.name}（{self.affiliation}）"
        return self.name

    def get_absolute_url(self):
        return fast_reverse("people:detail", pk=self.pk)
