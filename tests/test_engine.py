"""The identity engine: detector order, verdicts, finalize, failure handling, and the thread history."""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.case import parse_case
from bot.detectors.base import ScanContext
from bot.engine import IdentityEngine, ThreadHistory, ThreadWindow
from bot.flags import Action, Category, Flag, Message, Span
from bot.redact import WITHHELD

CASE = """
id = "t"
[[protected]]
label = "the pupil"
basis = "child complainant"
names = ["Zebedee Quartermaine"]
identifiers = ["@zq_2011"]
"""
SECRETS = ["Zebedee Quartermaine", "@zq_2011", "Zebedee", "Quartermaine"]


class FakeNames:
    """A stand-in protected detector: flags the literal word NAME."""

    name = "fake_protected"

    def triggered_on(self, ctx: ScanContext) -> list[Flag]:
        starts = [i for i in range(len(ctx.content)) if ctx.content.startswith("NAME", i)]
        if not starts:
            return []
        return [Flag(Category.PROTECTED_IDENTITY, self.name, 0.95, "names the pupil (full name)",
                     tuple(Span(i, i + 4, "[the pupil]") for i in starts), kind="full_name", label="the pupil")]


class Broken:
    name = "broken"

    def triggered_on(self, ctx: ScanContext) -> list[Flag]:
        raise RuntimeError(ctx.content)  # the content must not reach the log


def engine_with_fake() -> IdentityEngine:
    from bot.detectors.identifying import IdentifyingDetailDetector

    parties = [("the pupil", "child complainant")]
    return IdentityEngine(parties=parties, detectors=[FakeNames(), IdentifyingDetailDetector(parties)])


def test_clean_message() -> None:
    v = engine_with_fake().check(Message("1", "a", "The panel got this wrong."))
    assert v.flags == [] and v.action is Action.NONE and v.excerpt == ""


def test_later_detectors_see_earlier_flags() -> None:
    v = engine_with_fake().check(Message("1", "a", "NAME lives at 4 Oak Road"))
    assert [f.category for f in v.flags] == [Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL]
    assert v.flags[1].label == "the pupil"
    assert v.action is Action.REMOVE
    assert v.excerpt == "[the pupil] lives at [address]"


def test_protected_name_in_an_earlier_message_ties_a_later_detail() -> None:
    engine, history = engine_with_fake(), ThreadHistory()
    first = Message("1", "a", "it's NAME", thread_id="t", timestamp="2025-01-01T10:00:00+00:00")
    engine.check(first, history.recent(first))
    history.add(first)
    second = Message("2", "a", "07911 123456", thread_id="t", timestamp="2025-01-01T10:05:00+00:00")
    v = engine.check(second, history.recent(second))
    assert [f.kind for f in v.flags] == ["phone"]
    assert v.flags[0].label == "the pupil"


def test_finalize_merges_abuse_and_recomputes() -> None:
    engine = engine_with_fake()
    v = engine.check(Message("1", "a", "you absolute muppet"))
    assert v.action is Action.NONE
    abuse = Flag(Category.ABUSE, "abuse:detoxify", 0.97, "insult", kind="insult")
    engine.finalize(v, [abuse])
    assert v.action is Action.REVIEW
    assert v.excerpt == "you absolute muppet"
    v2 = engine.check(Message("2", "a", "NAME is a muppet"))
    engine.finalize(v2, [abuse])
    assert v2.action is Action.REMOVE and "[the pupil]" in v2.excerpt


def test_a_failing_detector_withholds_the_message(caplog: pytest.LogCaptureFixture) -> None:
    engine = IdentityEngine(detectors=[Broken()])
    with caplog.at_level(logging.DEBUG):
        v = engine.check(Message("9", "a", "secret words here"))
    assert v.flags and v.flags[0].kind == "detector_error"
    assert v.excerpt == WITHHELD
    assert "secret words" not in caplog.text
    assert "broken" in caplog.text


def test_from_case_uses_the_real_registry_and_never_repeats_names(caplog: pytest.LogCaptureFixture) -> None:
    case = parse_case(CASE)
    engine = IdentityEngine.from_case(case, secrets.token_bytes(32))
    assert engine.labels == ["the pupil"]
    with caplog.at_level(logging.DEBUG):
        texts = ["Zebedee Quartermaine lives at 4 Oak Road", "z e b e d e e  q u a r t e r m a i n e!",
                 "her insta is @zq_2011", "Quartermaine's mum works at the Spar on Mill Lane"]
        verdicts = [engine.check(Message(str(i), "a", t)) for i, t in enumerate(texts)]
    for v in verdicts:
        assert any(f.category is Category.PROTECTED_IDENTITY for f in v.flags), v.message.content
        shown = v.excerpt + " ".join(f.reason for f in v.flags) + str([f.to_json() for f in v.flags])
        for s in SECRETS:
            assert s.lower() not in shown.lower()
    for s in SECRETS:
        assert s.lower() not in caplog.text.lower()
    assert repr(engine.registry) and "Zebedee" not in repr(engine.registry)


def test_case_without_protected_parties() -> None:
    engine = IdentityEngine.from_case(parse_case('id = "x"'), b"k" * 32)
    v = engine.check(Message("1", "a", "the girl lives at 12 Oak Road"))
    assert [f.kind for f in v.flags] == ["address"]
    assert v.action is Action.HOLD


def test_thread_history_is_per_thread_and_author_bounded_and_aged() -> None:
    h = ThreadHistory(max_messages=3, max_age=timedelta(hours=1))
    msgs = [Message(str(i), "a", f"m{i}", timestamp=f"2025-01-01T10:{i:02d}:00+00:00", thread_id="t")
            for i in range(5)]
    for m in msgs:
        h.add(m)
    h.add(Message("x", "b", "other author", thread_id="t"))
    h.add(Message("y", "a", "other thread", thread_id="u"))
    now = Message("9", "a", "now", timestamp="2025-01-01T10:30:00+00:00", thread_id="t")
    assert [m.id for m in h.recent(now)] == ["2", "3", "4"]
    later = Message("9", "a", "later", timestamp="2025-01-01T12:00:00+00:00", thread_id="t")
    assert h.recent(later) == []
    h.add(Message("3", "a", "edited", timestamp="2025-01-01T10:03:00+00:00", thread_id="t"))
    assert [m.content for m in h.recent(now)] == ["m2", "m4", "edited"]
    h.forget("t")
    assert h.recent(now) == []
    assert len(h) == 1


def test_thread_history_limits_keys() -> None:
    h = ThreadHistory(max_keys=2)
    for author in "abc":
        h.add(Message(author, author, "x", thread_id="t"))
    assert h.recent(Message("z", "a", "x", thread_id="t")) == []
    assert len(h.recent(Message("z", "c", "x", thread_id="t"))) == 1


def test_thread_window_keeps_any_authors_last_messages_per_thread() -> None:
    w = ThreadWindow(size=2, max_threads=2)
    for i, author in enumerate("abc"):
        w.add(Message(str(i), author, f"m{i}", thread_id="t"))
    nxt = Message("9", "d", "next", thread_id="t")
    assert [m.id for m in w.recent(nxt)] == ["1", "2"]
    w.add(Message("2", "c", "edited", thread_id="t"))  # an edit replaces its earlier version
    assert [m.content for m in w.recent(nxt)] == ["m1", "edited"]
    assert [m.id for m in w.recent(Message("2", "c", "x", thread_id="t"))] == ["1"]  # never itself
    w.add(Message("u1", "a", "x", thread_id="u"))
    w.add(Message("v1", "a", "x", thread_id="v"))  # a third thread evicts the least recently used
    assert w.recent(nxt) == [] and len(w) == 2
    w.forget("u")
    assert len(w) == 1


def test_a_reply_to_a_message_naming_a_party_is_tied_to_it() -> None:
    engine = engine_with_fake()
    engine.check(Message("1", "someone", "it's NAME", thread_id="t"))
    reply = engine.check(Message("2", "other", "07911 123456", thread_id="t", reply_to="1"))
    assert [f.label for f in reply.flags] == ["the pupil"]
    assert reply.action is Action.REVIEW
    unrelated = engine.check(Message("3", "other", "07911 123456", thread_id="t", reply_to="999"))
    assert unrelated.flags == []


FRAGMENTS = ["the girl's mum", "her", "I", "my son", "lives at", "7 Cotham Vale", "BS6 6HR", "07911 123456",
             "works at the Spar on Mill Lane", "year 10", "red hair", "plays hockey", "Cotham School", "@kk_22",
             "insta", "born 3 June 2011", "AB19 XYZ", "a@b.co", "NAME", "Childline 0800 1111", ",", ".", "\n",
             "z\u0336\u0337", "０７７００", "\u200b", "💥", "[", "]"]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25), st.text(max_size=40))
@settings(max_examples=150, deadline=None)
def test_engine_never_fails_and_spans_stay_in_the_text(parts: list[str], noise: str) -> None:
    content = " ".join(parts) + noise
    v = engine_with_fake().check(Message("1", "a", content))
    for f in v.flags:
        assert 0.0 <= f.score <= 1.0
        assert f.reason and "\n" not in f.reason
        for s in f.spans:
            assert 0 <= s.start < s.end <= len(content)
            if f.category is Category.IDENTIFYING_DETAIL and len(content[s.start : s.end].strip()) > 3:
                assert content[s.start : s.end].strip() not in f.reason
    if v.flags:
        assert "NAME" not in v.excerpt or not any(f.category is Category.PROTECTED_IDENTITY for f in v.flags)


def test_the_excerpt_hides_a_registered_name_the_detectors_set_aside() -> None:
    """A first name with nothing tying it to the case is no flag, but the excerpt of a message flagged for
    something else (abuse) must not show it: every output goes through the registry's redaction."""
    case = parse_case("id = 't'\ntitle = 'R v X'\n[[protected]]\nlabel = 'the girl'\nnames = ['Lily Thackeray']\n")
    engine = IdentityEngine.from_case(case, secrets.token_bytes(32))
    verdict = engine.check(Message(id="1", author="a", content="lily said it, you idiot"))
    assert not verdict.flags, "an untied first name is not a flag on its own"
    insult = Flag(Category.ABUSE, "abuse:test", 0.9, "insult", kind="insult")
    shown = engine.finalize(verdict, [insult]).excerpt
    assert "lily" not in shown.casefold() and "[the girl]" in shown
