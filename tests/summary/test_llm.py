"""The optional rewrite against a loopback OpenAI-compatible endpoint: accepted only when every sentence checks."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable

import pytest
from aiohttp import web

from bot.summary import build_summary
from bot.summary.llm import LLMConfig, rewrite_summary
from bot.summary.redaction import identity_checker
from tests.loopback import serve

from .conftest import load

Reply = Callable[[dict], web.Response]


@pytest.fixture
async def endpoint() -> AsyncIterator[tuple[str, list[dict], dict[str, Reply]]]:
    requests: list[dict] = []
    behaviour: dict[str, Reply] = {}

    async def completions(request: web.Request) -> web.Response:
        body = await request.json()
        body["_auth"] = request.headers.get("Authorization", "")
        requests.append(body)
        return behaviour["reply"](body)

    app = web.Application()
    app.router.add_post("/v1/chat/completions", completions)
    async with serve(app) as base:
        yield f"{base}/v1", requests, behaviour


def answer(sentences: list[dict]) -> Reply:
    content = json.dumps({"sentences": sentences})
    return lambda _body: web.json_response({"choices": [{"message": {"role": "assistant", "content": content}}]})


def _setup():  # type: ignore[no-untyped-def]
    case, docs = load("multi_source")
    guard = identity_checker(case)
    from bot.summary.redaction import Redactor

    redactor = Redactor(case, guard)
    return case, docs, redactor, build_summary(case, docs, redactor=redactor)


async def test_supported_rewrite_is_used(endpoint) -> None:  # type: ignore[no-untyped-def]
    url, requests, behaviour = endpoint
    case, docs, redactor, extractive = _setup()
    good = [
        {"text": "A primary school headteacher in Northfold has been suspended while the county council "
                 "investigates allegations that a pupil was restrained and locked in a storeroom.", "sources": [1, 2]},
        {"text": "Northfold Police opened a criminal investigation and said officers were investigating an "
                 "allegation of false imprisonment; no arrests had been made.", "sources": [1, 2]},
        {"text": "The council confirmed that the headteacher was suspended on full pay on 1 September, "
                 "a neutral act that does not imply any finding of wrongdoing.", "sources": [2]},
    ]
    behaviour["reply"] = answer(good)
    out = await rewrite_summary(extractive, case, docs, LLMConfig(url=url, model="tiny", key="k-123"),
                                redactor=redactor)
    assert out.backend == "llm:tiny"
    assert [s.text for s in out.sentences] == [g["text"] for g in good]
    assert requests[0]["model"] == "tiny" and requests[0]["_auth"] == "Bearer k-123"
    assert "Marchetti" not in json.dumps(requests[0])  # the model only sees redacted sources


async def test_unsupported_sentence_falls_back_to_extractive(endpoint) -> None:  # type: ignore[no-untyped-def]
    url, _, behaviour = endpoint
    case, docs, redactor, extractive = _setup()
    behaviour["reply"] = answer([
        {"text": "A primary school headteacher in Northfold has been suspended while the county council "
                 "investigates allegations that a pupil was restrained and locked in a storeroom.", "sources": [1]},
        {"text": "Sources close to the family believe the headteacher will resign before Christmas amid "
                 "mounting pressure from furious parents and governors.", "sources": [1]},
    ])
    out = await rewrite_summary(extractive, case, docs, LLMConfig(url=url, model="tiny"), redactor=redactor)
    assert out.sentences == extractive.sentences and out.backend == "extractive"
    assert "rewrite rejected" in out.notes[-1]


async def test_rewrite_naming_the_protected_party_is_rejected(endpoint) -> None:  # type: ignore[no-untyped-def]
    url, _, behaviour = endpoint
    case, docs, redactor, extractive = _setup()
    behaviour["reply"] = answer([{"text": "The parents of the boy, Leo Marchetti, said he had been left in the "
                                          "storeroom for more than an hour in June.", "sources": [1]}])
    out = await rewrite_summary(extractive, case, docs, LLMConfig(url=url, model="tiny"), redactor=redactor)
    assert out.sentences == extractive.sentences


@pytest.mark.parametrize("reply", [
    lambda _b: web.Response(status=500, text="boom"),
    lambda _b: web.json_response({"choices": [{"message": {"content": "I cannot help with that."}}]}),
    lambda _b: web.json_response({"unexpected": True}),
])
async def test_endpoint_failures_fall_back(endpoint, reply) -> None:  # type: ignore[no-untyped-def]
    url, _, behaviour = endpoint
    case, docs, redactor, extractive = _setup()
    behaviour["reply"] = reply
    out = await rewrite_summary(extractive, case, docs, LLMConfig(url=url, model="tiny"), redactor=redactor)
    assert out.sentences == extractive.sentences and "rewrite failed" in out.notes[-1]


def test_endpoint_url_normalisation() -> None:
    assert LLMConfig(url="http://h/v1/", model="m").endpoint == "http://h/v1/chat/completions"
    assert LLMConfig(url="http://h/v1/chat/completions", model="m").endpoint == "http://h/v1/chat/completions"
