"""Specifications of the intent matcher (bot/matcher.py) on small, self-contained data."""

from __future__ import annotations

import random

import pytest

from bot.matcher import IntentMatcher, stem, tokenize

EXAMPLES = {
    "weather": ["what's the weather like", "will it rain tomorrow", "is it sunny outside",
                "weather forecast for today", "how cold is it"],
    "music": ["play some music", "put on a song", "play my favourite playlist",
              "i want to hear some jazz", "start the music"],
    "alarm": ["set an alarm for 7am", "wake me up at six", "set an alarm",
              "cancel my alarm", "alarm for tomorrow morning"],
    "developer": ["who developed {model}", "who made {model}", "which lab built {model}",
                  "who is behind {model}"],
    "release": ["when was {model} released", "when did {model} come out",
                "what year was {model} released", "release date of {model}"],
}


def matcher() -> IntentMatcher:
    return IntentMatcher.from_examples(EXAMPLES)


def test_public_attributes() -> None:
    m = IntentMatcher.from_examples(EXAMPLES, threshold=0.3)
    assert m.threshold == 0.3
    assert set(m.intents) == set(EXAMPLES)
    assert {k: list(v) for k, v in m.examples.items()} == EXAMPLES
    assert "alarm" in m.vocabulary and "{model}" not in m.vocabulary


def test_matches_paraphrases() -> None:
    m = matcher()
    assert m.match("will it rain today")[0][0] == "weather"
    assert m.match("play a song for me")[0][0] == "music"
    assert m.match("please set an alarm for 8")[0][0] == "alarm"
    assert m.match("who built {model}")[0][0] == "developer"
    assert m.match("when was {model} out")[0][0] == "release"


def test_an_example_itself_scores_high() -> None:
    top, score = matcher().match("set an alarm for 7am")[0]
    assert top == "alarm" and score > 0.5


def test_typo_tolerance() -> None:
    m = matcher()
    assert m.match("wether forecast")[0][0] == "weather"
    assert m.match("plya some musik")[0][0] == "music"
    corrected = m.correct(["alarn", "alarm"])
    assert corrected[0][0] == "alarm" and 0 < corrected[0][1] < 1
    assert corrected[1] == ("alarm", 1.0)


def test_scores_are_in_unit_interval_and_sorted() -> None:
    m = matcher()
    for text in ["", "what's the weather", "asdf qwer", "who developed {model}",
                 "weather weather weather weather", "{model} {model}", "!!!", "é ü ß"]:
        ranking = m.match(text)
        assert len(ranking) == len(EXAMPLES)
        scores = [s for _, s in ranking]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)


def test_limit() -> None:
    assert len(matcher().match("play music", limit=2)) == 2


def test_out_of_scope_text_scores_low() -> None:
    """Scores are probabilities over the intents: text like none of them spreads its
    probability (with five intents it cannot go below 1/5), far below a paraphrase's."""
    m = matcher()
    in_scope = min(m.match(t)[0][1] for t in ["will it rain tomorrow", "play some jazz",
                                               "who made {model}"])
    assert in_scope > 0.9
    for text in ["quantum chromodynamics lecture notes", "xyzzy plugh", "recipe for lasagne"]:
        assert m.match(text)[0][1] < in_scope - 0.25


def test_deterministic() -> None:
    a = IntentMatcher.from_examples(EXAMPLES)
    b = IntentMatcher.from_examples(dict(reversed(list(EXAMPLES.items()))))
    for text in ["play some music", "when was it released", "set alarm", "hello"]:
        assert a.match(text) == a.match(text)
        assert dict(a.match(text)) == dict(b.match(text))


def test_one_intent_and_empty_input() -> None:
    m = IntentMatcher.from_examples({"only": ["hello there"]})
    assert m.match("hello")[0][0] == "only"
    assert m.match("") == [("only", 0.0)]


def test_tokenize_and_stem() -> None:
    assert tokenize("Who developed {model}?") == ["who", "developed", "{model}"]
    assert tokenize("ÉCOLE Straße") == ["école", "strasse"]
    assert stem("deployed") == "deploy" and stem("{model}") == "{model}"


def test_fits_150_intents_of_100_examples() -> None:
    rng = random.Random(3)
    syllables = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]
    vocab = sorted({"".join(rng.choices(syllables, k=3)) for _ in range(3000)})
    common = vocab[:50]
    keys = {f"intent_{i}": rng.sample(vocab[50:], 8) for i in range(150)}

    def utterance(intent: str) -> str:
        return " ".join(rng.choice(keys[intent]) if rng.random() < 0.5 else rng.choice(common)
                        for _ in range(rng.randint(4, 9)))

    examples = {i: [utterance(i) for _ in range(100)] for i in keys}
    m = IntentMatcher.from_examples(examples)
    assert len(m.intents) == 150
    right = sum(m.match(utterance(i), limit=1)[0][0] == i for i in list(keys)[:50])
    assert right >= 40


def test_scores_are_probabilities_over_the_intents() -> None:
    for text in ["will it rain tomorrow", "who made {model}", "qwerty"]:
        assert sum(s for _, s in matcher().match(text)) == pytest.approx(1.0)


def test_the_model_does_not_depend_on_the_order_of_intents_or_examples() -> None:
    shuffled = {k: list(reversed(v)) for k, v in reversed(list(EXAMPLES.items()))}
    a = IntentMatcher.from_examples(EXAMPLES, 0.0)
    b = IntentMatcher.from_examples(shuffled, 0.0)
    assert a.match("put on some music at seven") == b.match("put on some music at seven")


def test_a_memo_never_changes_a_ranking() -> None:
    m = matcher()
    plain = m.with_memo(0)
    for text in ["play some jazz", "will it rain tomorrow", "play some jazz"]:
        assert m.match(text) == plain.match(text)


OFF_TOPIC = ["tell me a joke", "what is the capital of france", "order a pizza",
             "how tall is mount everest", "book a table for two", "what is two plus two",
             "translate hello into spanish", "who won the football match",
             "recommend a good film", "how do i bake bread", "what time is it in tokyo",
             "sing me a song"]


def test_the_threshold_is_chosen_from_out_of_scope_examples() -> None:
    """Given examples labelled out of scope (CLINC150 calls them "oos"), the matcher picks
    its own threshold from held-out scores; without them there is nothing to pick from."""
    m = IntentMatcher.from_examples({**EXAMPLES, "oos": OFF_TOPIC})
    assert 0.0 < m.threshold < 0.5
    assert m.match("will it rain tomorrow")[0][1] >= m.threshold
    assert IntentMatcher.from_examples(EXAMPLES).threshold == 0.0
    assert IntentMatcher.from_examples({**EXAMPLES, "oos": OFF_TOPIC}, 0.25).threshold == 0.25


def test_packed_fields_add_exactly_and_read_back_signed() -> None:
    """Every intent's weight of a feature lives in one integer; sums of such integers are
    sums field by field, negative fields included, as long as each stays in range."""
    from bot.softmax import READ_SHIFT, Packing

    pk = Packing.of(4)
    off = 1 << 62

    def packed(values: list[int]) -> int:
        return pk.pack([v + off for v in values]) - pk.offset

    a, b = [5, -3, 0, 2**40], [-7, -1, 9, -(2**40) - 1]
    total = packed(a) + packed(b) + 3 * packed(a)
    want = [4 * x + y for x, y in zip(a, b, strict=True)]
    assert pk.unpack(total, 1.0) == want
    fields = pk.floats(total)
    assert fields is not None and [f - READ_SHIFT for f in fields] == want
    assert pk.floats(packed([2**52, 0, 0, 0])) is None  # beyond what a double holds exactly
    for edge in ([2**51, 0, 0, 0], [0, -(2**51) - 1, 0, 0], [0, 0, 0, 2**51], [-(2**53), 5, 0, 0]):
        assert pk.floats(packed(edge)) is None, edge
    inside = [2**51 - 1, -(2**51), 0, -1]
    got = pk.floats(packed(inside))
    assert got is not None and [f - READ_SHIFT for f in got] == inside
    assert pk.unpack(packed([2**52, -(2**55), 0, 1]), 1.0) == [2**52, -(2**55), 0, 1]


def test_scores_are_the_softmax_of_the_tf_idf_features_word_by_word_or_not() -> None:
    """The scorer keeps each example word's n-gram weights summed, and corrects an n-gram a
    text repeats (its tf is sublinear): the probabilities are those of the plain
    computation over the text's terms, for known, unknown and repeated words alike."""
    import math

    from bot.features import char_terms, word_terms
    from bot.softmax import TF_BITS, softmax

    sc = matcher()._ix.scorer
    k = sc.packing.classes

    def plain(words: list[str], unseen: float) -> list[float] | None:
        z, known = list(sc.bias), False
        blocks = ((word_terms(words), sc.words, 1.0), (char_terms(words), sc.chars, sc.share))
        for tf, table, share in blocks:
            acc, norm2, seen = [0.0] * k, 0.0, False
            for term, c in tf.items():
                s = 1.0 + math.log(c) if c > 1 else float(c)
                hit = table.get(term)
                if hit is None:
                    norm2 += (s * unseen) ** 2
                    continue
                q = s if c == 1 else round(s * (1 << TF_BITS)) / (1 << TF_BITS)
                acc = [a + q * v for a, v in zip(acc, sc.packing.unpack(hit[0], 1.0),
                                                 strict=True)]
                norm2, seen = norm2 + s * s * hit[1], True
            if seen:
                scale = share * (1 << TF_BITS) / (sc.unit * math.sqrt(norm2))
                z, known = [a + v * scale for a, v in zip(z, acc, strict=True)], True
        return softmax(z) if known else None

    texts = ["will it rain tomorrow", "play play play the music music", "banana nana",
             "who developed {model} {model}", "wheather forcast", "qqqq zzzz", "",
             " ".join(["music"] * 40)]  # beyond the table of repeat counts
    for unseen in (0.0, 0.5):
        for text in texts:
            words = tokenize(text)
            got = sc.probabilities(word_terms(words), words, unseen)
            want = plain(words, unseen)
            assert (got is None) == (want is None), text
            if got is not None and want is not None:
                assert max(abs(a - b) for a, b in zip(got, want, strict=True)) < 1e-9, text


def test_features_that_always_occur_together_are_trained_as_one() -> None:
    """Two n-grams seen in exactly the same examples at the same tf get the same update at
    every step, so training keeps one weight for both; a feature of the other block, or seen
    at another tf, keeps its own (its input differs)."""
    from bot.softmax import Block, _merged, train

    texts = [(Block(((0, 1.0), (1, 1.0)), 1.0), Block(((2, 1.0), (3, 1.0), (4, 2.0)), 1.0)),
             (Block(((0, 1.0),), 1.0), Block(((2, 1.0), (3, 1.0), (5, 1.0)), 1.0)),
             (Block(((1, 1.0),), 1.0), Block(((4, 1.0), (5, 1.0)), 1.0))]
    assert _merged(texts) == [0, 1, 2, 2, 4, 5]
    model = train(texts, [0, 0, 1], 2, [1.0] * 6)
    assert model.weights[2] == model.weights[3] != model.weights[4]
