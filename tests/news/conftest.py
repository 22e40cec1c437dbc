"""Helpers for the news tests: items written through news.services, images made with Pillow."""

import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tenants.utils import tenant_context

BRUSSELS = ZoneInfo("Europe/Brussels")


def local(text: str) -> datetime:
    """"2031-03-05 10:00" in Brussels time."""
    return datetime.fromisoformat(text).replace(tzinfo=BRUSSELS)


def make_article(commune, agent, title, *, publish=True, at=None, categories=(), pinned=False, **fields):
    """An item written by ``agent``: published ``at`` (default: an hour ago) or left a draft."""
    from news import services

    with tenant_context(commune):
        at = at or timezone.now() - timedelta(hours=1)
        fields.setdefault("summary", f"Résumé de « {title} ».")
        article = services.article_create(actor=agent, title=title, publish_at=at, categories=list(categories),
                                          is_pinned=pinned, **fields)
        if publish:
            article = services.article_publish(article=article, actor=agent, at=at)
        return article


def make_category(commune, agent, name):
    from news import services

    with tenant_context(commune):
        return services.category_get_or_create(actor=agent, name=name)


def image_upload(name="couverture.png", fmt="PNG", size=(12, 8)) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    content_type = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}[fmt]
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=content_type)


