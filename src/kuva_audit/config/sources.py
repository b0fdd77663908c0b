"""Where a service or a page of a run is written in services.yaml: its file and line.

Code scanning (SARIF) and GitHub's workflow annotations can only point at files of the
repository, so each result is located at the line a person edits to change what is audited:
the list item of a listed page (``services[i].pages[j]``, whatever the form of the entry), the
service's own item for pages found through its sitemap, and the ``sitemap:`` setting for a
sitemap that could not be read.

The file is named relative to the repository root: the nearest folder at or above
services.yaml that holds ``.git`` (a checkout, a worktree or a submodule), else the folder of
services.yaml itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kuva_audit.config.loader import LoadedConfig
from kuva_audit.config.models import resolve_page

Kind = Literal["page", "service", "sitemap", "services"]


@dataclass(frozen=True)
class SourceLine:
    """A place in a file of the repository: POSIX path from the root, 1-based line and column."""

    uri: str
    line: int
    column: int = 1
    kind: Kind = "page"
    """What is written there: a listed page, a service, a sitemap setting, or the ``services:``
    key (for a service that is not in the file any more)."""


def repository_root(path: Path) -> Path:
    """The nearest folder at or above ``path``'s folder with a ``.git`` entry, else that folder."""
    folder = path.resolve().parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return folder


def item_position(tree: Any, *keys: str | int) -> tuple[int, int] | None:
    """1-based (line, column) where the node at ``keys`` starts: a list item where its ``-``
    entry starts (a plain string, a flow mapping or a block mapping alike), a mapping key
    where the key is written; None when the path is not in the tree."""
    node = tree
    position: tuple[int, int] | None = None
    for key in keys:
        if isinstance(node, CommentedMap) and isinstance(key, str) and key in node:
            line, column = node.lc.key(key)
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line, column = node.lc.item(key)
        else:
            return None
        position = (line + 1, column + 1)
        node = node[key]
    return position


@dataclass(frozen=True)
class Sources:
    """services.yaml lines of every service and listed page of a config."""

    uri: str
    """services.yaml relative to the repository root, with forward slashes."""
    top: SourceLine
    """The ``services:`` key: where anything not found in the file is located."""
    services: Mapping[str, SourceLine] = field(default_factory=dict)
    pages: Mapping[tuple[str, str], SourceLine] = field(default_factory=dict)
    """(service id, absolute page URL) -> its list item."""
    sitemaps: Mapping[str, SourceLine] = field(default_factory=dict)
    """service id -> the ``sitemap:`` setting it uses (its own, else ``defaults:``)."""

    @classmethod
    def of(cls, loaded: LoadedConfig, root: Path | None = None) -> Sources:
        """Lines of ``loaded``; paths relative to ``root`` [default: :func:`repository_root`]."""
        base = (root or repository_root(loaded.path)).resolve()
        uri = loaded.path.resolve().relative_to(base).as_posix()
        tree = loaded.tree

        def at(kind: Kind, *keys: str | int) -> SourceLine | None:
            found = item_position(tree, *keys)
            return SourceLine(uri, *found, kind) if found else None

        top = at("services", "services") or SourceLine(uri, 1, 1, "services")
        services: dict[str, SourceLine] = {}
        pages: dict[tuple[str, str], SourceLine] = {}
        sitemaps: dict[str, SourceLine] = {}
        default_sitemap = at("sitemap", "defaults", "sitemap")
        raw_services = tree.get("services") if isinstance(tree, CommentedMap) else None
        for i, service in enumerate(loaded.config.services):
            services[service.id] = at("service", "services", i) or top
            sitemap = at("sitemap", "services", i, "sitemap") or default_sitemap
            if sitemap is not None:
                sitemaps[service.id] = sitemap
            item = raw_services[i] if isinstance(raw_services, CommentedSeq) else None
            raw = item.get("pages") if isinstance(item, CommentedMap) else None
            for j, entry in enumerate(raw if isinstance(raw, CommentedSeq) else ()):
                url = entry.get("path") if isinstance(entry, CommentedMap) else entry
                line = at("page", "services", i, "pages", j)
                if isinstance(url, str) and line is not None:
                    pages.setdefault((service.id, resolve_page(service.url, url)), line)
        return cls(uri, top, services, pages, sitemaps)

    @classmethod
    def unknown(cls, uri: str = "services.yaml") -> Sources:
        """No lines known (a run rendered without its config): everything at line 1."""
        return cls(uri, SourceLine(uri, 1, 1, "services"))

    def page(self, service_id: str, url: str, *, sitemap_error: bool = False) -> SourceLine:
        """Where a page is listed; for other pages (found through a sitemap) the service; for
        a sitemap that could not be read its ``sitemap:`` setting."""
        if sitemap_error and service_id in self.sitemaps:
            return self.sitemaps[service_id]
        found = self.pages.get((service_id, url))
        if found is not None:
            return found
        return self.services.get(service_id, self.top)
