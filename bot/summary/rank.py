"""Rank source sentences for an extractive summary.

Score = LexRank centrality over TF-IDF vectors of every sentence of every source (what the sources agree
on), + position in the article (news puts the facts first), + reported fact (the kinds of fact a case
summary needs: outcome, penalty, offence, body or court, age, date; plus general cues), − commentary
(opinion, reaction, speculation). Selection is greedy with maximal marginal relevance: near-duplicates
across sources are skipped (and later cited), and each pick is rewarded for the new content words and
the new kinds of fact it covers. A poster's framing ("Write-up from the Echo, worth a read") is never a
candidate, and a framing clause ("For those who missed it, ...") is trimmed.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from bot.sources.furniture import is_chrome
from bot.summary.sentences import Sentence, is_complete, word_count
from bot.summary.support import content_words

FACT_CUES = re.compile(
    r"\b(?:cleared|charged|convicted|acquitted|sentenced|jailed|imprisoned|fined|banned|dismissed|sacked|"
    r"suspended|arrested|bailed|remanded|released|found|ruled|ruling|directed|referred|decided|decision|"
    r"ordered|granted|refused|rejected|upheld|overturned|admitted|denied|pleaded|plea|guilty|innocent|"
    r"verdict|warning|reprimand|misconduct|gross|hearing|inquest|inquiry|investigation|investigated|"
    r"review|appeal|appealed|trial|tribunal|court|panel|jury|judge|magistrates?|coroner|prosecution|"
    r"prosecuted|prosecutors?|charge|charges|offences?|offence|police|officers?|force|watchdog|"
    r"commission|council|authority|ombudsman|regulator|iopc|cps|ipcc|ofsted|gmc|nmc|hcpc|tra|"
    r"concluded|resigned|retired|reinstated|compensation|damages|settlement|award(?:ed)?|"
    r"died|death|killed|injured|assaulted|abused|complaint|complained|alleged|allegations?|"
    r"met|contacted|exchanged|sent|posted|filmed|recorded|reported|raised|began|continued|ended|"
    r"given|handed|received|remains?|remained|moved|placed|barred|struck|removed|demoted|disciplined|"
    r"cautioned|caution|reprimanded|revoked|closed|rated|inspection|inspected|prosecuted|unlawfully|"
    r"conclusion|findings|proved|proven|dismissal|jail|prison|custody|community\s+order|"
    r"years?|months?|weeks?|days?)\b",
    re.I,
)
DATE_CUES = re.compile(
    r"\b(?:(?:19|20)\d{2}|january|february|march|april|may|june|july|august|september|october|november|"
    r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday|\d+(?:-year-old)?)\b",
    re.I,
)
ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# a named body or place written out: "Crown Prosecution Service", "Independent Office for Police Conduct"
NAMED_BODY = re.compile(r"(?<=[a-z,;:] )[A-Z][a-z]+(?:\s+(?:of|for|and|on|the)?\s*[A-Z][a-z]+)+")
COMMENTARY_CUES = re.compile(
    r"\b(?:i|i'm|i've|i'd|my|me|we|we're|our|you|your|think|believe|feel|felt|hope|hopefully|should|"
    r"ought|must|shocking|disgrace|disgraceful|outrageous|baffling|appalling|horrified|devastated|"
    r"angry|furious|heartbroken|campaigners?|critics?|slammed|blasted|urged|urging|called\s+for|"
    r"demanded|claimed|reportedly|rumou?red|allegedly|apparently|speculat\w*|perhaps|maybe|probably|"
    r"clearly|obviously|surely|opinion|thoughts|prayers|comment(?:ed|s)?|statement|reform|lessons)\b",
    re.I,
)
# the writer speaking (a poster, or an organisation's "we" in a press release): not a summary's voice
FIRST_PERSON = re.compile(r"\b(?:I|I'm|I've|I'd|my|me|[Ww]e|[Ww]e're|[Ww]e've|[Ww]e'd|[Oo]ur|us)\b")
CHAT_OPINION = re.compile(r"\b(?:imo|imho|tbh|lol|lmao|ffs|smh|fwiw|afaik|iirc|omg|wtf|ngl)\b", re.I)
VAGUE_START = re.compile(r"^(?:it|this|that|these|those|they|such)\b", re.I)
PRONOUN_START = re.compile(r"^(?:he|she|they|it|this|that|these|those|his|her|their|its)\b", re.I)
QUOTED = re.compile(r"[\"\u201c][^\"\u201d]{3,}[\"\u201d]")
URLISH = re.compile(r"https?://|www\.|@\w{3,}")
# a poster talking about the post itself: "Copying the Echo report here", "link below", "paywalled"
META = re.compile(
    r"\b(?:copying|copied|pasting|pasted|posting|reposting|sharing|quoting)\b.{0,60}\b(?:here|below|above|"
    r"thread|forum)\b|\b(?:paywall\w*|(?:without|need)\s+a\s+subscription|this\s+thread|this\s+forum|"
    r"link\s+(?:below|above|here)|full\s+(?:story|article)\s+(?:here|below|at)|h/t|hat\s+tip|"
    r"read\s+more|click\s+here|mods?\b|moderators?\s+(?:please|have))"
    # a poster framing what they paste: "Write-up from Schools Week, worth a read", "From today's Chronicle,
    # posting the text as their site keeps crashing", "pasting it here for the people without a login"
    r"|^(?:(?:my|full|short|quick)\s+)?(?:write-?up|report|article|story|piece|text|coverage|summary|"
    r"extract|excerpt)\s+(?:from|in|by|on|via)\s+(?:the\s+|today's\s+|yesterday's\s+|this\s+\w+'s\s+)?"
    r"(?-i:[A-Z])"
    r"|^(?:from|via|per)\s+(?:today's|yesterday's|this\s+(?:morning|week|evening)'s)\b"
    r"|\bworth\s+a\s+(?:read|look|watch|listen)\b"
    r"|\bfor\s+(?:anyone|those|people|the\s+people|folks|everyone)\s+(?:who\s+(?:can't|cannot|haven't|hasn't|"
    r"didn't|missed|doesn't|don't|isn't|aren't|can't)|without\s+(?:a\s+|an\s+)?(?:login|subscription|access|"
    r"account)|not\s+(?:subscribed|registered|signed\s+up)|interested)\b"
    r"|\b(?:has|had|ran|carried)\s+this\s+(?:today|story|morning|yesterday|piece|evening)\b"
    r"|\b(?:pasting|posting|copying|sharing|reposting)\s+(?:it|this|the\s+(?:text|article|story|report|piece)|"
    r"their\s+\w+|in\s+full)\s+(?:here|below|for|in\s+full|as|since|because)\b"
    r"|\b(?:their|the)\s+(?:site|website|app)\s+(?:keeps\s+\w+ing|is\s+down|was\s+down|won't\s+load|"
    r"doesn't\s+load)\b|\b(?:without|behind)\s+a\s+(?:login|paywall|subscription|registration\s+wall)\b"
    r"|\bin\s+case\s+(?:you|anyone)\s+missed\s+it\b"
    r"|\b(?:says|said|posted|pasted|copied|quoted|linked|attached)\s+below\b|\b(?:below|above)\s*[.:!]?$"
    r"|^(?:apologies|sorry)\s+if\b|\balready\s+been\s+(?:posted|shared|mentioned|linked)(?:\s+(?:here|on\s+"
    r"here|elsewhere))?\s*[.!]?$|\b(?:cross-?posted|x-?post(?:ed)?|tl;?dr)\b",
    re.I,
)
# a leading clause that only frames the sentence for forum readers: "For those who haven't seen it, ..."
FRAME_LEAD = re.compile(
    r"^(?:for\s+(?:those|anyone|people|everyone)\s+[^,]{0,60},\s+|in\s+case\s+(?:you|anyone)\s+missed\s+it,\s+|"
    r"(?:as\s+)?(?:reported|posted|mentioned)\s+(?:earlier|above|elsewhere|before)[^,]{0,30},\s+|"
    r"(?:fyi|psa|update|edit|news|breaking)\s*[:,-]\s+|"
    r"(?:(?:i've\s+|i\s+have\s+|i\s+)?just\s+)?(?:seen|saw|read|heard|spotted)\s+(?:on|in)\s+(?:the\s+)?[\w' ]{0,30}?"
    r"(?:news|paper|papers|press|bbc|website|site|telegraph|times|post|echo|gazette|herald|chronicle|mail|"
    r"courier|mercury|star|advertiser|observer)\s+(?:today\s+|this\s+morning\s+|tonight\s+)?that\s+)(?=\S)",
    re.I,
)


# "It quashed the term ...", "They found ...": a subject that needs the sentence before it
VAGUE_SUBJECT = re.compile(r"^(?:It|They)\s+(?=[a-z])")
# the sentence before names a body: "The Court of Appeal agreed ...", "The panel found ..."
_BODY_SUBJECT = re.compile(
    r"^((?:The|An?)\s+(?:(?:[A-Z][\w'’-]*|of|for|and|the)\s+){0,6}"
    r"(?:[A-Z][\w'’-]*|panel|court|tribunal|jury|judge|coroner|watchdog|force|council|trust|commission|"
    r"regulator|inquiry|inquest|review|investigation|service|agency|school|board|committee|office))"
    r"\s+(?:has\s+|had\s+|have\s+|was\s+|were\s+|is\s+|will\s+)?[a-z]+(?:ed|s)?\b"
)
_PERSON_WORDS = re.compile(r"\b(?:chair|man|woman|officer|judge|coroner|father|mother|boy|girl|teacher)\b", re.I)


def resolve_subject(text: str, previous: str) -> str | None:
    """``text`` with a leading "It"/"They" replaced by the body the previous sentence opens with ("The Court of
    Appeal"), or None when the previous sentence names no body to refer to (then "It" refers to nothing)."""
    m = _BODY_SUBJECT.match(previous)
    if not m or _PERSON_WORDS.search(m.group(1)):
        return None
    subject = m.group(1)
    plural_ok = text.startswith("They") == bool(re.search(r"s$", subject))
    if not plural_ok:
        return None
    return subject + VAGUE_SUBJECT.sub(" ", text, count=1)


# outcomes said in other words: "cleared" / "found not guilty"; "sacked" / "dismissed"
_OUTCOME_KEYS = [
    ("acquitted", re.compile(r"\b(?:cleared|acquitted|not\s+guilty)\b", re.I)),
    ("convicted", re.compile(r"\b(?:convicted|found\s+guilty|guilty\s+verdicts?)\b", re.I)),
    ("dismissed", re.compile(r"\b(?:dismissed|sacked|fired)\b", re.I)),
    ("jailed", re.compile(r"\b(?:jailed|imprisoned|sentenced\s+to|locked\s+up)\b", re.I)),
    ("charged", re.compile(r"\bcharged\b", re.I)),
    ("warning", re.compile(r"\bwritten\s+warning\b", re.I)),
    ("banned", re.compile(r"\b(?:banned|barred|prohibition\s+order|struck\s+off)\b", re.I)),
]
_AMOUNT = re.compile(r"\b\d+\s+(?:years?|months?|weeks?|counts?)\b|£\s?\d[\d,]*", re.I)  # penalties


def outcome_keys(text: str) -> frozenset[str]:
    outside = _outside_quotes(text)
    return frozenset(k for k, rx in _OUTCOME_KEYS if rx.search(outside))


def same_fact(kind_of: dict[int, str]) -> Callable[[Candidate, Candidate], bool]:
    """A test of whether candidate ``c`` restates picked ``p``'s outcome in other words: both outcomes, every
    outcome of ``c`` already in ``p``, no new amount ("18 months") and no new named court or body."""

    def same(c: Candidate, p: Candidate) -> bool:
        if kind_of.get(id(c)) != "outcome" or kind_of.get(id(p)) != "outcome":
            return False
        mine, theirs = outcome_keys(c.sentence.text), outcome_keys(p.sentence.text)
        if not mine or not mine <= theirs:
            return False
        if similarity(c.terms, p.terms) < 0.3:
            return False
        if sum(1 for t in c.terms if t not in p.terms) / max(1, len(c.terms)) >= 0.7:
            return False  # it says much more than the outcome
        said = p.sentence.text.casefold()
        if any(a.casefold() not in said for a in _AMOUNT.findall(c.sentence.text)):
            return False
        return not _new_bodies(c, [p])

    return same


# a list's lead-in and item marker: "The matters of concern are as follows: (1) Officers kept ..."
LIST_LEAD = re.compile(r"^(?:[^:]{3,80}\bas\s+follows\s*:\s*)?\(?(?:\d{1,2}|[a-h]|[ivx]{1,4})[.)]\s+(?=[A-Z])")


def trim_frame(text: str) -> str:
    """Drop a leading framing clause or list marker; what is left is a verbatim (re-capitalised) part of
    the source."""
    out = LIST_LEAD.sub("", text, count=1)
    out = FRAME_LEAD.sub("", out, count=1)
    return out[:1].upper() + out[1:] if out != text else text


_NUM = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
        r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty)")
# the kinds of reported fact a case summary must carry, with the weight each adds to a sentence
SLOTS: dict[str, tuple[float, re.Pattern[str]]] = {
    "outcome": (0.35, re.compile(
        r"\b(?:jailed|imprisoned|sentenced|convicted|acquitted|cleared|dismissed|sacked|struck\s+off|banned|barred|"
        r"suspended|charged|fined|cautioned|reprimanded|pleaded|admitted|denied|found\s+(?:not\s+)?guilty|"
        r"guilty|not\s+guilty|no\s+case\s+to\s+answer|final\s+written\s+warning|written\s+warning|"
        r"prohibition\s+order|unlawfully\s+killed|neglect\s+contributed|conclusion|verdict|ruled|upheld|"
        r"overturned|resigned|reinstated|bailed|remanded|arrested|apologised|missed\s+\w+\s+(?:chances|"
        r"opportunities))\b", re.I)),
    "penalty": (0.3, re.compile(
        rf"\b{_NUM}\s+(?:years?|months?|weeks?)(?!\s+(?:ago|old|earlier|later|before|after|on))\b|"
        r"\b(?:sexual\s+harm\s+prevention|restraining|prohibition|barring|hospital|community|supervision|"
        r"criminal\s+behaviour)\s+order\b|\bsex\s+offenders(?:'|’)?\s+register\b|\bsuspended\s+sentence\b|"
        r"£\s?\d|\bfor\s+life\b|\bunpaid\s+work\b|\bbarred\s+list\b", re.I)),
    "offence": (0.25, re.compile(
        r"\b(?:misconduct(?:\s+in\s+public\s+office)?|sexual(?:ly)?\s+(?:assault\w*|activity|abuse\w*|"
        r"touching|communication)|rape|assault\w*|grievous\s+bodily\s+harm|actual\s+bodily\s+harm|"
        r"manslaughter|murder|neglect\w*|ill-treat\w*|cruelty|fraud|harassment|stalking|indecent|voyeurism|"
        r"groom\w*|dangerous\s+driving|careless\s+driving|causing\s+death|unacceptable\s+professional\s+conduct|"
        r"disrepute|counts?\s+of|offences?|charges?|abuse\w*|breach\w*)\b", re.I)),
    "body": (0.25, re.compile(
        r"\b(?:crown\s+court|magistrates(?:'|’)?\s+court|high\s+court|court\s+of\s+appeal|supreme\s+court|"
        r"tribunal|panel|inquest|coroner|jury|judge|iopc|cps|independent\s+office\s+for\s+police\s+conduct|"
        r"crown\s+prosecution\s+service|prosecutors?|regulat\w+|ombudsman|ofsted|gmc|nmc|hcpc|cqc|"
        r"care\s+quality\s+commission|hearing|safeguarding\s+\w+\s+partnership|watchdog|disclosure\s+and\s+"
        r"barring\s+service|dbs|agency|commission|council|court)\b", re.I)),
    "age": (0.2, re.compile(
        rf"\b{_NUM}-year-old\b|\b(?:aged|was|were|then|now|by\s+then|when\s+\w+\s+was)\s+\d{{1,2}}\b|"
        r"\bunder\s+1[0-8]\b|\b(?:teenage\w*|toddler|baby|infant)\b|,\s+\d{1,2},\s", re.I)),
    "date": (0.1, re.compile(
        r"\b(?:(?:19|20)\d{2}|january|february|march|april|may|june|july|august|september|october|november|"
        r"december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b")),
}


def fact_slots(text: str) -> frozenset[str]:
    """The kinds of reported fact (outcome, penalty, offence, body, age, date) a sentence states."""
    outside = _outside_quotes(text)
    return frozenset(name for name, (_, rx) in SLOTS.items() if rx.search(outside))


def slot_weight(slots: frozenset[str] | set[str]) -> float:
    return sum(SLOTS[s][0] for s in slots)


_SUFFIX = re.compile(r"(?:ing|ed|es|s|ly)$")


def stem(word: str) -> str:
    """A crude stem, so "assaulted"/"assaulting" and "trained"/"training" count as one term."""
    cut = _SUFFIX.sub("", word)
    return cut if len(cut) >= 4 else word


@dataclass(slots=True)
class Candidate:
    sentence: Sentence
    words: int
    score: float = 0.0
    terms: Counter[str] = field(default_factory=Counter)
    slots: frozenset[str] = frozenset()


def _outside_quotes(text: str) -> str:
    return QUOTED.sub(" ", text)


# a trailing clause of reaction: ", in a decision that campaigners described as baffling."
REACTION_TAIL = re.compile(
    r",\s+(?:in\s+a\s+(?:decision|move|ruling|verdict|outcome)\s+(?:that|which)\s+[^,]*?\b(?:described|called|"
    r"branded|criticised|condemned|labelled|hailed|welcomed|slammed)\b[^,]*"
    r"|(?:prompting|sparking|drawing|provoking)\s+(?:anger|outrage|criticism|condemnation|calls|fury)\b[^,]*"
    r"|(?:to\s+the\s+)?(?:anger|outrage|dismay|fury)\s+of\s+[^,]*)(?P<end>[.!?])$"
)


def trim_reaction(text: str) -> str:
    """Drop a trailing clause of reaction; the rest is a verbatim prefix of the source sentence."""
    return REACTION_TAIL.sub(lambda m: m.group("end"), text)


def is_candidate(s: Sentence, *, min_words: int = 6, max_words: int = 60) -> bool:
    """Whether a sentence may appear in a summary at all: complete, a statement, not a first-person view."""
    text = s.text
    n = word_count(text)
    if not min_words <= n <= max_words or not is_complete(text):
        return False
    if text.rstrip("\"'\u201d\u2019) ").endswith("?"):
        return False
    if URLISH.search(text) or META.search(text) or is_chrome(text):
        return False  # furniture run into the text ("Last edited by x; Today at 10:02 AM.") is not reporting
    if text.count('"') % 2 or text.count("\u201c") != text.count("\u201d"):
        return False  # part of a quotation that runs over several sentences: unattributed on its own
    outside = _outside_quotes(text)
    if not content_words(outside):
        return False  # a bare quotation ('"He trusted that man," she said.') says little a summary can use
    return not FIRST_PERSON.search(outside) and not CHAT_OPINION.search(outside)


def _tfidf(docs: list[Counter[str]]) -> np.ndarray:
    vocab: dict[str, int] = {}
    for d in docs:
        for t in d:
            vocab.setdefault(t, len(vocab))
    n = len(docs)
    df = np.zeros(len(vocab))
    for d in docs:
        for t in d:
            df[vocab[t]] += 1
    idf = np.log((1 + n) / (1 + df)) + 1.0
    mat = np.zeros((n, len(vocab)))
    for i, d in enumerate(docs):
        for t, c in d.items():
            mat[i, vocab[t]] = (1 + math.log(c)) * idf[vocab[t]]
    norms = np.linalg.norm(mat, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return mat / norms


def lexrank(sim: np.ndarray, *, threshold: float = 0.1, damping: float = 0.85, iters: int = 100) -> np.ndarray:
    """Continuous LexRank: stationary distribution of the thresholded, row-normalised similarity graph."""
    n = sim.shape[0]
    if n == 0:
        return np.zeros(0)
    adj = np.where(sim >= threshold, sim, 0.0)
    np.fill_diagonal(adj, 0.0)
    rows = adj.sum(axis=1, keepdims=True)
    trans = np.where(rows > 0, adj / np.where(rows == 0, 1.0, rows), 1.0 / n)
    p = np.full(n, 1.0 / n)
    for _ in range(iters):
        nxt = (1 - damping) / n + damping * trans.T @ p
        if np.abs(nxt - p).sum() < 1e-9:
            p = nxt
            break
        p = nxt
    return p / p.max() if p.max() > 0 else p


def _position_score(s: Sentence, total: int) -> float:
    """News puts the facts first; in a long piece the body still carries facts, so the decay flattens."""
    if total <= 1:
        return 1.0
    return 1.0 / (1.0 + 0.35 * s.index) * 0.6 + 0.4 * (1.0 - s.index / total)


def _fact_score(text: str) -> float:
    """Reported fact: which kinds of fact the sentence states, plus general cues of reporting."""
    cues = len(set(m.lower() for m in FACT_CUES.findall(text)))
    dates = len(DATE_CUES.findall(text))
    acronyms = len(ACRONYM.findall(text))
    bodies = min(2, len(NAMED_BODY.findall(text)))
    general = min(1.0, 0.22 * cues + 0.12 * dates + 0.15 * acronyms + 0.15 * bodies)
    return min(1.2, 0.5 * general + slot_weight(fact_slots(text)))


def _commentary_score(text: str) -> float:
    outside = _outside_quotes(text)
    cues = len(COMMENTARY_CUES.findall(outside))
    quoted = sum(len(q.split()) for q in QUOTED.findall(text))
    share_quoted = quoted / max(1, len(text.split()))
    return min(1.0, 0.3 * cues + 0.8 * share_quoted + (0.3 if "!" in text else 0.0))


def score_candidates(sentences: list[Sentence], per_source_total: dict[int, int]) -> list[Candidate]:
    """Score every eligible sentence; the result keeps the input order."""
    cands = [Candidate(s, word_count(s.text)) for s in sentences if is_candidate(s)]
    if not cands:
        return []
    for c in cands:
        c.terms = Counter(stem(w) for w in content_words(c.sentence.text))
        c.slots = fact_slots(c.sentence.text)
    vecs = _tfidf([c.terms for c in cands])
    central = lexrank(vecs @ vecs.T)
    for i, c in enumerate(cands):
        s = c.sentence
        length = 1.0 if 10 <= c.words <= 45 else 0.6
        c.score = (
            0.25 * float(central[i])
            + 0.25 * _position_score(s, per_source_total.get(s.source, 1))
            + 0.45 * _fact_score(s.text)
            - 0.35 * _commentary_score(s.text)
        ) * length
    return cands


def similarity(a: Counter[str], b: Counter[str]) -> float:
    """Cosine similarity of two bags of content words."""
    if not a or not b:
        return 0.0
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    return dot / math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))


def _new_bodies(c: Candidate, picked: list[Candidate]) -> bool:
    """Whether the sentence names a court or body ("Kestrel Crown Court") that no picked sentence names:
    its words may all be covered separately ("Kestrel Valley Police", "the court") yet the name is news."""
    names = [m for m in NAMED_BODY.findall(c.sentence.text) if SLOTS["body"][1].search(m)]
    said = " ".join(p.sentence.text for p in picked).casefold()
    return any(m.casefold() not in said for m in names)


@dataclass(slots=True)
class Selection:
    picked: list[Candidate]
    duplicates: dict[int, list[Candidate]]  # id(picked) -> near-duplicates from other sources


def select(
    cands: list[Candidate],
    *,
    max_words: int = 180,
    min_words: int = 60,
    duplicate_at: float = 0.6,
    redundancy: float = 0.5,
    novelty: float = 0.25,
    coverage: float = 0.3,
    strict: bool = True,
    same: Callable[[Candidate, Candidate], bool] | None = None,
) -> Selection:
    """Greedy MMR: best score, minus redundancy with what is picked, plus coverage of new content words
    and of kinds of fact (outcome, penalty, offence, body, age, date) not yet stated.

    A candidate that adds almost no new terms and no new kind of fact counts as a duplicate of what is
    picked (and, from another source, is cited with it). ``strict=False`` (for sources too thin to reach
    ``min_words`` otherwise) keeps going past weak sentences and allows a vague "It ..." opening."""
    picked: list[Candidate] = []
    dups: dict[int, list[Candidate]] = {}
    covered: Counter[str] = Counter()
    covered_slots: set[str] = set()
    total = 0
    pool = list(cands)
    floor = max((c.score for c in cands), default=0.0) * 0.18
    while pool:
        best: tuple[float, Candidate] | None = None
        for c in pool:
            if total + c.words > max_words:
                continue
            red = max((similarity(c.terms, p.terms) for p in picked), default=0.0)
            new = sum(1 for t in c.terms if t not in covered) / max(1, len(c.terms))
            pronoun = PRONOUN_START.match(c.sentence.text) is not None and not any(
                p.sentence.source == c.sentence.source and p.sentence.index == c.sentence.index - 1 for p in picked
            )
            if strict and pronoun and VAGUE_START.match(c.sentence.text):
                continue  # "It found that ..." means nothing without the sentence before it
            gain = slot_weight(c.slots - covered_slots)
            value = (c.score - redundancy * red + novelty * new * min(1.0, c.score * 3) + coverage * gain
                     - (0.12 if pronoun else 0))
            if best is None or value > best[0]:
                best = (value, c)
        if best is None:
            break
        value, c = best
        pool.remove(c)
        dup_of = next((p for p in picked if similarity(c.terms, p.terms) >= duplicate_at
                       or (same is not None and same(c, p))), None)
        if dup_of is None and picked and not (c.slots - covered_slots) and not _new_bodies(c, picked):
            new_terms = sum(1 for t in c.terms if t not in covered) / max(1, len(c.terms))
            if new_terms < 0.3:
                dup_of = max(picked, key=lambda p: similarity(c.terms, p.terms))
        if dup_of is not None:
            if dup_of.sentence.source != c.sentence.source:
                dups.setdefault(id(dup_of), []).append(c)
            continue
        # past the minimum, weak sentences end the summary; until it is well filled, only worthless ones do
        if strict and total >= min_words and (
            c.score < (floor if total >= 0.6 * max_words else floor / 2) or value <= 0
        ):
            continue  # a weaker pick may still be worth having: look at the rest
        picked.append(c)
        covered.update(c.terms)
        covered_slots.update(c.slots)
        total += c.words
    return Selection(picked=picked, duplicates=dups)
