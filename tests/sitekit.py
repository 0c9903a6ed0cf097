"""Helpers for site tests: parse generated HTML and check that internal links resolve."""

from __future__ import annotations

from html.parser import HTMLParser
from posixpath import dirname, join, normpath
from urllib.parse import urldefrag, urlsplit


class Page(HTMLParser):
    """Collects links, ids, tags and the text of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for key in ("href", "src"):
            if key in attributes:
                self.links.append(attributes[key])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(html: bytes) -> Page:
    page = Page()
    page.feed(html.decode("utf-8"))
    page.close()
    return page


def broken_links(files: dict[str, bytes]) -> list[str]:
    """`page -> link` for every relative link in an HTML file that points at no generated
    file (or at a missing #fragment); absolute URLs are not followed."""
    pages = {path: parse(data) for path, data in files.items() if path.endswith(".html")}
    broken = []
    for path, page in sorted(pages.items()):
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("/"):
                continue
            target, fragment = urldefrag(link)
            resolved = normpath(join(dirname(path), target)) if target else path
            if resolved not in files:
                broken.append(f"{path} -> {link}")
            elif fragment and resolved in pages and fragment not in pages[resolved].ids:
                broken.append(f"{path} -> {link} (no id {fragment!r})")
    return broken
