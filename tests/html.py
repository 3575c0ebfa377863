"""What a reader sees of a page: its text without scripts (the JSON-LD names a company too)."""
from __future__ import annotations

from bs4 import BeautifulSoup


def visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.select("script"):
        script.decompose()
    return soup.get_text()
