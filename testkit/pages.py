"""Reading rendered pages in tests: the URLs a page links to or loads."""

from html.parser import HTMLParser


class _Attributes(HTMLParser):
    def __init__(self, wanted: dict[str, tuple[str, ...]]):
        super().__init__()
        self.wanted = wanted
        self.values = []

    def handle_starttag(self, tag, attrs):
        names = self.wanted.get(tag, ()) + self.wanted.get("*", ())
        self.values += [value for name, value in attrs if name in names and value]


def attribute_values(html: str, wanted: dict[str, tuple[str, ...]]) -> list[str]:
    """Return the values of the wanted attributes per tag ("*": any tag), in page order."""
    parser = _Attributes(wanted)
    parser.feed(html)
    return parser.values
