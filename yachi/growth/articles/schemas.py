from typing import Literal

from ninja import Schema
from pydantic import Field

from yachi.core.schemas import LocalDatetime, PublicOut
from yachi.growth.articles.render import markdown_to_html, plain_text


class ArticleQuery(Schema):
    category: Literal["education", "offers", "stories"] | None = None
    limit: int = Field(20, ge=1, le=50)


class ArticleListOut(PublicOut):
    category: str
    category_display: str
    title: str
    summary: str
    published_at: LocalDatetime

    @staticmethod
    def resolve_category_display(obj):
        return obj.get_category_display()

    @staticmethod
    def resolve_summary(obj):
        return obj.summary


class ArticleOut(ArticleListOut):
    html: str
    views: int
    shares: int

    @staticmethod
    def resolve_html(obj):
        return markdown_to_html(obj.body)

    @staticmethod
    def resolve_summary(obj):
        return obj.summary or plain_text(obj.body)

    @staticmethod
    def resolve_views(obj):
        return obj.view_count

    @staticmethod
    def resolve_shares(obj):
        return obj.share_count


class ShareCardOut(Schema):
    title: str
    summary: str
    link: str
    invite_code: str
