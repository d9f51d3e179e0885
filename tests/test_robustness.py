"""Any text gets a reply (issue 7): property tests over arbitrary Unicode, markup and format
strings, very long input, and conversations that carry on after garbage.

Properties checked for every input:
- ``ask`` returns a Reply and never raises; ``reply.text`` is a non-empty str;
- ``reply.to_dict()`` goes through ``json.dumps`` and its UTF-8 encoding (as ``--json`` prints);
- user-typed Rich/Markdown markup and format strings stay inert: no un-escaped ``[@click`` (or
  other tag the user typed) outside a code span, no ``class 'str'`` or other sign that a
  template was filled from user text;
- input longer than ``MAX_INPUT_CHARS`` is cut and the reply says so, naming the limit.
"""

from __future__ import annotations

import json
import re
import unicodedata

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot import Bot, Conversation, Reply
from bot.cli import main
from bot.normalise import MAX_INPUT_CHARS

SUPPRESS = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=SUPPRESS)


@pytest.fixture(scope="module")
def bot() -> Bot:
    return Bot()


# -- strategies -----------------------------------------------------------------------------
MARKUP = [
    "[@click=app.quit]x[/]", "[@click=app.quit]", "[/]", "[bold]", "[/bold]", "[red on blue]",
    "[link=https://example.com]l[/link]", "[b]", "[@click=screen.dismiss()]", "\\[bold]",
    "**x**", "__x__", "*x*", "`x`", "```", "``", "`", "~~x~~", "# h", "> q", "- [ ] t",
    "<script>alert(1)</script>", "<b>", "&amp;", "[x](javascript:alert(1))", "![i](x.png)",
    "|a|b|", "\\", "\\n",
]
FORMAT = ["{model}", "{0}", "{}", "{__class__}", "{name!r}", "{0.__class__.__mro__}", "%s",
          "%(name)s", "%d", "{{", "}}", "{", "}", "${x}", "{{model}}", "$name", "{text}",
          "{limit}", "{models}", "{category}"]
NAMES = ["BERT", "T5", "GPT-4", "LLaMA", "RoBERTa", "what type of model is", "is it",
         "and", "compare", "open source", "multimodal", "?", " ", "\n", "vs"]
WEIRD = ["\x00", "\x1b[31m", "\x07", "\r", "\t", "\u200b", "\u200d", "\ufeff", "\u202e",
         "\u202c", "\u2066", "\ud800", "\udfff", "\udc80", "😀", "👩‍👩‍👧", "🏳️‍🌈",
         "\U0001f1fa\U0001f1f8", "مرحبا", "שלום", "ﷺ", "\u3300", "ﬀ", "e\u0301", "İ", "ß",
         "\U0010ffff", "\uffff", "\u0085", "\u2028"]

# Every code point, surrogates and control characters included (codec=None, no exclusions).
ANY_CHAR = st.characters(codec=None, exclude_categories=())
RTL_CHAR = st.characters(min_codepoint=0x0590, max_codepoint=0x08FF)
EMOJI_CHAR = st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF)
CONTROL_CHAR = st.characters(max_codepoint=0x9F, categories=["Cc"])

pieces = st.one_of(
    st.text(ANY_CHAR, max_size=40),
    st.text(st.one_of(RTL_CHAR, EMOJI_CHAR, CONTROL_CHAR), max_size=20),
    st.sampled_from(MARKUP), st.sampled_from(FORMAT), st.sampled_from(NAMES),
    st.sampled_from(WEIRD),
)


@st.composite
def texts(draw: st.DrawFn) -> str:
    """Mixed text up to 10,000 characters; sometimes long, by repeating what was drawn."""
    text = "".join(draw(st.lists(pieces, max_size=12)))
    if text and draw(st.integers(0, 9)) == 0:
        text = text * (draw(st.integers(1, 10_000)) // len(text) + 1)
    return text[:10_000]


LONG_TEXT = "what type of model is BERT? " * 400  # 11,200 characters


def inert_problems(text: str, typed: str = "") -> list[str]:
    """What in a reply shows that markup or a format string from the user was acted on."""
    outside = _code_spans_removed(text)
    found = []
    if re.search(r"(?<!\\)\[@", outside):
        found.append("an un-escaped Rich action tag '[@...]' outside a code span")
    for tag in re.findall(r"\[/?[a-zA-Z#$][^\[\]\n]{0,60}\]|\[/\]", typed):
        if tag in outside and tag not in ("[x]", "[ ]"):
            found.append(f"the user's tag {tag!r} outside a code span")
    for sign in ("class 'str'", "<class ", "object at 0x", "Traceback", "KeyError",
                 "IndexError", "method-wrapper", "<built-in"):
        if sign in text and sign not in typed:
            found.append(f"{sign!r} in the reply")
    return found


def _code_spans_removed(text: str) -> str:
    """The text with Markdown code spans (`x`, ``x`y``) cut out: what would be rendered."""
    return re.sub(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", " ", text, flags=re.DOTALL)


def ask(asker: Bot | Conversation, text: str) -> Reply:
    return asker.ask(text)


def check_reply(reply: object) -> Reply:
    assert isinstance(reply, Reply), type(reply)
    assert isinstance(reply.text, str) and reply.text.strip()
    assert isinstance(reply.intent, str) and reply.intent
    assert isinstance(reply.confidence, float)
    assert all(isinstance(s, str) for s in reply.suggestions)
    data = reply.to_dict()
    json.dumps(data)
    # What `taxobot ask --json` prints: no lone surrogate may survive to the output.
    json.dumps(data, ensure_ascii=False).encode("utf-8")
    reply.text.encode("utf-8")
    return reply


# -- properties -----------------------------------------------------------------------------
@SETTINGS
@given(texts())
@example("")
@example("\ud800")
@example("\udc80" * 3000)
@example("\x00" * 10_000)
@example("😀" * 10_000)
@example("\u202eBERT\u202c")
@example("{model} {0} {__class__} %s %(name)s {0.__class__.__mro__}")
@example("[@click=app.quit]x[/] [bold]**x**[/bold] `y` ```z")
@example("and T5?")
@example(LONG_TEXT)
def test_ask_always_returns_a_reply(bot: Bot, text: str) -> None:
    reply = check_reply(ask(bot, text))
    assert not inert_problems(reply.text, text), (text, reply.text)


@SETTINGS
@given(st.text(ANY_CHAR, max_size=300))
def test_ask_any_code_point(bot: Bot, text: str) -> None:
    check_reply(ask(bot, text))


@SETTINGS
@given(texts())
@example("**x** `y` [bold]z[/]")
@example("\uae80\u5452\ue24c\uac80")
def test_confidence_is_in_unit_interval(bot: Bot, text: str) -> None:
    assert 0.0 <= ask(bot, text).confidence <= 1.0


@pytest.mark.parametrize("text", ["and", "AND", "and?", "what about?", "how about",
                                  "and T55", "and GPT-55"])
def test_followup_of_an_unknown_name_without_context(bot: Bot, text: str) -> None:
    check_reply(bot.ask(text))


def test_followup_of_an_unknown_name_after_smalltalk(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("hi")
    check_reply(conv.ask("and T55"))


# -- markup and format strings stay inert ---------------------------------------------------
@pytest.mark.parametrize("markup", [
    "[@click=app.quit]Zorblax[/]", "[bold]Zorblax[/bold]", "[@click=app.bell]Zorblax",
    "**Zorblax**", "`Zorblax`", "Zorblax```", "``Zor`blax``", "[red]Zor[/]blax",
    "[link=https://evil.example]Zorblax[/link]", "\\[@click=app.quit]Zorblax",
    "Zorblax[@click=app.quit]", "<b>Zorblax</b>",
])
def test_markup_in_an_unknown_name_is_inert(bot: Bot, markup: str) -> None:
    text = f"what type of model is {markup}?"
    reply = check_reply(bot.ask(text))
    assert not inert_problems(reply.text, text), reply.text
    assert "[@click" not in _code_spans_removed(reply.text).replace("\\[@click", "")


def test_the_issue_example(bot: Bot) -> None:
    reply = bot.ask("what type of model is [@click=app.quit]Zorblax[/]?")
    assert "Zorblax" in reply.text
    assert "don't know" in reply.text
    assert not re.search(r"(?<!\\)\[@click", _code_spans_removed(reply.text))
    assert "class 'str'" not in reply.text


@SETTINGS
@given(st.sampled_from(MARKUP + FORMAT), st.from_regex(r"[A-Z][a-z]{3,9}q", fullmatch=True),
       st.sampled_from(MARKUP + FORMAT + [""]),
       st.sampled_from(["what type of model is {}?", "is {} open source?", "tell me about {}",
                        "compare {} and BERT", "what about {}?", "{}", "who made {}?"]))
def test_markup_and_format_strings_around_names_stay_inert(
        bot: Bot, before: str, name: str, after: str, question: str) -> None:
    text = question.replace("{}", f"{before}{name}{after}")
    reply = check_reply(ask(bot, text))
    assert not inert_problems(reply.text, text), (text, reply.text)


@pytest.mark.parametrize("fmt", FORMAT)
def test_format_strings_are_not_filled(bot: Bot, fmt: str) -> None:
    for text in (f"what type of model is {fmt}?", f"is {fmt} open source?", fmt,
                 f"what type of model is BERT? {fmt}", f"compare {fmt} and T5"):
        reply = check_reply(bot.ask(text))
        assert not inert_problems(reply.text, text), (text, reply.text)


def test_json_output_of_the_cli_keeps_markup_literal(
        bot: Bot, capsys: pytest.CaptureFixture[str]) -> None:
    text = "what type of model is [@click=app.quit]Zorblax[/] {0} %s?"
    assert main(["ask", "--json", text]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["text"] == bot.ask(text).text
    assert out["intent"] == bot.ask(text).intent


# -- long input -----------------------------------------------------------------------------
def test_limit_is_documented_and_sane() -> None:
    assert 200 <= MAX_INPUT_CHARS <= 10_000


def _says_it_was_cut(reply: Reply) -> bool:
    return (f"{MAX_INPUT_CHARS:,}" in reply.text
            and re.search(r"\b(cut|long)\b", reply.text) is not None)


@pytest.mark.parametrize("text", [
    "x" * 10_000, LONG_TEXT, "a " * 5_000, "what type of model is BERT? " + "x" * 9_972,
    "😀" * 10_000, "\x00" * 10_000, "\udc80" * 10_000, "مرحبا " * 1_700,
])
def test_long_input_is_cut_and_the_reply_says_so(bot: Bot, text: str) -> None:
    reply = check_reply(bot.ask(text))
    assert _says_it_was_cut(reply), reply.text[-300:]


def test_input_at_the_limit_is_not_cut(bot: Bot) -> None:
    text = ("what type of model is BERT? " + "x" * MAX_INPUT_CHARS)[:MAX_INPUT_CHARS]
    reply = bot.ask(text)
    assert "cut" not in reply.text and "I read only" not in reply.text


_NFKC_STABLE = st.characters(codec=None, exclude_categories=()).filter(
    lambda c: unicodedata.normalize("NFKC", c) == c)


@settings(max_examples=60, deadline=None, suppress_health_check=SUPPRESS)
@given(st.text(_NFKC_STABLE, min_size=1, max_size=30), st.integers(MAX_INPUT_CHARS + 1, 10_000))
def test_any_long_input_is_cut(bot: Bot, unit: str, size: int) -> None:
    text = (unit * (size // len(unit) + 1))[:size]
    reply = check_reply(ask(bot, text))
    assert _says_it_was_cut(reply), reply.text[-300:]


def test_long_input_that_expands_under_nfkc(bot: Bot) -> None:
    reply = bot.ask("what type of model is BERT? " + "\ufdfa" * 10_000)
    assert _says_it_was_cut(reply), reply.text[-300:]


# -- conversations carry on after garbage ---------------------------------------------------
@settings(max_examples=100, deadline=None, suppress_health_check=SUPPRESS)
@given(texts())
@example("\x00\x1b[31m\ud800 ☃ {0} [@click=app.quit]x[/]")
@example("x" * 10_000)
def test_followup_after_garbage(bot: Bot, garbage: str) -> None:
    conv = bot.conversation()
    first = conv.ask("what type of model is BERT?")
    assert any(e.id == "bert" for e in first.entities)
    check_reply(ask(conv, garbage))
    reply = check_reply(conv.ask("and T5?"))
    assert any(e.id == "t5" for e in reply.entities), reply.to_dict()
    assert "**T5**" in reply.text, reply.text  # (garbage like "COMPARE" may make it compare)
    json.dumps(conv.to_dict())


def test_followup_after_garbage_answers_like_without_it(bot: Bot) -> None:
    clean = bot.conversation()
    clean.ask("what type of model is BERT?")
    expected = clean.ask("and T5?")
    for garbage in ("", "\x00\x01", "{0}{model}", "[@click=app.quit]x[/]", "😀" * 50,
                    "\ud800", "asdkjh qwe", "x" * 10_000):
        conv = bot.conversation()
        conv.ask("what type of model is BERT?")
        conv.ask(garbage)
        reply = conv.ask("and T5?")
        assert reply.intent == expected.intent, garbage
        assert [e.id for e in reply.entities] == [e.id for e in expected.entities]


def test_ask_rejects_non_text(bot: Bot) -> None:
    for value in (None, 5, b"what type of model is BERT?", ["BERT"]):
        with pytest.raises(TypeError):
            bot.ask(value)  # type: ignore[arg-type]


def test_followup_with_an_unknown_name_says_so(bot: Bot) -> None:
    conv = bot.conversation()
    conv.ask("what type of model is BERT?")
    reply = conv.ask("and T55?")
    assert "T55" in reply.text and "don't know" in reply.text, reply.text[:200]
