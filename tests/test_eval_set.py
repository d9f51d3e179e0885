"""Run tests/eval/generalisation.yaml through the shared evaluation runner.

The runner lives outside the repository, in ../shared/eval/run_eval.py (CI checks the repo
out with ../shared beside it), so it is imported by path relative to the repo root. The
cases are unseen questions of the kinds in ../shared/eval/dev.yaml; the bot must pass at
least BAR percent of them.
"""
import importlib.util
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
RUNNER = REPO.parent / "shared" / "eval" / "run_eval.py"
CASES = REPO / "tests" / "eval" / "generalisation.yaml"

# The pass rate (percent) the bot reaches now, rounded down. Raise it as the engine improves;
# never lower it to make a regression pass.
BAR = 98


def _load_runner():
    if not RUNNER.is_file():
        pytest.skip(f"evaluation runner not found at {RUNNER} (needs ../shared beside the repo)")
    spec = importlib.util.spec_from_file_location("taxobot_run_eval", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def runner():
    return _load_runner()


@pytest.fixture(scope="module")
def bot():
    from bot import Bot

    return Bot()


@pytest.fixture(scope="module")
def cases():
    return yaml.safe_load(CASES.read_text(encoding="utf-8"))


def test_case_file_is_well_formed(cases):
    assert len(cases) >= 150
    ids = [c["id"] for c in cases]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    kinds = {"answer", "fallback", "clarify", "unknown", "any"}
    for case in cases:
        assert case.get("group"), case["id"]
        assert case.get("source") in ("seed", "extended"), case["id"]
        assert case.get("turns"), case["id"]
        for turn in case["turns"]:
            assert "say" in turn or "say_repeat" in turn, case["id"]
            expect = turn.get("expect", {})
            assert set(expect) <= {"kind", "all", "none", "starts"}, case["id"]
            assert expect.get("kind", "any") in kinds, case["id"]


def _pass_rate(runner, bot, cases, bar):
    failed = []
    for case in cases:
        ok, failures = runner.run_case(bot, case)
        if not ok:
            failed.append(f"{case['id']}: {failures[0]}")
    rate = 100.0 * (len(cases) - len(failed)) / len(cases)
    detail = "\n".join(failed)
    assert rate >= bar, (f"pass rate {rate:.1f}% is below the bar of {bar}%; "
                         f"failing cases:\n{detail}")


def test_generalisation_pass_rate(runner, bot, cases):
    _pass_rate(runner, bot, cases, BAR)


# The unseen sets written before the query layer and the concepts were built (issues 12 and
# 18), with the rates reached now, rounded down: compositional 35% -> 91%, real questions
# 14% -> 99% (bars a little below, for the matcher's drift as intents grow). Raise them as
# the engine improves; never lower them.
@pytest.mark.parametrize("name, bar", [("compositional.yaml", 88), ("real-questions.yaml", 92)])
def test_unseen_sets_pass_rate(runner, bot, name, bar):
    cases = yaml.safe_load((CASES.parent / name).read_text(encoding="utf-8"))
    _pass_rate(runner, bot, cases, bar)
