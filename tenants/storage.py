import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PlatformStorage(FileSystemStorage):
    """Files of the platform itself (the communes' logos): under MEDIA_ROOT/public/
    whatever schema is current, so a commune's site and the landing page agree on the URL."""

    @property
    def base_location(self):
        return os.path.join(settings.MEDIA_ROOT, "public")

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return settings.MEDIA_URL.rstrip("/") + "/public/"


def platform_storage():
    return PlatformStorage()
