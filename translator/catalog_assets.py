"""``--copy-assets``: the files a converted document's relative asset hrefs point to, copied to
the same relative place below OUT_DIR, so the hrefs still resolve there.

Only relative hrefs are considered; the source file must be a regular file inside the input
root (symlinks resolved) and the copy must land inside OUT_DIR (the same checks as document
outputs). A copy is skipped when the destination is already up to date; it is written through a
temporary file and renamed into place, so an interrupted run leaves no partial asset.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from urllib.parse import unquote

from .catalog_write import open_temp
from .errors import DocumentError
from .jsonio import fill_and_replace, parse
from .sources import inside


def relative_hrefs(doc: dict) -> list[tuple[str, str]]:
    """(asset key, href) of the relative asset hrefs of a document (or of each feature)."""
    docs = doc.get("features") if doc.get("type") == "FeatureCollection" else [doc]
    found = []
    for d in docs if type(docs) is list else ():
        assets = d.get("assets") if type(d) is dict else None
        for key, asset in (assets.items() if type(assets) is dict else ()):
            href = asset.get("href") if type(asset) is dict else None
            if type(href) is str and href and "://" not in href and not href.startswith(("/", "#")) \
                    and ":" not in href.split("/")[0]:
                found.append((key, href))
    return found


@dataclass
class AssetCopies:
    """What --copy-assets did for one document: the copies below OUT_DIR (relative to it) made
    now or already up to date, and '/assets/KEY: why' warnings: *skipped* for hrefs that are
    never copied (the same on every run of an unchanged document), *failed* for copies tried."""
    copied: list[str] = field(default_factory=list)
    current: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def copy_assets(doc: dict, source: str, output: str, source_root: str, out_abs: str, out_real: str,
                checked: set[str]) -> AssetCopies:
    """Copy the asset files of *doc* (read from *source*, written to *output*)."""
    done = AssetCopies()
    warnings = done.skipped
    for key, href in relative_hrefs(doc):
        path = unquote(href.split("#")[0].split("?")[0])
        src = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(source)), path))
        dst = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(output)), path))
        where = f"/assets/{key}"
        if not inside(source_root, src):
            warnings.append(f"{where}: asset {href} lies outside the input root; not copied")
            continue
        if not os.path.isfile(src):
            warnings.append(f"{where}: asset {href} is not a file next to the input; not copied")
            continue
        if is_stac_document(src):  # a copy would replace its translation with the original
            warnings.append(f"{where}: asset {href} is a STAC document (converted on its own when the run "
                            "reaches it); not copied")
            continue
        if not dst.startswith(out_abs.rstrip(os.sep) + os.sep):
            warnings.append(f"{where}: asset {href} would land outside the output root; not copied")
            continue
        rel = os.path.relpath(dst, out_abs)
        try:
            if os.path.isfile(dst) and not os.path.islink(dst) \
                    and os.path.getmtime(dst) >= os.path.getmtime(src) and os.path.getsize(dst) == os.path.getsize(src):
                done.current.append(rel)
                continue
            _copy(src, dst, out_real, checked)
            done.copied.append(rel)
        except (OSError, DocumentError) as exc:
            message = exc.message if isinstance(exc, DocumentError) else (exc.strerror or str(exc))
            done.failed.append(f"{where}: asset {href} not copied: {message}")
    return done


def is_stac_document(path: str) -> bool:
    """Whether *path* holds an Item, Collection, Catalog or ItemCollection: a document the run
    may read and translate itself (a plain GeoJSON file, say labels, has no stac_version)."""
    if not path.lower().endswith((".json", ".geojson", ".yaml", ".yml")):
        return False
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
        if b"stac_version" not in raw:
            return False
        value, _ = parse(raw, path, lenient=True, suffix=os.path.splitext(path)[1].lower())
    except (OSError, DocumentError):
        return False
    return type(value) is dict and value.get("type") in ("Feature", "Collection", "Catalog", "FeatureCollection")


def _copy(src: str, dst: str, out_real: str, checked: set[str]) -> None:
    def fill(out) -> None:
        with open(src, "rb") as inp:
            shutil.copyfileobj(inp, out, 1 << 20)

    # the copy keeps the source's mtime, which the up-to-date check compares
    fill_and_replace(*open_temp(dst, out_real, checked), fill, after=lambda path: shutil.copystat(src, path))
