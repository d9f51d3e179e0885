"""The query: the one place where what was asked is written down, between understanding and
answering.

Like quepy's query expression, it says what to find without saying how: which things (named
models, a family, a category set, the last answer's list), which constraints, what order and
limit, what aggregate, which attribute to tell, and the form of the answer. The knowledge base
executes it (``execute``); the reply is rendered from the result (``render_query``).
"""

from __future__ import annotations

from .mentions import Constraint, ModelComparison
from .operators import Order
from .values import value

FORMS = ("list", "count", "group", "pick", "verdict", "value", "describe", "cannot", "holds")


@value
class Query:
    form: str
    subjects: tuple[str, ...] = ()  # named models ("BERT and T5")
    family: str = ""  # a family id: "the newest Llama"
    from_last: bool = False  # "which of those ...": the last answer's set
    seed_only: bool = False  # "the taxonomy's examples": seed placements only
    categories: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    developer: str = ""
    excluded_developers: tuple[str, ...] = ()  # "multimodal models not from OpenAI or Google"
    constraints: tuple[Constraint, ...] = ()
    comparison: ModelComparison | None = None
    order: Order | None = None
    limit: int = 0
    rank: int = 0  # "the second largest": the one at this place of the order
    projection: str = ""  # released | parameters | developer
    alternative_to: str = ""
    ordinal: int = 0
    cannot: tuple[str, ...] = ()  # what the question asks that no data can answer
    licence_use: str = ""  # commercial | permissive: what the licence table allows
    modality: str = ""  # image | audio | video
    domain: str = ""  # code | medicine | finance ...: "which models are specialised for code?"
    concept: str = ""  # a curated concept with members: "which encoder-only models are open?"
    unheld: tuple[str, ...] = ()  # concepts named whose models the knowledge does not list
    unknown_facts: tuple[str, ...] = ()  # facts asked that no model has: "cheap", "context"
    licence: str = ""  # a licence id from the licence table: "which models are MIT-licensed?"
    dimension: str = ""  # "how many training approaches are there?": that dimension's
    word: str = ""  # a kind the knowledge does not have: "is BERT a diffusion model?"
    variants: tuple[tuple[str, float], ...] = ()  # "Llama 2 13B": a subject at one size
    bound_model: str = ""  # "bigger than GPT-3": the model whose fact is the bound

    def variant(self, model_id: str) -> float | None:
        """The size a subject was named at ("Llama 2 13B": 13e9), if it was."""
        return next((v for m, v in self.variants if m == model_id), None)

    def render(self) -> str:
        """A short readable line, for --explain and the explain panel."""
        parts = [self.form]
        if self.subjects:
            parts.append("models=" + ",".join(self.subjects))
        if self.family:
            parts.append(f"family={self.family}")
        if self.from_last:
            parts.append("from=last answer")
        if self.seed_only:
            parts.append("source=taxonomy")
        parts += [f"category={c}" for c in self.categories]
        parts += [f"not category={c}" for c in self.excluded]
        if self.developer:
            parts.append(f"developer={self.developer}")
        parts += [f"developer!={d}" for d in self.excluded_developers]
        parts += [c.render() for c in self.constraints]
        if self.comparison:
            c = self.comparison
            parts.append(f"{c.attribute} {c.op} {c.attribute}({c.other})")
        if self.order:
            parts.append(f"order={self.order.attribute} {self.order.order}")
        if self.limit:
            parts.append(f"limit={self.limit}")
        if self.rank:
            parts.append(f"rank={self.rank}")
        if self.projection:
            parts.append(f"tell={self.projection}")
        if self.alternative_to:
            parts.append(f"like={self.alternative_to}")
        if self.licence_use:
            parts.append(f"licence allows={self.licence_use}")
        if self.modality:
            parts.append(f"modality={self.modality}")
        if self.domain:
            parts.append(f"domain={self.domain}")
        if self.concept:
            parts.append(f"concept={self.concept}")
        if self.licence:
            parts.append(f"licence={self.licence}")
        if self.ordinal:
            parts.append(f"item={self.ordinal}")
        if self.cannot:
            parts.append("cannot use=" + ",".join(self.cannot))
        parts += [f"size({m})={v:g}" for m, v in self.variants]
        if self.bound_model:
            parts.append(f"bound by={self.bound_model}")
        return " ".join(parts)

    def to_terms(self) -> tuple[str, ...]:
        """The set part of the query as flat strings, kept in the conversation state so that
        "which of those came out after 2020?" can narrow it next turn."""
        out = [f"model:{m}" for m in self.subjects] if self.form in ("list", "count") else []
        if self.family:
            out.append(f"family:{self.family}")
        out += [f"category:{c}" for c in self.categories]
        out += [f"excluded:{c}" for c in self.excluded]
        if self.developer:
            out.append(f"developer:{self.developer}")
        out += [f"not_developer:{d}" for d in self.excluded_developers]
        out += [f"constraint:{c.attribute}:{c.op}:{c.value:g}:{c.text}" for c in self.constraints]
        if self.alternative_to:
            out.append(f"like:{self.alternative_to}")
        if self.seed_only:
            out.append("seed_only:")
        if self.licence_use:
            out.append(f"licence_use:{self.licence_use}")
        if self.modality:
            out.append(f"modality:{self.modality}")
        if self.domain:
            out.append(f"domain:{self.domain}")
        if self.concept:
            out.append(f"concept:{self.concept}")
        if self.licence:
            out.append(f"licence:{self.licence}")
        return tuple(out)
