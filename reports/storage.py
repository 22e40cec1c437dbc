"""Where the PDF reports are kept: private to each commune, never under MEDIA_ROOT (whatever is
there is served publicly by ``civic.views.media``). They leave the disk only through the
agents' download view (reports.views.download).

The root is the setting ``REPORTS_ROOT`` when it is set, otherwise ``BASE_DIR/var/private``;
each commune has its own folder below it, named after its schema:
``<root>/<schema>/reports/report-<id>.pdf``."""

import os
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django_tenants.utils import get_public_schema_name


def private_root() -> Path:
    root = getattr(settings, "REPORTS_ROOT", None) or Path(settings.BASE_DIR) / "var" / "private"
    root = Path(root).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    if root == media or media in root.parents:
        raise ImproperlyConfigured("REPORTS_ROOT must not be inside MEDIA_ROOT: everything there is public.")
    return root


class PrivateReportStorage(FileSystemStorage):
    """A FileSystemStorage rooted in the current commune's private folder. It has no URL;
    a file keeps its name when written again (``replace``), so a report generated twice is
    still one file."""

    def __init__(self):
        super().__init__(file_permissions_mode=0o640, directory_permissions_mode=0o750, allow_overwrite=True)

    @property  # per commune: not cached like FileSystemStorage's
    def base_location(self):
        schema = connection.schema_name
        if not schema or schema == get_public_schema_name() or os.sep in schema or schema.startswith("."):
            raise ImproperlyConfigured("Reports are stored in a commune's schema only.")
        return str(private_root() / schema)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Reports have no public URL: they are downloaded through reports.views.download.")

    def replace(self, name: str, content: bytes) -> str:
        """Write ``content`` under ``name`` at once: to a temporary file beside it, then
        renamed over the old one, so a download never reads half a file."""
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o750)
        temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        try:
            with open(temporary, "wb") as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(temporary, 0o640)
            os.replace(temporary, path)
        finally:
            if temporary.exists():
                temporary.unlink()
        return name


report_storage = PrivateReportStorage()


def private_storage():
    """For the model field (a callable keeps the storage out of the migrations)."""
    return report_storage
