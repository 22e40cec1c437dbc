"""The cover image of a page an agent writes (a news item, a project): checked when it is
uploaded, and described for people who cannot see it. The model holds ``cover`` and
``cover_alt``; the admin form and the service each call what is here."""

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ideas.forms import check_image


class CoverFormMixin:
    """For a ModelForm with ``cover`` and ``cover_alt``: a new upload must be a real image
    under the size limit, and a cover needs its description."""

    def clean_cover(self):
        cover = self.cleaned_data.get("cover")
        if isinstance(cover, UploadedFile):
            check_image(cover)
        return cover

    def clean(self):
        data = super().clean()
        if data.get("cover") and not (data.get("cover_alt") or "").strip():
            self.add_error("cover_alt", _("Describe the image for people who cannot see it."))
        return data


def cover_clean(instance) -> None:
    """Before a service saves ``instance``: no description without a cover, and a new upload
    is a real JPEG, PNG or WebP under the size limit (raises ValidationError)."""
    if not instance.cover:
        instance.cover_alt = ""
    elif not instance.cover._committed:
        check_image(instance.cover.file)

