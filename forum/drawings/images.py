"""Where a drawing's pictures live. The cleaning itself (real decoding of JPEG, PNG or HEIC,
upright per EXIF, every metadata field stripped, 2000 px and 400 px JPEGs) is the app's one
photo pipeline, `forum.images`; this module only places the files: one folder per forum under
UPLOAD_DIR/drawings/, named by a random key, never by the uploaded name."""
from __future__ import annotations

from pathlib import Path

from forum import images as pipeline
from forum.images import (  # noqa: F401  (the drawings' view of the shared pipeline)
    MAX_UPLOAD_MB,
    CleanImage,
    ImageRefused,
    clean_image,
    new_image_key,
    read_limited,
)


def image_dir(upload_dir: str | Path, forum_id: int) -> Path:
    return Path(upload_dir) / "drawings" / str(forum_id)


def image_path(upload_dir: str | Path, forum_id: int, key: str, size: str = "full") -> Path:
    return pipeline.image_path(image_dir(upload_dir, forum_id), key, size)


def write_images(upload_dir: str | Path, forum_id: int, key: str, image: CleanImage) -> list[Path]:
    """Both files, each written atomically; nothing is left behind when writing fails."""
    return pipeline.write_images(image_dir(upload_dir, forum_id), key, image)


def delete_images(upload_dir: str | Path, forum_id: int, key: str) -> None:
    pipeline.delete_images(image_dir(upload_dir, forum_id), key)
