"""A thousand and more hostile bodies: each gets a clear 4xx (or an answer), never a 5xx, a
traceback or an internal path, and the server goes on answering."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

pytest.importorskip("fastapi", reason="the serve extra is not installed")

from fastapi.testclient import TestClient  # noqa: E402
from hostile import bodies  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from live_server import serving  # noqa: E402

from web import create_app  # noqa: E402

EXPECTED = {200, 400, 413, 415, 422}
LEAKS = ("Traceback", "site-packages", "/work/", ".py\"", "File \"")


def check(status: int, body: bytes) -> None:
    assert status in EXPECTED, (status, body[:300])
    parsed = json.loads(body)
    assert "reply" in parsed if status == 200 else "detail" in parsed
    text = body.decode()
    assert not any(leak in text for leak in LEAKS), text[:300]


@pytest.fixture(scope="module")
def client(bot) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(bot, secret="s"), raise_server_exceptions=False) as c:
        yield c


def test_a_thousand_seeded_hostile_bodies_in_process(client: TestClient) -> None:
    for body in bodies(seed=15, count=1000):
        r = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
        check(r.status_code, r.content)
    assert client.get("/v1/health").status_code == 200


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=300),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=20), inner,
                                                                 max_size=5),
    max_leaves=30)


@settings(max_examples=1000, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(st.one_of(
    st.fixed_dictionaries({"text": st.text(max_size=2000)},
                          optional={"state": json_values}).map(json.dumps).map(str.encode),
    st.fixed_dictionaries({"text": json_values, "state": json_values})
    .map(json.dumps).map(str.encode),
    json_values.map(json.dumps).map(str.encode),
    st.binary(max_size=500)))
def test_generated_bodies_never_get_a_5xx(client: TestClient, body: bytes) -> None:
    r = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json"})
    check(r.status_code, r.content)


def test_a_real_server_survives_a_thousand_hostile_bodies() -> None:
    with serving(env={"TAXOBOT_SECRET": "s"}) as live:
        for body in bodies(seed=1015, count=1000):
            check(*live.request("POST", "/v1/ask", body, {"Content-Type": "application/json"}))
        status, answer = live.ask("what type of model is BERT?")
        assert status == 200 and "masked" in answer["reply"]["text"].lower()
