"""The HTTP API, through the framework's test client: given this request, this response."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402

from web import create_app  # noqa: E402
from web.app import STATIC  # noqa: E402

JSON = {"Content-Type": "application/json"}


@pytest.fixture(scope="module")
def client(bot) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(bot)) as c:
        yield c


@pytest.fixture(scope="module")
def signed(bot) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(bot, secret="correct horse")) as c:
        yield c


def ask(c: TestClient, text: str, state: Any = None) -> Any:
    r = c.post("/v1/ask", json={"text": text, "state": state})
    assert r.status_code == 200, r.text
    return r.json()


def external_references() -> list[str]:
    """Anything in the page's files that would load from another host."""
    pattern = re.compile(r"""(src|href)\s*=\s*["']?(https?:)?//|url\(|@import|https?://""")
    return [f"{f.name}: {m.group(0)}" for f in STATIC.iterdir() if f.name != "docs.html"
            for m in pattern.finditer(f.read_text(encoding="utf-8")
                                      .replace('xmlns="http://www.w3.org/2000/svg"', ""))]


# -- answers and follow-ups ---------------------------------------------------------------
def test_a_question_gets_the_reply_its_html_and_a_state(client: TestClient, bot) -> None:  # type: ignore[no-untyped-def]
    body = ask(client, "what type of model is BERT?")
    reply = body["reply"]
    assert reply == {**bot.ask("what type of model is BERT?").to_dict(), "html": reply["html"]}
    assert "masked" in reply["text"].lower()
    assert "<strong>BERT</strong>" in reply["html"] and "<li>" in reply["html"]
    assert isinstance(body["state"], dict)


def test_the_state_carries_the_follow_up(client: TestClient) -> None:
    first = ask(client, "what type of model is BERT?")
    second = ask(client, "is it open source?", first["state"])
    assert second["reply"]["text"].startswith("Yes")
    assert "BERT" in second["reply"]["text"]


def test_no_state_and_null_state_both_start_a_conversation(client: TestClient) -> None:
    r = client.post("/v1/ask", json={"text": "is it open source?"})
    assert r.status_code == 200
    assert r.json()["reply"] == ask(client, "is it open source?", None)["reply"]


def test_markup_in_an_answer_is_escaped_not_passed_through(client: TestClient) -> None:
    for bait in ("<img src=x onerror=alert(1)>", "<script>alert(1)</script>",
                 "what is <b onmouseover=alert(1)>BERT</b>?", "[x](javascript:alert(1))"):
        html = ask(client, bait)["reply"]["html"]
        assert not re.search(r"<(img|script|b )", html), html
        assert "javascript:" not in html.replace("&quot;", "")


# -- the state, signed or not -------------------------------------------------------------
def test_a_signed_state_round_trips(signed: TestClient) -> None:
    first = ask(signed, "what type of model is BERT?")
    assert set(first["state"]) == {"payload", "signature"}
    assert ask(signed, "is it open source?", first["state"])["reply"]["text"].startswith("Yes")


@pytest.mark.parametrize("tamper", [
    lambda s: {**s, "payload": {**s["payload"], "models": ["gpt-3"]}},
    lambda s: {**s, "signature": "0" * 64},
    lambda s: s["payload"],                      # the signature stripped
    lambda s: {**s, "extra": 1},
    lambda s: {"payload": s["payload"], "signature": 12},
])
def test_an_altered_signed_state_is_refused(signed: TestClient, tamper) -> None:  # type: ignore[no-untyped-def]
    state = ask(signed, "what type of model is BERT?")["state"]
    r = signed.post("/v1/ask", json={"text": "is it open source?", "state": tamper(state)})
    assert (r.status_code, r.json()) == (400, {"detail": "invalid conversation state"})


def test_a_state_signed_with_another_secret_is_refused(bot, signed: TestClient) -> None:  # type: ignore[no-untyped-def]
    with TestClient(create_app(bot, secret="another")) as other:
        state = ask(other, "what type of model is BERT?")["state"]
    r = signed.post("/v1/ask", json={"text": "is it open source?", "state": state})
    assert r.status_code == 400


@pytest.mark.parametrize("state", [{"nonsense": 1}, {"version": 99}, {"models": "bert"},
                                   {"version": 1, "models": ["no-such-model"]}])
def test_a_malformed_state_is_refused(client: TestClient, state: dict[str, Any]) -> None:
    r = client.post("/v1/ask", json={"text": "hi", "state": state})
    assert (r.status_code, r.json()) == (400, {"detail": "invalid conversation state"})


# -- bad requests -------------------------------------------------------------------------
@pytest.mark.parametrize("body", [b"{", b"", b"\xff\xfe{}", b"{'text': 'hi'}", b"[" * 5000])
def test_invalid_json_is_a_400_that_says_so(client: TestClient, body: bytes) -> None:
    r = client.post("/v1/ask", content=body, headers=JSON)
    assert r.status_code == 400
    assert r.json()["detail"].startswith("invalid JSON")


@pytest.mark.parametrize("body, where", [
    ({"text": 1}, ["text"]), ({"text": None}, ["text"]), ({}, ["text"]),
    ({"text": "hi", "state": "x"}, ["state"]), ({"text": "hi", "state": [1]}, ["state"]),
    ({"text": "hi", "extra": True}, ["extra"]), ([], []), ("hi", []),
])
def test_wrong_types_are_a_422_naming_the_field(client: TestClient, body: Any,
                                                where: list[str]) -> None:
    r = client.post("/v1/ask", content=json.dumps(body), headers=JSON)
    assert r.status_code == 422
    assert any(e["loc"] == where for e in r.json()["detail"]), r.json()
    assert '"input"' not in r.text  # the hostile input is not echoed back


def test_a_body_over_16_kib_is_a_413(client: TestClient) -> None:
    big = json.dumps({"text": "a" * 17_000})
    assert client.post("/v1/ask", content=big, headers=JSON).status_code == 413
    # without a Content-Length (chunked), the bytes received are counted
    chunks = (big[i:i + 4096].encode() for i in range(0, len(big), 4096))
    assert client.post("/v1/ask", content=chunks, headers=JSON).status_code == 413
    assert client.post("/v1/ask", content=json.dumps({"text": "a" * 16_000}),
                       headers=JSON).status_code == 200


def test_a_body_not_sent_as_json_is_a_415(client: TestClient) -> None:
    r = client.post("/v1/ask", content=b'{"text": "hi"}', headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_unknown_paths_and_methods(client: TestClient) -> None:
    assert client.get("/v2/ask").status_code == 404
    assert client.get("/static/../web/app.py").status_code == 404
    assert client.get("/v1/ask").status_code == 405


# -- the other endpoints ------------------------------------------------------------------
def test_health(client: TestClient) -> None:
    assert client.get("/v1/health").json() == {"status": "ok", "version": "0.1.0",
                                                "signed_state": False}


def test_the_taxonomy_lists_every_dimension_and_its_categories(client: TestClient, kb) -> None:  # type: ignore[no-untyped-def]
    dims = client.get("/v1/taxonomy").json()["dimensions"]
    assert [d["id"] for d in dims] == [d.id for d in kb.dimensions]
    for d in dims:
        assert [c["id"] for c in d["categories"]] == [c.id for c in kb.categories_in(d["id"])]
    bert_training = next(d for d in dims if d["name"] == "Training Approach")
    assert any("Masked" in c["name"] for c in bert_training["categories"])


def test_the_openapi_document_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/v1/ask", "/v1/health", "/v1/taxonomy"} <= set(spec["paths"])
    body = spec["paths"]["/v1/ask"]["post"]["requestBody"]["content"]["application/json"]
    assert body["schema"]["required"] == ["text"]
    assert {"400", "413", "422"} <= set(spec["paths"]["/v1/ask"]["post"]["responses"])
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/static/docs.js" in docs.text


def test_the_page_runs_only_its_own_script(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script src=\"/static/chat.js\"" in page.text
    assert external_references() == []
    assert client.get("/static/chat.js").status_code == 200


def test_cors_is_off_unless_an_origin_is_named(bot, client: TestClient) -> None:  # type: ignore[no-untyped-def]
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/v1/health", headers=origin).headers
    with TestClient(create_app(bot, cors_origins=["https://example.org"])) as c:
        allowed = c.get("/v1/health", headers=origin).headers
        other = c.get("/v1/health", headers={"Origin": "https://evil.test"}).headers
    assert allowed["access-control-allow-origin"] == "https://example.org"
    assert "access-control-allow-origin" not in other


def test_the_rendering_is_the_same_cached_or_not() -> None:
    from web.app import renderer

    cached, fresh = renderer(), renderer(cache=0)
    for text in ("**BERT** is:\n\n- one\n- two", "| a | b |\n|---|---|\n| 1 | 2 |",
                 "<script>x</script>", "x" * 5000):
        assert cached(text) == cached(text) == fresh(text)
    assert "<table>" in fresh("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<script>" not in fresh("<script>x</script>")
