"""The seed taxonomy, held exactly: every dimension, category, description and example.

One test per dimension, so a drift names the dimension it broke.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SEED = {
    "architecture": ("Model Architecture", {
        "transformer-based": ("Use the transformer architecture for natural language "
                              "understanding and generation.", ["GPT", "BERT", "T5", "RoBERTa"]),
        "rnn-based": ("Use recurrent neural networks or LSTMs (Long Short-Term Memory) to "
                      "process sequential data.", ["Early Seq2Seq models"]),
        "hybrid": ("Combine transformers with other techniques like memory augmentation or "
                   "retrieval modules.", ["RETRO", "RAG (Retrieval-Augmented Generation)"]),
    }),
    "training": ("Training Approach", {
        "autoregressive": ("Generate text by predicting the next word/token based on previous "
                           "ones.", ["GPT", "XLNet"]),
        "masked-lm": ("Predict masked (hidden) words within text, often used for fine-tuning.",
                      ["BERT", "RoBERTa"]),
        "seq2seq": ("Map input sequences to output sequences, ideal for tasks like translation.",
                    ["T5", "mT5", "BART"]),
    }),
    "functionality": ("Functionality", {
        "general-purpose": ("Versatile models for various tasks, from chatbots to "
                            "summarization.", ["GPT-4", "PaLM", "Claude"]),
        "domain-specific": ("Fine-tuned for specialized fields like healthcare or finance.",
                            ["BioBERT", "FinBERT"]),
        "multimodal": ("Handle multiple data types (e.g., text, images, audio).",
                       ["GPT-4 Vision", "DALL-E", "CLIP"]),
    }),
    "scale": ("Scale", {
        "small-scale": ("Lightweight models optimized for efficiency on edge devices.",
                        ["DistilBERT", "TinyBERT"]),
        "large-scale": ("Massive models with billions of parameters for high-complexity tasks.",
                        ["GPT-3", "GPT-4", "LLaMA 2"]),
    }),
    "deployment": ("Deployment", {
        "cloud-based": ("Accessed via APIs for large-scale applications.",
                        ["OpenAI’s GPT", "Google’s PaLM API"]),
        "on-premise": ("Deployed locally for private use or customization.",
                       ["LLaMA", "Falcon", "GPT-J"]),
    }),
    "accessibility": ("Accessibility", {
        "open-source": ("Freely available for modification and use.", ["GPT-Neo", "LLaMA", "MPT"]),
        "proprietary": ("Owned by organizations, often offered as paid services.",
                        ["GPT-4", "Claude by Anthropic"]),
    }),
    "language": ("Multilingual Capabilities", {
        "monolingual": ("Focus on a single language.", ["AraBERT (Arabic)", "FinBERT (English)"]),
        "multilingual": ("Handle multiple languages effectively.", ["XLM-R", "mT5"]),
    }),
    "specialization": ("Specialized Models", {
        "conversational": ("Optimized for dialogue and conversational AI.", ["ChatGPT", "LaMDA"]),
        "retrieval-augmented": ("Incorporate external knowledge retrieval for enhanced factual "
                                "accuracy.", ["RETRO", "RAG"]),
    }),
}


def test_eight_dimensions_nineteen_categories_in_seed_order(kb):
    assert [d.id for d in kb.dimensions] == list(SEED)
    assert len(kb.categories) == 19


@pytest.mark.parametrize("dimension_id", list(SEED))
def test_every_seed_placement_of_the_dimension(kb, dimension_id):
    name, categories = SEED[dimension_id]
    dim = kb.dimension(dimension_id)
    assert dim.name == name
    assert list(dim.category_ids) == list(categories)
    for cid, (description, examples) in categories.items():
        cat = kb.category(cid)
        assert cat.description == description
        assert [e.text for e in cat.examples] == examples
        seed_members = kb.members(cid, "seed")
        assert [p.seed_text for p in seed_members] == examples
        for p in seed_members:
            assert kb.placement(p.model_id, cid).provenance == "seed"


def test_examples_listed_twice_keep_both_places(kb):
    def cats(model_id):
        return {p.category_id for p in kb.placements_of(model_id) if p.provenance == "seed"}

    assert {"transformer-based", "autoregressive", "cloud-based"} <= cats("gpt")
    assert {"hybrid", "retrieval-augmented"} <= cats("rag")
    assert {"hybrid", "retrieval-augmented"} <= cats("retro")
    assert {"on-premise", "open-source"} <= cats("llama")
    assert {"domain-specific", "monolingual"} <= cats("finbert")


def test_every_seed_sentence_appears_verbatim_in_the_knowledge(kb):
    seed = Path(__file__).resolve().parents[2] / "shared" / "seed" / "llm-taxonomy.txt"
    if not seed.exists():
        pytest.skip("shared/seed is not beside this checkout")
    text = seed.read_text(encoding="utf-8")
    for c in kb.categories:
        assert c.description in text, c.id
        assert f"Examples: {', '.join(e.text for e in c.examples)}." in text, c.id
    for d in kb.dimensions:
        assert f"{d.number}. {d.heading}" in text or d.heading in text


@pytest.mark.parametrize("dimension_id", list(SEED))
def test_the_bot_answers_each_seed_placement(bot, dimension_id):
    """Given "is <example> <category>?", the answer is Yes, citing the taxonomy."""
    for cid in SEED[dimension_id][1]:
        for p in bot.kb.members(cid, "seed"):
            model = bot.kb.model(p.model_id).name
            category = bot.kb.category(cid).name
            reply = bot.ask(f"is {model} one of the {category}?")
            assert reply.text.startswith("Yes"), (model, category, reply.text)
            assert "taxonomy" in reply.text
