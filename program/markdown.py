"""A program's 공고, written by staff in Markdown, as safe HTML (SPEC §19).

markdown-it-py (the CommonMark parser of the Executable Books project) with raw HTML turned off: a
`<script>` or any other tag typed into the text is shown as text, escaped, never passed through.
Images are not rendered (a 공고's pictures go in its files), and a link may only go to a web page,
an e-mail address or a page of the site: `javascript:`, `data:` and every other scheme stay text.
Links carry rel="noopener nofollow"; headings start at h2, under the page's title.
"""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_SCHEMES = ("http:", "https:", "mailto:")


def _link_allowed(url: str) -> bool:
    url = url.strip().lower()
    if url.startswith(("/", "#", "?")) and not url.startswith("//"):
        return True
    return url.startswith(ALLOWED_SCHEMES)


def _link_open(self, tokens, idx, options, env):
    tokens[idx].attrSet("rel", "noopener nofollow")
    return self.renderToken(tokens, idx, options, env)


def _heading(self, tokens, idx, options, env):
    # The page has its own h1 (the program's title): the 공고's headings sit one level below it.
    token = tokens[idx]
    token.tag = f"h{min(int(token.tag[1]) + 1, 6)}"
    return self.renderToken(tokens, idx, options, env)


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable("image")
    parser.validateLink = _link_allowed  # type: ignore[method-assign]
    parser.add_render_rule("link_open", _link_open)
    parser.add_render_rule("heading_open", _heading)
    parser.add_render_rule("heading_close", _heading)
    return parser


_PARSER = _parser()


def markdown_html(text: str) -> SafeString:
    """`text` (Markdown) as HTML that may be put in a page as it is."""
    return mark_safe(_PARSER.render(text or ""))  # noqa: S308 - raw HTML is off: every tag is escaped
