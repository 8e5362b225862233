"""Optional abstractive rewrite through any OpenAI-compatible chat-completions endpoint.

The model only sees the extractive summary's sentences (already redacted) and the source texts it may
draw on, and must answer with JSON sentences that each cite sources. Every sentence it returns goes
through the same checks as the extractive ones (support by the cited sources, identity redaction, word
limits); if any sentence fails, or the endpoint fails, the extractive summary is returned unchanged.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from dataclasses import dataclass, replace

import aiohttp

from bot.case import CaseFile
from bot.settings import Settings
from bot.source import SourceDoc
from bot.summary.build import MAX_WORDS, MIN_WORDS, Summary, SummarySentence, _prepare, _Prepared, checked
from bot.summary.classify import classify
from bot.summary.redaction import Redactor
from bot.summary.sentences import word_count
from bot.summary.support import word_support

log = logging.getLogger(__name__)

SYSTEM = (
    "You rewrite a short factual case summary for a moderated forum. Use only facts stated in the numbered "
    "sources. Keep every sentence close to the source wording. Never name or describe a person who is "
    "referred to by a label such as 'the pupil'; keep the label. No opinions, no speculation. Answer with JSON "
    'only: {"sentences": [{"text": "...", "sources": [1]}]}, 60 to 200 words in total.'
)
SOURCE_CHARS = 6000


@dataclass(frozen=True, slots=True)
class LLMConfig:
    url: str  # base URL, e.g. http://localhost:8000/v1 (".../chat/completions" is appended when missing)
    model: str
    key: str | None = None
    timeout_s: float = 60.0

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMConfig:
        if not settings.summary_llm_url:
            raise ValueError("SUMMARY_LLM_URL is not set")
        key = settings.summary_llm_key.get_secret_value() if settings.summary_llm_key else None
        return cls(url=settings.summary_llm_url, model=settings.summary_llm_model or "default", key=key)

    @property
    def endpoint(self) -> str:
        base = self.url.rstrip("/")
        return base if base.endswith("/chat/completions") else base + "/chat/completions"


def _prompt(summary: Summary, texts: list[str]) -> str:
    parts = [f"[{i + 1}] {t[:SOURCE_CHARS]}" for i, t in enumerate(texts)]
    draft = "\n".join(f"- {s.text} {s.sources}" for s in summary.sentences)
    return "Sources:\n" + "\n\n".join(parts) + "\n\nDraft summary (sentence, cited sources):\n" + draft


def _parse(content: str, n_sources: int) -> list[SummarySentence]:
    match = re.search(r"\{.*\}", content, re.S)
    if not match:
        raise ValueError("no JSON object in the reply")
    data = json.loads(match.group(0))
    out = []
    for item in data.get("sentences", []):
        text = " ".join(str(item.get("text", "")).split())
        cites = sorted({int(n) for n in item.get("sources", []) if 1 <= int(n) <= n_sources})
        text = re.sub(r"\s*(?:\[\d+\])+\s*$", "", text)  # the markers are ours to add
        if not text or not cites:
            raise ValueError("a sentence without text or valid citations")
        out.append(SummarySentence(text, cites))
    if not out:
        raise ValueError("no sentences")
    return out


async def _complete(cfg: LLMConfig, prompt: str, session: aiohttp.ClientSession | None) -> str:
    headers = {"Content-Type": "application/json"}
    if cfg.key:
        headers["Authorization"] = f"Bearer {cfg.key}"
    payload = {
        "model": cfg.model,
        "temperature": 0.2,
        "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
    }
    own = session is None
    sess = session or aiohttp.ClientSession()
    try:
        async with sess.post(cfg.endpoint, json=payload, headers=headers,
                             timeout=aiohttp.ClientTimeout(total=cfg.timeout_s)) as resp:
            if resp.status != 200:
                raise ValueError(f"endpoint answered HTTP {resp.status}")
            data = await resp.json(content_type=None)
    finally:
        if own:
            await sess.close()
    return str(data["choices"][0]["message"]["content"])


def _prepare_redacted(case: CaseFile, docs: list[SourceDoc], redactor: Redactor) -> _Prepared:
    return _prepare(case, [replace(d, text=redactor.source_text(d.text)) for d in docs])


async def rewrite_summary(
    summary: Summary,
    case: CaseFile,
    docs: list[SourceDoc],
    cfg: LLMConfig,
    *,
    redactor: Redactor | None = None,
    session: aiohttp.ClientSession | None = None,
) -> Summary:
    """The model's rewrite if every sentence passes the checks, else ``summary`` (with a note why)."""
    redactor = redactor or Redactor(case)
    # the endpoint may be a third party: it only ever sees redacted text
    prep = await asyncio.to_thread(_prepare_redacted, case, docs, redactor)  # CPU work: off the event loop
    try:
        content = await _complete(cfg, _prompt(summary, prep.texts), session)
        proposed = _parse(content, len(docs))
    except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, IndexError, TypeError) as exc:
        log.warning("summary rewrite failed (%s); keeping the extractive summary", type(exc).__name__)
        return replace(summary, notes=[*summary.notes, f"rewrite failed: {type(exc).__name__}"])
    accepted: list[SummarySentence] = []
    for s in proposed:
        safe = checked(s.text, [n - 1 for n in s.sources], prep, redactor)
        if safe is None or safe != s.text:  # unsupported, unsafe, or needed redaction: do not trust it
            return replace(summary, notes=[*summary.notes, "rewrite rejected: a sentence was not supported"])
        kind = classify(safe)
        if kind == "opinion":  # the same rule as the extractive summary: never opinion stated as fact
            return replace(summary, notes=[*summary.notes, "rewrite rejected: a sentence was opinion"])
        accepted.append(SummarySentence(safe, s.sources, kind,
                                        round(word_support(safe, [prep.texts[n - 1] for n in s.sources]), 2)))
    words = sum(word_count(s.text) for s in accepted)
    if not MIN_WORDS <= words <= MAX_WORDS:
        return replace(summary, notes=[*summary.notes, f"rewrite rejected: {words} words"])
    if not any(s.kind == "headline" for s in accepted):  # the model's first fact opens the summary
        first = next((s for s in accepted if s.kind in ("outcome", "finding", "event")), accepted[0])
        first.kind = "headline"
        accepted = [first, *(s for s in accepted if s is not first)]
    return replace(summary, sentences=accepted, backend=f"llm:{cfg.model}")
