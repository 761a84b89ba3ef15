"""Articles in the console: managers write in Markdown with a preview, see the content
check's reasons beside the text, and publish only what passes."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from django.views.decorators.http import require_POST

from yachi.core.errors import DomainError
from yachi.core.forms import Form
from yachi.core.pages import staff_required
from yachi.growth.articles import access, selectors, services
from yachi.growth.articles.models import ArticleCategory, ArticleStatus
from yachi.growth.articles.render import markdown_to_html
from yachi.growth.promotion import hit_sentence, promotion_hits


class ArticleForm(Form):
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=ArticleCategory.choices)
    title = forms.CharField(label=pgettext_lazy("promotion", "Title"), max_length=80)
    summary = forms.CharField(
        label=pgettext_lazy("promotion", "Summary"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Shown in the list and on share cards."),
    )
    body = forms.CharField(
        label=gettext_lazy("Text (Markdown)"),
        max_length=services.BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 18, "class": "markdown"}),
        help_text=gettext_lazy(
            "## heading, **bold**, - list, [link](https://…). No pictures: the content check cannot see who a picture shows."
        ),
    )


def _hits_of(data: dict) -> list[dict]:
    return promotion_hits(
        {
            pgettext("promotion", "Title"): data.get("title", ""),
            pgettext("promotion", "Summary"): data.get("summary", ""),
            _("Text"): data.get("body", ""),
        }
    )


@staff_required
def articles_page(request):
    access.require_editor(request.user)
    status = request.GET.get("status")
    rows = [(a, *selectors.counts_of(a)) for a in selectors.articles_for_console(status=status)]
    return render(
        request,
        "growth/console/articles/list.html",
        {"rows": rows, "statuses": ArticleStatus.choices, "current": status, "section": "articles"},
    )


@staff_required
def article_edit(request, article_id=None):
    access.require_editor(request.user)
    article = (
        access.access_article_for_editor(actor=request.user, article_id=article_id)
        if article_id
        else None
    )
    initial = (
        {k: getattr(article, k) for k in ("category", "title", "summary", "body")}
        if article
        else {"category": ArticleCategory.EDUCATION}
    )
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.article_save(actor=request.user, article=article, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            if saved.check_hits:
                messages.warning(
                    request,
                    _("Saved as a draft. Edit what the content check found before publishing."),
                )
            else:
                messages.success(request, _("The article is saved."))
            return redirect("console:article_edit", article_id=saved.public_id)
    hits = article.check_hits if article and not form.is_bound else []
    return render(
        request,
        "growth/console/articles/edit.html",
        {
            "form": form,
            "article": article,
            "hits": [hit_sentence(h) for h in hits],
            "counts": selectors.counts_of(article) if article else None,
            "section": "articles",
        },
    )


@staff_required
@require_POST
def article_preview(request):
    """The htmx preview beside the editor: the rendered text and the check's reasons."""
    access.require_editor(request.user)
    data = {k: request.POST.get(k, "")[: services.BODY_LIMIT] for k in ("title", "summary", "body")}
    return render(
        request,
        "growth/console/articles/partials/preview.html",
        {
            "title": data["title"],
            "html": mark_safe(markdown_to_html(data["body"])),  # noqa: S308 - sanitized by nh3
            "hits": [hit_sentence(h) for h in _hits_of(data)],
        },
    )


@staff_required
@require_POST
def article_publish(request, article_id):
    article = access.access_article_for_editor(actor=request.user, article_id=article_id)
    try:
        if request.POST.get("action") == "withdraw":
            services.article_withdraw(actor=request.user, article=article)
            messages.success(request, _("The article is withdrawn from the app."))
        else:
            services.article_publish(actor=request.user, article=article)
            messages.success(request, _("The article is published in the app."))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("console:article_edit", article_id=article.public_id)


console_patterns = [
    path("articles/", articles_page, name="articles"),
    path("articles/new/", article_edit, name="article_new"),
    path("articles/preview/", article_preview, name="article_preview"),
    path("articles/<str:article_id>/", article_edit, name="article_edit"),
    path("articles/<str:article_id>/publish/", article_publish, name="article_publish"),
]
