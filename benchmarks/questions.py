"""The question set of the benchmark: every kind of question the bot answers, and some it
must refuse, as short dialogues. A single question is a dialogue of one turn.

``Bot.ask`` runs every turn on its own (follow-ups then meet an empty context, which is a
path of its own: "which model do you mean?"); ``Conversation.ask`` runs each dialogue in a
fresh conversation, so follow-ups resolve against the earlier turns.
"""

from __future__ import annotations

import random

# (kind, turns)
DIALOGUES: list[tuple[str, list[str]]] = [
    ("classify", ["what type of model is BERT?"]),
    ("classify", ["how would you classify GPT-4?"]),
    ("classify", ["classify Whisper"]),
    ("classify", ["I keep seeing Mistral 7B mentioned everywhere - how would it be "
                  "classified in your taxonomy?"]),
    ("one dimension", ["what is the training approach of T5?"]),
    ("one dimension", ["what architecture does RoBERTa use?"]),
    ("one dimension", ["how is Codex deployed?"]),
    ("examples", ["give me examples of multimodal models"]),
    ("examples", ["which models are retrieval-augmented?"]),
    ("examples", ["name some domain-specific models"]),
    ("describe", ["what is a hybrid model?"]),
    ("describe", ["describe masked language models"]),
    ("describe", ["what does seq2seq mean?"]),
    ("list", ["what are the dimensions of the taxonomy?"]),
    ("list", ["what categories are there under deployment?"]),
    ("list", ["list all categories"]),
    ("list", ["how many categories are there?"]),
    ("list", ["which dimension does open-source belong to?"]),
    ("yes/no", ["is BERT open source?"]),
    ("yes/no", ["is GPT-4 proprietary?"]),
    ("yes/no", ["is T5 an autoregressive model?"]),
    ("yes/no", ["is BLOOM multilingual or monolingual?"]),
    ("compare", ["compare BERT and GPT-3"]),
    ("compare", ["what is the difference between T5 and BART?"]),
    ("compare", ["BERT vs RoBERTa"]),
    ("filter", ["which small transformer models are not proprietary?"]),
    ("filter", ["list open-source multilingual models"]),
    ("filter", ["which models are cloud-based and conversational?"]),
    ("facts", ["who developed BERT?"]),
    ("facts", ["when was GPT-3 released?"]),
    ("facts", ["how many parameters does LLaMA have?"]),
    ("facts", ["what licence is BLOOM under?"]),
    ("facts", ["what modalities does GPT-4 support?"]),
    ("facts", ["tell me about Claude"]),
    ("facts", ["models similar to BERT"]),
    ("typos", ["is distilbrt open source?"]),
    ("typos", ["who made Robrta?"]),
    ("typos", ["examples of multimodl models"]),
    ("typos", ["what is a transfomer based model?"]),
    ("typos", ["wat type of modle is Whisperr?"]),
    ("follow-ups", ["what type of model is BERT?", "is it open source?", "and T5?",
                    "who developed it?"]),
    ("follow-ups", ["give me examples of small-scale models", "more", "what about large ones?"]),
    ("follow-ups", ["compare GPT-2 and GPT-3", "which one is bigger?", "is it open source?"]),
    ("follow-ups", ["is it open source?", "BERT"]),
    ("out-of-scope", ["what's the weather in Paris?"]),
    ("out-of-scope", ["recommend a good pizza recipe"]),
    ("out-of-scope", ["how do I fine-tune a model on my GPU with 8 GB?"]),
    ("unknown names", ["what type of model is Zorblax-9?"]),
    ("unknown names", ["is GPT-7 open source?"]),
    ("unknown names", ["who developed FooBarLM?"]),
    ("smalltalk", ["hello"]),
    ("smalltalk", ["thanks!"]),
    ("smalltalk", ["who are you?"]),
    ("smalltalk", ["help"]),
    ("smalltalk", ["bye"]),
]


def turns() -> list[tuple[str, str]]:
    """Every turn as (kind, text), in order."""
    return [(kind, t) for kind, ts in DIALOGUES for t in ts]


# -- the scale benchmark: questions about synthetic models ---------------------------------

_EXACT = ("what type of model is {}?", "who developed {}?", "is {} open source?",
          "when was {} released?", "how many parameters does {} have?", "tell me about {}")
NO_NAME = [
    "what are the dimensions of the taxonomy?", "what is a hybrid model?",
    "list all categories", "which dimension does open-source belong to?",
    "describe masked language models", "how many categories are there?",
    "what's the weather in Paris?", "recommend a good pizza recipe", "hello", "who are you?",
    "what does seq2seq mean?", "what categories are there under deployment?",
]


_FILLERS = ("", "ok, ", "quick question: ", "hey, ", "so ", "please tell me: ", "um, ",
            "one more: ")


def scale_questions(names: list[str], rounds: int, count: int = 24, seed: int = 11
                    ) -> dict[str, list[list[str]]]:
    """Questions naming synthetic models exactly, with a typo, and naming none: ``rounds``
    rounds of ``count`` each, never the same text twice (different models in each round,
    a different filler for the no-name questions), so no memo of a repeated text helps."""
    from synth import typo

    rng = random.Random(seed)
    picks = rng.sample(names, min(len(names), count * rounds))
    out: dict[str, list[list[str]]] = {"exact name": [], "typo'd name": [], "no name": []}
    for r in range(rounds):
        chunk = picks[r * count : (r + 1) * count] or picks[:count]
        out["exact name"].append([_EXACT[i % len(_EXACT)].format(n)
                                  for i, n in enumerate(chunk)])
        out["typo'd name"].append([_EXACT[(i + 1) % len(_EXACT)].format(typo(n, rng))
                                   for i, n in enumerate(chunk)])
        filler = _FILLERS[r % len(_FILLERS)]
        out["no name"].append([filler + q for q in NO_NAME[:count]])
    return out
