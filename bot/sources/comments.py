"""Where reader comments begin when no heading says so.

An article or blog post is often followed by its readers' comments with no "Comments" heading, one per
paragraph. They read differently from the article: they open by reacting to the post ("This post sheds
light on ...", "Thank you for writing this", "As a resident of ...", "Great piece as always"), they speak in
the first and second person in a few words, and they end in sign-offs ("Regards, Tom", "Cheers, Raj").

:func:`comments_start` finds the first paragraph that opens such a run: a paragraph with a strong signal
(a reaction to the post, or a sign-off) after enough article text, followed by paragraphs most of which read
as comments too. The article's own first-person writing is not enough on its own: a blog's author writes
"I" too, so a reaction or a sign-off must anchor the cut.
"""

from __future__ import annotations

import re

#: a reader reacting to the post itself
REACTION = re.compile(
    r"^(?:(?:this|that|your|what\s+an?|such\s+an?)\s+(?:(?:great|good|brilliant|excellent|important|"
    r"powerful|interesting|fascinating|sobering|thoughtful|useful|clear|sad|shocking)\s+)?"
    r"(?:post|article|piece|write-?up|blog(?:\s+post)?|story|read|report|analysis|summary)\b"
    r"(?!\s+(?:was\s+(?:published|updated|amended|corrected)|has\s+been\s+(?:updated|amended|corrected)))"
    r"|(?:many\s+)?thanks?(?:\s+you)?(?!\s+to\b)(?:\s+(?:so\s+much|for|again|,|!|[A-Z]\w+\s+for))"
    r"|thank\s+you\b(?!\s+to\b)"
    r"|as\s+(?:an?|the)\s+(?:\w+\s+)?(?:resident|parent|mum|mother|dad|father|grandparent|teacher|nurse|doctor|"
    r"officer|copper|local|survivor|victim|woman|man|lawyer|solicitor|barrister|social\s+worker|carer|"
    r"member|reader|subscriber|taxpayer)\b"
    r"|(?:great|excellent|brilliant|fantastic|superb|good|interesting|fascinating|powerful|important|"
    r"sobering|thoughtful|clear|cracking)\s+(?:piece|post|article|read|write-?up|blog|analysis|work|job|"
    r"stuff|summary|points?)\b"
    r"|(?:well|beautifully|brilliantly)\s+(?:written|put|said)\b|spot\s+on\b|so\s+true\b|(?:i\s+)?(?:totally|"
    r"completely|fully)\s+agree\b|couldn'?t\s+agree\s+more\b|keep\s+(?:it\s+up|up\s+the\s+good\s+work)\b"
    r"|(?:sharing|shared|bookmarked|saving)\s+(?:this|with)\b)",
    re.I,
)
#: a comment's sign-off: "Regards, Tom", "Best wishes, Maureen", "Cheers, Raj", "- Sam"
SIGN_OFF = re.compile(
    r"(?:^|[.!?]\s+|\s[-–—]\s+)(?i:(?:(?:kind|warm|best|many)\s+)?(?:regards|wishes|cheers|thanks|love|best|ta|"
    r"all\s+the\s+best|take\s+care))\s*[,!.]?\s+[A-Z][a-z]+\.?$|^[-–—]\s*[A-Z][a-z]+\.?$",
)
_PERSONAL = re.compile(r"\b(?:I|I'm|I've|I'd|my|me|we|our|us|you|your|you're)\b", re.I)
_WORD = re.compile(r"\w+")
MIN_ARTICLE_WORDS = 60
SHORT = 45  # words: a reader's comment is usually a sentence or three


def _words(text: str) -> int:
    return len(_WORD.findall(text))


def is_reaction(paragraph: str) -> bool:
    """A reader reacting to the post ("This post sheds light ...", "Thank you for ...", "As a parent ...")."""
    return bool(REACTION.match(paragraph.strip()))


def has_sign_off(paragraph: str) -> bool:
    return bool(SIGN_OFF.search(paragraph.strip()))


def reads_as_comment(paragraph: str) -> bool:
    """A short paragraph in a reader's voice: a reaction, a sign-off, or a few personal or exclaiming words."""
    p = paragraph.strip()
    if not p or p[0] in "\"'“‘":
        return False  # a quotation is the article quoting someone
    if is_reaction(p) or has_sign_off(p):
        return True
    return _words(p) <= SHORT and (bool(_PERSONAL.search(p)) or "!" in p or "?" in p)


def comments_start(paragraphs: list[str]) -> int | None:
    """Index of the paragraph where unheaded reader comments begin, or None.

    The cut needs an anchor (a reaction to the post or a sign-off) after at least
    :data:`MIN_ARTICLE_WORDS` words, and at least 60% of the paragraphs from the anchor on reading as
    comments, with two or more of them or a sign-off closing the text.
    """
    before = 0
    for i, para in enumerate(paragraphs):
        p = para.strip()
        if before >= MIN_ARTICLE_WORDS and p and p[0] not in "\"'“‘" and (is_reaction(p) or has_sign_off(p)):
            tail = [q for q in paragraphs[i:] if q.strip()]
            like = sum(reads_as_comment(q) for q in tail)
            if like / len(tail) >= 0.6 and (like >= 2 or has_sign_off(tail[-1])):
                return i
        before += _words(p)
    return None
