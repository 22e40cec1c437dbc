"""Filters of the PDF templates."""

from django import template
from django.utils.safestring import mark_safe

from budgets.ballots import euros as format_euros

register = template.Library()


@register.filter
def css_string(value) -> str:
    """``value`` as a quoted CSS string, for the ``content`` of the page's margin boxes:
    nothing in it can end the string or the style sheet."""
    text = str(value)
    escaped = "".join(
        "\\" + ch if ch in '"\\' else f"\\{ord(ch):x} " if ch in "<>&\n\r\f" or ord(ch) < 32 else ch
        for ch in text)
    return mark_safe(f'"{escaped}"')


@register.filter
def euros(value) -> str:
    """An amount in whole euros with the language's grouping: 20 000 €."""
    if value in (None, ""):
        return "—"
    return format_euros(value)
