"""System checks of the private storage (hiring/uploads.py): it must not be a served folder."""

import os
import stat

from django.conf import settings
from django.core import checks
from django.core.files.storage import FileSystemStorage, storages


def _inside(path: str, folder) -> bool:
    if not folder:
        return False
    path, folder = os.path.realpath(path), os.path.realpath(folder)
    return os.path.commonpath([path, folder]) == folder


@checks.register(checks.Tags.security)
def private_storage_is_not_served(app_configs=None, **kwargs):
    """The private folder lies outside STATIC_ROOT and MEDIA_ROOT, which web servers serve."""
    storage = storages["private"]
    if not isinstance(storage, FileSystemStorage):
        return []
    for setting in ("STATIC_ROOT", "MEDIA_ROOT"):
        if _inside(storage.location, getattr(settings, setting, None)):
            return [
                checks.Error(
                    f'STORAGES["private"] lies inside {setting}: uploaded files could be served to anyone.',
                    hint="Set HIRELOOP_PRIVATE_ROOT to a folder outside STATIC_ROOT and MEDIA_ROOT.",
                    id="hireloop.E001",
                )
            ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def private_storage_is_private(app_configs=None, **kwargs):
    """The private folder, once it exists, is readable by its owner only."""
    storage = storages["private"]
    if not isinstance(storage, FileSystemStorage) or not os.path.isdir(storage.location):
        return []
    mode = stat.S_IMODE(os.stat(storage.location).st_mode)
    if mode & 0o077:
        return [
            checks.Warning(
                f"The private storage folder {storage.location} has mode {mode:o}: other accounts may "
                "read the uploaded files.",
                hint=f"chmod 700 {storage.location}",
                id="hireloop.W001",
            )
        ]
    return []
