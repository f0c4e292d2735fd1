"""A page's elements as the markup tests read them: tag, attributes, text, what they sit in."""

from html.parser import HTMLParser

CONTROLS = {"input", "select", "textarea"}


class Page(HTMLParser):
    """Each element's tag, attributes, text and the tags it sits inside."""

    def __init__(self, html: str):
        super().__init__()
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {
            "tag": tag,
            "attrs": {name: (value or "") for name, value in attrs},
            "inside": [e["tag"] for e in self.open],
            "fieldset": next((e for e in reversed(self.open) if e["tag"] == "fieldset"), None),
            "text": "",
        }
        self.elements.append(element)
        if tag not in {"input", "br", "meta", "link", "img"}:
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index]["tag"] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def by_id(self, ident: str) -> dict | None:
        return next((e for e in self.elements if e["attrs"].get("id") == ident), None)

    def controls(self, prefix: str) -> list[dict]:
        """The inputs she answers (not the hidden ones, nor the honeypot bots fill in)."""
        return [
            e
            for e in self.elements
            if e["tag"] in CONTROLS
            and e["attrs"].get("name", "").startswith(f"{prefix}-")
            and e["attrs"].get("type") != "hidden"
            and not e["attrs"]["name"].endswith("-website")
        ]

    def labels_for(self, ident: str) -> list[dict]:
        return [e for e in self.elements if e["tag"] == "label" and e["attrs"].get("for") == ident]
