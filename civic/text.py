"""Small text helpers shared by the modules."""

from django.utils.text import slugify


def free_slug(model, text: str, *, fallback: str = "item", max_length: int = 70) -> str:
    """A slug made from ``text`` that no row of ``model`` uses yet: "budget-2020", then
    "budget-2020-2", "budget-2020-3"…"""
    base = slugify(text)[:max_length] or fallback
    slug, number = base, 2
    while model.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not read as a formula (CSV/XLSX injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
