"""`taxobot eval` and bot.evaluation: metrics, cross-validation, the threshold, the command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.evaluation import (
    OUT_OF_SCOPE,
    Labelled,
    choose_threshold,
    cross_validate,
    evaluate,
    label_of,
    load_labelled,
    stratified_folds,
)
from bot.matcher import IntentMatcher
from bot.yamlio import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "eval"
TINY = FIXTURES / "tiny.yaml"
BOT_SAMPLE = FIXTURES / "bot_sample.yaml"
MALFORMED = FIXTURES / "malformed.yaml"
INTENTS = FIXTURES / "intents"

EXAMPLES = {
    "weather": ["what is the weather today", "will it rain tomorrow", "is it sunny outside",
                "weather forecast for the weekend", "how cold is it today"],
    "music": ["play some music", "play a song", "put on my playlist", "play the next track",
              "turn up the music"],
    "out_of_scope": ["order a pizza", "book a flight", "what is the capital of france",
                     "tell me a joke", "set an alarm"],
}


def test_load_labelled_reads_intents_entities_and_out_of_scope() -> None:
    items = load_labelled(TINY)
    assert [i.intent for i in items] == ["weather", "weather", "music", "music",
                                         OUT_OF_SCOPE, OUT_OF_SCOPE]
    assert items[3].entities == ({"entity": "artist", "value": "the beatles"},)
    assert items[0].line == 2 and not items[4].in_scope


def test_a_perfect_matcher_scores_one() -> None:
    items = [i for i in load_labelled(TINY) if i.in_scope]
    examples: dict[str, list[str]] = {}
    for i in items:
        examples.setdefault(i.intent, []).append(i.text)
    report = evaluate(IntentMatcher.from_examples(examples), items, 0.0)
    assert report.accuracy == 1.0 and report.macro_f1 == 1.0
    assert all(s.f1 == 1.0 and s.precision == 1.0 and s.recall == 1.0 for s in report.intents)
    assert report.errors == () and report.confusions == ()
    assert report.out_of_scope_recall is None


def test_a_confused_pair_is_reported_with_the_utterance_and_score() -> None:
    matcher = IntentMatcher.from_examples(EXAMPLES)
    items = [Labelled("play the weather forecast", "music"),  # looks like weather
             Labelled("what is the weather today", "weather"),
             Labelled("play some music", "music")]
    report = evaluate(matcher, items, 0.0)
    assert report.confusions == (("music", "weather", 1),)
    (error,) = report.errors
    assert error.text == "play the weather forecast"
    assert error.expected == "music" and error.predicted == "weather" and 0 < error.score <= 1
    scores = {s.intent: s for s in report.intents}
    assert scores["music"].recall == 0.5 and scores["weather"].precision == 0.5
    assert "music -> weather" in report.render()


def test_out_of_scope_recall_counts_low_scores_and_out_of_scope_matches() -> None:
    matcher = IntentMatcher.from_examples(EXAMPLES)
    items = [Labelled("order a pizza", OUT_OF_SCOPE),  # matched to the out_of_scope intent
             Labelled("zzz qqq xxyy", OUT_OF_SCOPE),  # nothing known: score 0, below threshold
             Labelled("play the weather today", OUT_OF_SCOPE),  # confidently in scope: missed
             Labelled("what is the weather today", "weather")]
    report = evaluate(matcher, items, 0.3)
    assert report.out_of_scope_total == 3
    assert report.out_of_scope_recall == pytest.approx(2 / 3)
    assert report.in_scope_accuracy == 1.0 and report.in_scope_total == 1
    assert report.to_dict()["out_of_scope_recall"] == pytest.approx(0.6667)


def test_choose_threshold_separates_held_out_scores() -> None:
    t = choose_threshold([0.6, 0.7, 0.8, 0.9], [0.1, 0.2, 0.3])
    assert 0.3 < t < 0.6
    assert choose_threshold([0.5], []) == 0.0
    # Overlap: every out-of-scope score below the lowest in-scope one is refused.
    t = choose_threshold([0.4, 0.6, 0.7, 0.8], [0.2, 0.3, 0.5])
    assert 0.3 < t < 0.4


def test_the_threshold_turns_away_at_most_one_answerable_question_in_a_hundred() -> None:
    ins, outs = [0.2, 0.5, 0.6, 0.7, 0.8], [0.3]
    # Refusing 0.3 would refuse the in-scope 0.2 too: one answer in five.
    assert choose_threshold(ins, outs) == 0.0
    # One in 200 (two allowed): now it may.
    t = choose_threshold(ins, outs, in_scope_total=200)
    assert 0.3 < t < 0.5
    assert choose_threshold(ins, outs, in_scope_total=200, max_refused=0.0) == 0.0


def test_folds_are_stratified_and_cross_validation_is_deterministic() -> None:
    folds = stratified_folds(EXAMPLES, 5)
    assert all(sorted(i for i, _ in fold) == sorted(EXAMPLES) for fold in folds)
    assert sorted(p for fold in folds for p in fold) == sorted(
        (i, t) for i, ts in EXAMPLES.items() for t in ts)
    a = cross_validate(EXAMPLES, 5)
    b = cross_validate(EXAMPLES, 5)
    assert a == b and a.to_dict() == b.to_dict()
    assert a.total == 15 and a.folds == 5 and len(a.fold_accuracy) == 5
    assert a.out_of_scope_total == 5 and len(a.fold_thresholds) == 5
    assert cross_validate(EXAMPLES, 5, seed=1).total == 15
    with pytest.raises(ValueError):
        cross_validate(EXAMPLES, 1)


def test_eval_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(BOT_SAMPLE)]) == 0
    out = capsys.readouterr().out
    for part in ("precision", "recall", "f1-score", "support", "classify_model", "accuracy",
                 "macro avg", "out-of-scope recall", "Misclassified"):
        assert part in out


def test_eval_command_json_parses(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(BOT_SAMPLE), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 6 and data["out_of_scope_total"] == 2
    assert {"accuracy", "macro_f1", "intents", "confusions", "errors"} <= set(data)
    assert data["intents"]["classify_model"]["support"] == 1


def test_eval_cross_validate_on_an_intents_folder(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", "--cross-validate", "3", "--intents", str(INTENTS), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 18 and data["cross_validation"]["folds"] == 3
    assert main(["eval", "--cross-validate", "3", "--intents", str(INTENTS)]) == 0
    assert "3 folds" in capsys.readouterr().out


def test_malformed_file_gives_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["eval", str(MALFORMED)]) == 1
    err = capsys.readouterr().err
    assert f"{MALFORMED}:3:" in err and "intent" in err
    assert f"{MALFORMED}:4:" in err
    with pytest.raises(DataError):
        load_labelled(MALFORMED)


def test_invalid_yaml_and_wrong_shape(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- text: a\n  intent: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_labelled(bad)
    assert str(bad) in str(err.value)
    bad.write_text("text: a\nintent: b\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.yaml:1: expected a list"):
        load_labelled(bad)


def test_clinc_style_oos_labels_mean_out_of_scope() -> None:
    assert label_of("oos") == label_of("fallback") == label_of(None) == OUT_OF_SCOPE
    assert label_of("weather") == "weather"


def test_eval_learns_from_a_training_file_of_any_domain(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``taxobot eval TEST --train TRAIN``: the generic matcher, as another app would use it,
    with its threshold chosen from the training file's out-of-scope ('oos') items."""
    train = tmp_path / "train.yaml"
    test = tmp_path / "test.yaml"
    rows = [(t, i) for i, ts in EXAMPLES.items() for t in ts]
    rows += [(t, "oos") for t in ["tell me a joke", "order a pizza", "book a table for two",
                                  "what is the capital of france", "sing me a song"]]
    train.write_text(json.dumps([{"text": t, "intent": i} for t, i in rows]), encoding="utf-8")
    test.write_text(json.dumps([
        {"text": "is it going to rain tomorrow", "intent": "weather"},
        {"text": "play me some music", "intent": "music"},
        {"text": "xyzzy plugh frobnicate", "intent": "oos"}]), encoding="utf-8")
    assert main(["eval", str(test), "--train", str(train), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 3 and data["out_of_scope_total"] == 1
    assert data["accuracy"] == 1.0
    assert main(["eval", "--train", str(train), "--cross-validate", "2"]) == 0
    assert "2 folds" in capsys.readouterr().out
    assert main(["eval", str(test), "--train", str(train), "--intents", str(INTENTS)]) != 0
