"""Writing, publishing and sharing articles. Publishing runs the advertising content
check (ADR 0049): an article with a hit stays a draft, with its hits kept for the editor."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yachi.compliance.facade import AuditAction, audit_record
from yachi.core.errors import Conflict, InvalidInput
from yachi.growth.articles import counters
from yachi.growth.articles.models import Article, ArticleCategory, ArticleStatus
from yachi.growth.articles.render import plain_text
from yachi.growth.inputs import text_input
from yachi.growth.promotion import ContentRefused, promotion_hits, promotion_require

BODY_LIMIT = 20_000


def _fields(article: Article) -> dict[str, str]:
    return {
        pgettext("promotion", "Title"): article.title,
        pgettext("promotion", "Summary"): article.summary,
        _("Text"): article.body,
    }


def article_save(
    *, actor, article: Article | None = None, category: str, title: str, summary: str, body: str
) -> Article:
    """Create or change an article. A published article stays published only if the new
    text passes the check; otherwise nothing is saved and the hits are named."""
    if category not in ArticleCategory.values:
        raise InvalidInput(_("Choose the article's category."), code="invalid_category")
    title = text_input(title, label=pgettext("promotion", "Title"), limit=80)
    summary = text_input(summary, label=pgettext("promotion", "Summary"), limit=200, required=False)
    body = text_input(body, label=_("Text"), limit=BODY_LIMIT, multiline=True)
    with transaction.atomic():
        if article is None:
            article = Article(written_by=actor)
        else:
            article = Article.objects.select_for_update().get(pk=article.pk)
        article.category, article.title, article.summary, article.body = (
            category,
            title,
            summary,
            body,
        )
        hits = promotion_hits(_fields(article))
        if article.status == ArticleStatus.PUBLISHED and hits:
            raise ContentRefused(
                _(
                    "The published article keeps its text: the new text breaks the advertising rules."
                ),
                hits=hits,
            )
        article.check_hits = hits
        article.save()
    return article


def article_publish(*, actor, article: Article) -> Article:
    """Publish a draft (or a withdrawn article) that passes the content check."""
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        if locked.status == ArticleStatus.PUBLISHED:
            raise Conflict(_("The article is already published."), code="already_published")
        hits = promotion_hits(_fields(locked))
        if hits:
            Article.objects.filter(pk=locked.pk).update(check_hits=hits)
    if hits:
        promotion_require(_fields(locked))  # raises, naming every hit
    with transaction.atomic():
        locked = Article.objects.select_for_update().get(pk=article.pk)
        locked.status, locked.check_hits = ArticleStatus.PUBLISHED, []
        locked.published_at, locked.published_by = timezone.now(), actor
        locked.save()
        audit_record(
            action=AuditAction.CONTENT_PUBLISHED,
            actor=actor,
            object_type="growth.article",
            object_id=str(locked.public_id),
            details={"published": True, "category": locked.category},
        )
    return locked


def article_withdraw(*, actor, article: Article) -> Article:
    with transaction.atomic():
        done = Article.objects.filter(pk=article.pk, status=ArticleStatus.PUBLISHED).update(
            status=ArticleStatus.WITHDRAWN, updated_at=timezone.now()
        )
        if not done:
            raise Conflict(_("Only a published article can be withdrawn."), code="not_published")
        audit_record(
            action=AuditAction.CONTENT_PUBLISHED,
            actor=actor,
            object_type="growth.article",
            object_id=str(article.public_id),
            details={"published": False},
        )
    article.refresh_from_db()
    return article


def article_viewed(article: Article) -> None:
    counters.count("views", article.pk)


@dataclass(frozen=True)
class ShareCard:
    """What a share shows (a WeChat card, a poster): only the article's checked title and
    summary, the link, and the sharer's invite code in it."""

    title: str
    summary: str
    link: str
    invite_code: str


def article_path(article: Article, *, invite_code: str = "") -> str:
    path = reverse("web:article", kwargs={"article_id": article.public_id})
    return f"{path}?{urlencode({'invite': invite_code})}" if invite_code else path


def share_card(*, article: Article, invite_code: str) -> ShareCard:
    card = ShareCard(
        title=article.title,
        summary=article.summary or plain_text(article.body, 60),
        link=settings.YACHI_PUBLIC_URL.rstrip("/") + article_path(article, invite_code=invite_code),
        invite_code=invite_code,
    )
    # The card is promotional text of its own: checked as it is shown.
    promotion_require(
        {pgettext("promotion", "Title"): card.title, pgettext("promotion", "Summary"): card.summary}
    )
    return card


def article_share(*, user, article: Article, invite_code: str) -> ShareCard:
    """A patient shares an article: the card with their invite code, and one share counted."""
    card = share_card(article=article, invite_code=invite_code)
    counters.count("shares", article.pk)
    return card
