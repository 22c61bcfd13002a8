"""Where a catalog's ``child`` and ``item`` links lead (or any link of a document), checked
for safety: part of the ``translator.sources`` API (importable from there too), split out of
sources.py."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Union
from urllib.parse import unquote, urljoin, urlparse

FOLLOWED = ("child", "item")
REMOTE = ("http", "https")


@dataclass(frozen=True)
class Followed:
    """A link that may be followed: a local file below the root, or a URL (follow_remote)."""
    path: Path | None
    url: str | None
    rel: str                          # 'child' or 'item' (another relation when asked for)
    real: str = ""                    # the local path with symlinks resolved (what cycles compare)
    index: int = -1                   # its place in the document's links (warnings name /links/N)
    href: str = ""                    # as written

    def __reduce__(self):  # sent between processes: a str pickles faster than a Path
        return _followed, (None if self.path is None else str(self.path), self.url, self.rel, self.real,
                           self.index, self.href)


def _followed(path, url, rel, real, index, href):
    return Followed(None if path is None else Path(path), url, rel, real, index, href)


def target_label(target: Followed) -> str:
    return target.url or str(target.path)


def cycle_warning(target: Followed) -> str:
    """The ``/links/N: why`` warning for a link back to a catalog on the way to the document
    that holds it (only the caller knows that way)."""
    return (f"/links/{target.index}: link {target.href} leads back to a document already on this path "
            "(cycle); not followed")


LinkTarget = Union[Followed, str]


def link_targets(doc: dict, here: Path | str, root: Path | str | None, *,
                 follow_remote: bool = False, rels: tuple[str, ...] | None = FOLLOWED) -> Iterator[LinkTarget]:
    """Where the ``child`` and ``item`` links of *doc* (read from *here*) lead (the links of
    the relations *rels*; None: every link).

    Yields a :class:`Followed` for each link that may be read, and a string
    ``"/links/N: why"`` for each one that is deliberately not followed: remote without
    *follow_remote*, absolute, not a file URL, or leading outside *root* (through ``..``
    or a symlink). For a remote *here*, relative hrefs are URLs and must stay below *root*
    when it is a URL prefix (else below *here*'s directory). A local target's ``path`` is
    relative when *here* is (to the same working directory), so that messages name files the
    way the user named the catalog. Cycles are the caller's business (it knows what it has
    read): :func:`cycle_warning` words them."""
    links = doc.get("links")
    if type(links) is not list:
        return
    remote_here = isinstance(here, str)
    if not remote_here:
        here_dir = os.path.dirname(absolute_path(str(here)))
        shown_dir = None if os.path.isabs(here) else os.path.dirname(os.path.normpath(here))
        root_abs = absolute_path(str(root)) if root is not None else None
    for i, link in enumerate(links):
        if type(link) is not dict or type(link.get("href")) is not str or (
                rels is not None and link.get("rel") not in rels):
            continue
        href, rel = link["href"], link.get("rel")  # no rel: only when every link is asked for
        if not remote_here and ":" not in href and "%" not in href and "#" not in href and "?" not in href \
                and not href.startswith(("/", "\\")):
            path = href  # the common case: a plain relative path (a URI reference without query or fragment)
        else:
            parsed = urlparse(href)
            if parsed.scheme in REMOTE or remote_here:
                url = urljoin(here, href) if remote_here else href
                base = root if isinstance(root, str) else (here.rsplit("/", 1)[0] + "/" if remote_here else None)
                if urlparse(url).scheme not in REMOTE:
                    yield f"/links/{i}: link {href} of a remote document is not an http(s) URL; not followed"
                elif not follow_remote:
                    yield f"/links/{i}: remote link {href} not followed (give --follow-remote to read it)"
                elif base is not None and not url.startswith(base):
                    yield f"/links/{i}: link {href} leads outside the remote catalog; not followed"
                else:
                    yield Followed(None, url, rel, "", i, href)
                continue
            path = unquote(parsed.path)
            if parsed.scheme not in ("", "file") or parsed.netloc or os.path.isabs(path):
                yield f"/links/{i}: absolute link {href} not followed"
                continue
        target = os.path.normpath(os.path.join(here_dir, path))
        real = resolve(target)
        if root_abs is not None and not (_under(target, root_abs) and _below(real, root)):
            yield f"/links/{i}: link {href} leads outside the catalog root; not followed"
            continue
        shown = target if shown_dir is None else os.path.normpath(os.path.join(shown_dir, path))
        yield Followed(Path(shown), None, rel, real, i, href)


def absolute_path(path: str) -> str:
    """*path* made absolute and normalised, symlinks kept (how a run names its local files)."""
    return os.path.normpath(os.path.abspath(path))


def _under(path: str, root_abs: str) -> bool:
    return path.startswith(root_abs.rstrip(os.sep) + os.sep)


_DIRS: dict[str, str] = {}


def resolve(path: str) -> str:
    """``os.path.realpath`` of an absolute normalised path, with the directories' answers
    remembered (a catalog links thousands of items in the same few directories)."""
    directory, name = os.path.split(path)
    if not name:
        return path
    real_dir = _DIRS.get(directory)
    if real_dir is None:
        real_dir = resolve(directory)
        if len(_DIRS) > 200_000:
            _DIRS.clear()
        _DIRS[directory] = real_dir
    candidate = os.path.join(real_dir, name)
    return os.path.realpath(candidate) if os.path.islink(candidate) else candidate


def _below(real: str, root: Path | str) -> bool:
    root_real = _real_root(str(root))
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


_ROOTS: dict[str, str] = {}


def _real_root(root: str) -> str:
    real = _ROOTS.get(root)
    if real is None:
        real = _ROOTS[root] = os.path.realpath(root)
    return real
