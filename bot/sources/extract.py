"""Turn a page (HTML, Markdown or plain text) into title, publisher, date and clean main text.

HTML goes through trafilatura with comments disabled; forum pages (phpBB, SMF, vBulletin, XenForo,
Discourse, DiscordChatExporter) are recognised by their post containers first and reduced to the opening
post. Every path ends in :func:`bot.sources.furniture.clean_text`, which removes what the extractors keep.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from lxml import html as lxml_html

from bot.errors import InputError
from bot.sources.furniture import clean_text, split_tail

log = logging.getLogger(__name__)

# (forum family, XPath of a post's content element, XPath of the author inside the post container)
FORUM_POSTS: list[tuple[str, str]] = [
    ("vbulletin", "//div[starts-with(@id, 'post_message_')]"),
    ("vbulletin", "//blockquote[contains(@class, 'postcontent')]"),
    ("vbulletin", "//div[contains(@class, 'js-post__content-text')]"),
    ("phpbb", "//div[contains(concat(' ', normalize-space(@class), ' '), ' postbody ')]"
              "//div[contains(concat(' ', normalize-space(@class), ' '), ' content ')]"),
    ("smf", "//div[contains(@class, 'post_wrapper')]//div[contains(concat(' ', normalize-space(@class), ' '),"
            " ' inner ')]"),
    ("smf", "//div[@class='post']/div[@class='inner']"),
    ("xenforo", "//article[contains(@class, 'message')]//div[contains(@class, 'bbWrapper')]"),
    ("discourse", "//div[contains(@class, 'topic-post')]//div[contains(@class, 'cooked')]"),
    ("discourse", "//div[@itemprop='articleBody' or (contains(@class, 'post') and @itemprop='text')]"),
    ("discord", "//div[contains(@class, 'chatlog__message-group')]"),
    ("mybb", "//div[contains(@class, 'post_body')]"),
    ("invision", "//div[@data-role='commentContent'] | //div[contains(@class, 'cPost_contentWrap')]"),
    ("fluxbb", "//div[contains(@class, 'postmsg')]"),
    ("vanilla", "//div[contains(@class, 'Message') and contains(@class, 'userContent')]"),
    ("reddit", "//div[contains(@class, 'usertext-body')]"),
]
# inside a post: quote headers, signatures, attachment and edit notices
POST_FURNITURE = (
    ".//*[contains(@class, 'signature') or contains(@class, 'quoteheader') or contains(@class, 'quote-header')"
    " or contains(@class, 'bbcode_postedby') or contains(@class, 'attach') or contains(@class, 'lastedit')"
    " or contains(@class, 'modified') or contains(@class, 'post-edited') or contains(@class, 'editedby')"
    " or contains(@class, 'postfoot') or contains(@class, 'post-menu') or contains(@class, 'reactions')"
    " or contains(@class, 'likes') or contains(@class, 'share') or contains(@class, 'onebox')"
    " or contains(@class, 'post_meta') or contains(@class, 'edited')]"
    " | .//cite | .//script | .//style | .//aside[contains(@class, 'quote')]/div[contains(@class, 'title')]"
    " | .//figcaption"
)
BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table",
    "section", "article", "header", "footer", "pre", "dd", "dt", "hr", "figure", "figcaption",
}


@dataclass(slots=True)
class Extracted:
    """What a page yields: metadata (possibly empty) and clean text."""

    title: str
    text: str
    publisher: str = ""
    published: str = ""
    kind: str = "article"  # "article" or "forum"
    notes: list[str] = field(default_factory=list)


def _block_text(element: etree._Element) -> str:
    """Text of an element with a line break at every block boundary."""
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if el.text and tag not in {"script", "style"}:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in BLOCK_TAGS:
            parts.append("\n")

    walk(element)
    text = "".join(parts)
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", re.sub(r" *\n *", "\n", text)).strip()


EXSLT = {"re": "http://exslt.org/regular-expressions"}
# containers of reader comments, whatever the page calls them
COMMENT_CONTAINERS = (
    "//*[@id or @class][re:test(concat(@id, ' ', @class), "
    "'(^|[\\s_-])(comments?|comment-list|commentlist|disqus\\w*|responses|reader-?(comments|reactions)|"
    "talkback|coral\\w*|respond|reply-form)([\\s_-]|$)', 'i')]"
)

# boxes inside or around an article that are never its reporting: captions, sign-up and promo boxes,
# "most read" panels, cookie and consent banners, share and follow bars
NOT_ARTICLE_CONTAINERS = (
    "//figcaption | //*[@id or @class][re:test(concat(@id, ' ', @class), "
    "'(^|[\\s_-])(newsletters?|sign-?ups?|subscribe|subscription|promo|advert\\w*|ad-?slot|most-?read|"
    "mostpopular|most-?popular|trending|related|recommended|outbrain|taboola|social|share\\w*|follow|"
    "cookies?|consent|gdpr|onetrust\\w*|cmp|caption|breadcrumbs?)([\\s_-]|$)', 'i')]"
)


def _drop_containers(tree: etree._Element, xpath: str) -> None:
    """Remove the matching boxes, but never one that holds the page's headline or most of its text
    (a page-level "has-comments" or "related-enabled" class is not the box itself)."""
    body = tree.xpath("//body")
    total = len((body[0] if body else tree).text_content()) or 1
    for junk in tree.xpath(xpath, namespaces=EXSLT):
        if junk.getparent() is None or junk.tag in {"html", "body", "main", "article"} or junk.xpath(".//h1"):
            continue
        if junk.tag != "figcaption" and len(junk.text_content()) > 0.4 * total:
            continue
        junk.drop_tree()


# the heading of an outlet's own summary box ("Key points", "At a glance", "What we know so far")
KEY_POINTS_HEADING = re.compile(
    r"^(?:the\s+)?(?:key\s+(?:points|facts)|at\s+a\s+glance|what\s+we\s+know(?:\s+so\s+far)?|in\s+brief|"
    r"the\s+story\s+so\s+far)\s*:?$", re.I)


def _key_points(tree: etree._Element) -> list[str]:
    """The items of a "Key points" box, each as a sentence: a live blog states its facts there, and the
    box (an aside) is otherwise dropped with the page's furniture. Links and one-word items are skipped."""
    out: list[str] = []
    for head in tree.xpath("//h2 | //h3 | //h4 | //strong | //b | //p"):
        if not KEY_POINTS_HEADING.match(" ".join(head.text_content().split())):
            continue
        # the list right after the heading; else the lists of the box the heading titles
        after = head.xpath("following-sibling::*[1][self::ul or self::ol]")
        box = after[0] if after else head.getparent()
        if box is None or (not after and box.tag in {"body", "main", "article"}):
            continue
        for li in box.xpath(".//li[not(.//a)]"):
            item = " ".join(li.text_content().split()).rstrip(" ;,")
            if len(item.split()) >= 4 and not re.match(r"^\d{1,2}[:.]\d{2}\b", item):
                out.append(item if item[-1:] in ".!?" else item + ".")
    return list(dict.fromkeys(out))


def _squash(line: str) -> str:
    return " ".join(line.split()).casefold()


def _tail_lines(tree: etree._Element) -> set[str]:
    """Lines that come only after the page's "comments begin here" point (to remove from the article)."""
    body = tree.xpath("//body")
    head, tail, _ = split_tail(_block_text(body[0] if body else tree))
    if not tail:
        return set()
    before = {_squash(ln) for ln in head.split("\n")}
    return {_squash(ln) for ln in tail.split("\n") if len(ln.split()) >= 4} - before


def _discord_opening(groups: list[etree._Element]) -> list[etree._Element]:
    """The opening message group(s) of a DiscordChatExporter page: the first author's first run."""
    def author(g: etree._Element) -> str:
        names = g.xpath(".//*[contains(@class, 'chatlog__author')]")
        return names[0].text_content().strip().casefold() if names else ""

    first = author(groups[0])
    out = []
    for g in groups:
        if author(g) != first:
            break
        out.append(g)
    return out


def _forum_opening_post(tree: etree._Element) -> tuple[str, str] | None:
    """(family, text of the opening post) when the page is a forum thread, else None."""
    for family, xpath in FORUM_POSTS:
        posts = tree.xpath(xpath)
        if not posts:
            continue
        chosen = _discord_opening(posts) if family == "discord" else posts[:1]
        texts = []
        for post in chosen:
            for junk in post.xpath(POST_FURNITURE):
                if junk.getparent() is not None:
                    junk.drop_tree() if hasattr(junk, "drop_tree") else junk.getparent().remove(junk)
            if family == "discord":
                for el in post.xpath(".//*[contains(@class, 'chatlog__header') or "
                                     "contains(@class, 'chatlog__timestamp') or contains(@class, 'chatlog__author')]"):
                    el.drop_tree()
            texts.append(_block_text(post))
        text = "\n\n".join(t for t in texts if t)
        if text:
            return family, text
    return None


def _page_title(tree: etree._Element) -> str:
    for xp in ("//meta[@property='og:title']/@content", "//h1", "//title"):
        found = tree.xpath(xp)
        if found:
            value = found[0] if isinstance(found[0], str) else found[0].text_content()
            value = re.sub(r"\s+", " ", value).strip()
            if value:
                return re.sub(r"^re:\s*", "", value, flags=re.I)
    return ""


def extract_html(html: str, url: str = "") -> Extracted:
    """Extract the article (or a forum thread's opening post) from an HTML page."""
    import trafilatura  # imported lazily: it is slow to import and only sources need it

    # lxml refuses a str that declares its own encoding ("<?xml ... encoding='UTF-8'?>", saved XHTML)
    html = re.sub(r"^\ufeff?\s*<\?xml[^>]*\?>", "", html)
    try:
        tree = lxml_html.fromstring(html)
    except (etree.ParserError, ValueError):
        raise InputError("the page is not parseable HTML") from None
    meta = trafilatura.extract_metadata(html, default_url=url or None)
    publisher = (meta.sitename or "") if meta else ""
    published = (meta.date or "") if meta else ""
    title = (meta.title or "") if meta else ""

    forum = _forum_opening_post(tree)
    if forum is not None:
        family, text = forum
        cleaned = clean_text(text)
        return Extracted(
            title=re.sub(r"^re:\s*", "", title or _page_title(tree), flags=re.I),
            text=cleaned.text,
            publisher=publisher,
            published=published,
            kind="forum",
            notes=[f"{family} thread: kept the opening post", *cleaned.notes],
        )

    key_points = _key_points(tree)
    _drop_containers(tree, NOT_ARTICLE_CONTAINERS)
    _drop_containers(tree, COMMENT_CONTAINERS)
    html = lxml_html.tostring(tree, encoding="unicode")
    tail_lines = _tail_lines(tree)
    doc = trafilatura.bare_extraction(
        html, url=url or None, include_comments=False, include_tables=False, include_images=False,
        with_metadata=True, favor_precision=True,
    )
    body = getattr(doc, "text", None) if doc is not None else None
    notes = []
    if not body or len(body.split()) < 30:
        # trafilatura declines very short or unusual pages; fall back to the page's block text
        for junk in tree.xpath("//script | //style | //nav | //header | //footer | //aside | //form"):
            junk.drop_tree()
        body = _block_text(tree.xpath("//body")[0] if tree.xpath("//body") else tree)
        notes.append("fallback text extraction")
    else:
        title = getattr(doc, "title", None) or title
        publisher = getattr(doc, "sitename", None) or publisher
        published = getattr(doc, "date", None) or published
    if tail_lines:
        kept = [ln for ln in body.split("\n") if _squash(ln) not in tail_lines]
        if len(kept) < len(body.split("\n")):
            notes.append("cut reader comments found after the article")
        body = "\n".join(kept)
    cleaned = clean_text(body)
    text = cleaned.text
    if title and text.startswith(title):
        text = text[len(title):].lstrip()
    missing = [k for k in key_points if _squash(k.rstrip(".")) not in _squash(text)]
    if missing:
        text = "\n\n".join([*missing, text])
        notes.append("kept the page's key points box")
    return Extracted(
        title=title or cleaned.title or _page_title(tree),
        text=text,
        publisher=publisher,
        published=published,
        kind="forum" if cleaned.forum else "article",
        notes=notes + cleaned.notes,
    )


_MD_RULES = [
    (re.compile(r"```.*?```", re.S), " "),
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links -> text
    (re.compile(r"^\s{0,3}#{1,6}\s*", re.M), ""),  # headings
    (re.compile(r"^\s*(?:[-*+]|\d+\.)\s+", re.M), ""),  # list markers
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$", re.M), ""),  # rules
]


def markdown_to_text(md: str) -> str:
    for rx, repl in _MD_RULES:
        md = rx.sub(repl, md)
    return md


def extract_text(text: str) -> Extracted:
    cleaned = clean_text(text)
    return Extracted(title=cleaned.title, text=cleaned.text, kind="forum" if cleaned.forum else "article",
                     notes=cleaned.notes)


_FRONT_MATTER = re.compile(r"\A\ufeff?---[ \t]*\n(.*?\n)---[ \t]*\n", re.S)


def extract_markdown(md: str) -> Extracted:
    front = _FRONT_MATTER.match(md)
    meta_title = ""
    if front and len(front.group(1).splitlines()) <= 40:  # YAML front matter: metadata, not the article
        found = re.search(r"^title:\s*[\"']?(.+?)[\"']?\s*$", front.group(1), re.M)
        meta_title = found.group(1) if found else ""
        md = md[front.end():]
    first = next((ln for ln in md.splitlines() if ln.strip()), "")
    heading = re.match(r"^\s{0,3}#{1,6}\s*(.+?)\s*#*\s*$", first)
    out = extract_text(markdown_to_text(md))
    if heading:
        out.title = heading.group(1).strip()
    elif meta_title:
        out.title = meta_title
    return out


def _author_of(item: dict[str, Any]) -> str:
    author = item.get("author", "")
    if isinstance(author, dict):
        author = author.get("name") or author.get("nickname") or author.get("id") or ""
    return str(author).casefold()


def extract_json_export(text: str) -> Extracted | None:
    """A chat export as JSON (DiscordChatExporter's ``{"messages": [...]}``, a JSON list, or JSON Lines):
    the opening author's first run of messages. None when the text is not such an export."""
    try:
        data: Any = json.loads(text)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in text.splitlines() if line.strip()]
        except json.JSONDecodeError:
            return None
    title = ""
    if isinstance(data, dict):
        channel = data.get("channel")
        title = str(channel.get("topic") or channel.get("name") or "") if isinstance(channel, dict) else ""
        data = data.get("messages")
    if not isinstance(data, list) or not data or not all(isinstance(m, dict) and "content" in m for m in data):
        return None
    # the opening author's first run; leading messages with no text (an image, a bare link) are skipped
    data = data[next((k for k, m in enumerate(data) if clean_text(str(m.get("content") or "")).text.strip()), 0):]
    first = _author_of(data[0])
    opening = []
    for item in data:
        if _author_of(item) != first:
            break
        opening.append(str(item.get("content") or ""))
    cleaned = clean_text("\n\n".join(opening))
    notes = [f"chat export: kept the opening author's {len(opening)} message(s)", *cleaned.notes]
    return Extracted(title=title or cleaned.title, text=cleaned.text, kind="forum", notes=notes)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(?:html|body|div|article|p|table)\b[^>]*>", head)
    )


def extract_any(text: str, *, kind_hint: str = "", url: str = "") -> Extracted:
    """Dispatch on a hint ("html", "markdown", "text") or, without one, on the content."""
    if kind_hint == "html" or (not kind_hint and looks_like_html(text)):
        return extract_html(text, url)
    if kind_hint == "markdown":
        return extract_markdown(text)
    if kind_hint == "json" or (not kind_hint and text.lstrip()[:1] in "{["):
        found = extract_json_export(text)
        if found is not None:
            return found
    return extract_text(text)


def read_source_file(path: Path) -> tuple[Extracted, bytes]:
    """Read a local source (plain text, HTML or Markdown, chosen by suffix then content)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read source {path.name}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # a page saved by an older tool: Windows-1252 is the usual culprit
        text = raw.decode("cp1252", errors="replace")
    suffix = path.suffix.lower()
    hint = {".html": "html", ".htm": "html", ".xhtml": "html", ".md": "markdown", ".markdown": "markdown",
            ".json": "json", ".jsonl": "json"}.get(
        suffix, ""
    )
    return extract_any(text, kind_hint=hint), raw
