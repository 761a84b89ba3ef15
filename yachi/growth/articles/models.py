from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yachi.core.models import BaseModel


class ArticleCategory(models.TextChoices):
    EDUCATION = "education", _("Dental education")
    OFFERS = "offers", _("Offers")
    STORIES = "stories", _("Stories")


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("article", "Withdrawn")


class Article(BaseModel):
    """An article of the patient app (科普 / 促销 / 剧情), written in Markdown in the console.

    Published only through ``articles.services.article_publish``, which runs the
    advertising content check on the title, summary and body; the hits of the last
    check are kept so that the editor shows them until the text is changed.
    ``view_count`` and ``share_count`` are moved in batches from the counters
    (``articles.counters``), never by a write per view.
    """

    category = models.CharField(_("category"), max_length=16, choices=ArticleCategory.choices)
    title = models.CharField(_("title"), max_length=80)
    summary = models.CharField(_("summary"), max_length=200, blank=True)
    body = models.TextField(_("text (Markdown)"))
    status = models.CharField(
        _("status"), max_length=16, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT
    )
    check_hits = models.JSONField(default=list, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    view_count = models.PositiveBigIntegerField(_("views"), default=0)
    share_count = models.PositiveBigIntegerField(_("shares"), default=0)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["status", "category", "-published_at"], name="article_listing")
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ArticleStatus.PUBLISHED) | Q(published_at__isnull=False),
                name="article_published_has_time",
            )
        ]

    def __str__(self) -> str:
        return self.title
