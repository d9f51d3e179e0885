"""Stage 2: find the models, categories and dimensions a message names, typos included.

Exact look-up of every 1-6 token span's compact key comes first (a dict probe each); only
tokens left over, and not ordinary English words, go to rapidfuzz, and only against names
that share a character trigram with them (an inverted index), so the cost per question
grows with the number of *similar* names, not with the size of the catalogue.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain, compress
from typing import Any

from .knowledge import KnowledgeBase
from .memo import memo
from .name_tables import name_tables
from .normalise import ORDINAL, NormalisedText, compact
from .resolution import Ambiguity, Entity, Ref, Resolution, slot_text

MAX_SPAN = 6
FUZZY_MAX_SPAN = 3
FUZZY_MIN_CHARS = 4
MEMO_SIZE = 4096
COMMON_TRIGRAM = 500  # a trigram held by more names than this (or 1%) is not distinctive
MAX_CANDIDATES = 300  # names scored by rapidfuzz per look-up, most shared trigrams first
RARE_WORD_RANK = 12000
"""Common words ranked past this may still be a typo of a name ("lama" for "llama")."""


_QUANTITY = re.compile(r"^\d+(k|m|b|t|bn|mn|gb|gib|mb|tb)$")


def fuzzy_cutoff(length: int) -> float:
    """Shorter keys need a closer match: one wrong letter in four is a lot."""
    return 90.0 if length <= 4 else 86.0 if length <= 6 else 82.0


def _trigrams(key: str) -> set[str]:
    padded = f"^{key}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class EntityResolver:
    """Built once from the knowledge base; read-only afterwards, so threads can share it."""

    def __init__(self, kb: KnowledgeBase, common_words: Mapping[str, int],
                 vocabulary: Iterable[str], stopwords: Iterable[str],
                 category_heads: Iterable[str] = (), coordinators: Iterable[str] = (),
                 extra: Iterable[Ref] = (), extra_weak: Iterable[Ref] = (),
                 copulas: Iterable[str] = ()) -> None:
        """``extra``: names beyond the knowledge base's own (curated concepts, languages),
        each a Ref whose ``name`` is the text to find; ``extra_weak`` the same, found only
        before a head noun, like a category's weak aliases."""
        self._ids = kb.model_ids  # the catalogue's own columns, shared, not copied
        self._names = kb.model_names
        tables = name_tables(kb, extra, extra_weak)
        self._exact, self._multi, self._weak = tables.exact, tables.multi, tables.weak
        self._keys = tuple(k for k in self._exact if len(k) >= FUZZY_MIN_CHARS)
        self._key_lengths = array("I", map(len, self._keys))
        grams: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self._keys):
            for g in _trigrams(key):
                grams[g].append(i)
        # The trigram index as one flat array of postings and each trigram's start in it.
        self._gram_slot = {g: n for n, g in enumerate(grams)}
        starts = [0]
        postings = array("i")
        for v in grams.values():
            postings.extend(v)
            starts.append(len(postings))
        self._gram_start = array("i", starts)
        self._postings = postings
        self._common = common_words if isinstance(common_words, dict) else dict(common_words)
        # The examples' words (the matcher's own set, shared, not copied) and the common
        # words: two look-ups rather than a merged 25,000-word set to store and unpickle.
        self._words = vocabulary if isinstance(vocabulary, frozenset) else frozenset(vocabulary)
        self._stop = frozenset(stopwords)
        self._heads = frozenset(category_heads)
        self._coordinators = frozenset(coordinators)
        self._copulas = frozenset(copulas)
        by_start: dict[tuple[str, int], list[str]] = defaultdict(list)
        for w in dict.fromkeys([*self._words, *self._common]):
            if len(w) >= 4:
                by_start[(w[0], len(w))].append(w)
        self._vocab_by_start = {k: tuple(v) for k, v in by_start.items()}
        # The examples' words that no name is a typo of: a span of only these, stop words
        # and common words is never looked up fuzzily ("would you classify"), which is
        # most of what a question that names nothing unknown would otherwise cost.
        self._plain = frozenset(w for w in self._words
                                if len(w) < FUZZY_MIN_CHARS or self._fuzzy_refs(w) is None)
        self._init_memo()

    def _init_memo(self) -> None:  # fuzzy look-ups are pure functions of the key: remembered
        self._closest = memo(self, EntityResolver._closest_uncached, MEMO_SIZE)  # type: ignore[method-assign]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state.pop("_closest", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_memo()

    def is_word(self, token: str) -> bool:
        """A word of the intents' examples or of ordinary English (not a typo)."""
        return token in self._words or token in self._common

    @property
    def name_count(self) -> int:
        return len(self._exact)

    def _ref(self, entry: Ref | int) -> Ref:
        if isinstance(entry, int):
            return Ref("model", self._ids[entry], self._names[entry])
        return entry

    def _refs(self, key: str) -> tuple[Ref, ...]:
        """What a compact key names (nothing when it names nothing)."""
        entry = self._exact.get(key)
        if entry is None:
            return ()
        if entry < 0:
            return self._multi[-1 - entry]
        return (Ref("model", self._ids[entry], self._names[entry]),)

    def closest_names(self, text: str, limit: int = 3) -> list[str]:
        """Known model names nearest to an unknown one, for "did you mean …"."""
        key = compact(text)
        out: list[str] = []
        for _, name in self._scored(key, 60.0, len(key)):
            for r in self._refs(name):
                if r.kind == "model" and r.name not in out:
                    out.append(r.name)
        return out[:limit]

    def _scored(self, key: str, cutoff: float, max_len_diff: int) -> list[tuple[float, str]]:
        """Indexed names within ``cutoff`` of ``key``, best first.

        Candidates are the names sharing enough of the key's *distinctive* trigrams: a
        trigram that thousands of names hold ("7bv" of every "-7B-v3") tells nothing and is
        skipped, so the work follows the rare trigrams, not the size of the catalogue.
        """
        if len(key) < 2:
            return []
        grams = _trigrams(key)
        cap = max(COMMON_TRIGRAM, len(self._keys) // 100)
        lists = []
        starts, postings = self._gram_start, self._postings
        for g in grams:
            slot = self._gram_slot.get(g)
            if slot is None:
                continue
            a, b = starts[slot], starts[slot + 1]
            if 0 < b - a <= cap:
                lists.append(postings[a:b])
        # Counted in C (Counter's update), not a Python loop: at 100,000 models a typo'd
        # name's rare trigrams still hold tens of thousands of postings.
        hits = Counter(chain.from_iterable(lists))
        need = max(1, min(len(lists), len(grams) // 3))
        # Names sharing at least ``need`` trigrams (picked in C: most share one or two), most
        # shared first; the sort is stable, so ties keep their first-seen order.
        enough = compress(hits.keys(), map(need.__le__, hits.values()))
        ranked = sorted(enough, key=hits.__getitem__, reverse=True)[:MAX_CANDIDATES]
        keys, lengths = self._keys, self._key_lengths
        lo, hi = len(key) - max_len_diff, len(key) + max_len_diff
        names = [keys[i] for i in ranked if lo <= lengths[i] <= hi]
        from rapidfuzz import fuzz, process  # imported by the first fuzzy look-up (~12 ms)

        found = process.extract(key, names, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        return sorted(((score, name) for name, score, _ in found), key=lambda x: (-x[0], x[1]))

    # -- the stage ------------------------------------------------------------------------
    def resolve(self, nt: NormalisedText) -> Resolution:
        toks = nt.words
        n = len(toks)
        found: list[tuple[int, int, tuple[Ref, ...], float]] = []
        weak_found: list[tuple[int, int, Ref]] = []
        exact = self._exact
        for i in range(n):
            key = ""
            for j in range(i, min(n, i + MAX_SPAN)):
                key += toks[j]
                if key in exact:
                    found.append((i, j + 1, self._refs(key), 100.0))
                elif j == i and key in self._weak:
                    weak_found.append((i, j + 1, self._weak[key]))
        taken = [False] * n
        chosen: list[tuple[int, int, tuple[Ref, ...], float]] = []
        versioned: list[tuple[int, int]] = []
        # Longest first, but a span that cuts a hyphenated word ("Phi-3 small|-scale")
        # yields to one that does not.
        for cand in sorted(found, key=lambda c: (nt.splits(c[0], c[1]), c[0] - c[1], c[0])):
            if any(taken[cand[0] : cand[1]]):
                continue
            if self._versioned(nt, cand):
                versioned.append((cand[0], cand[1] + 1))
                for k in range(cand[0], cand[1] + 1):
                    taken[k] = True
                continue
            chosen.append(cand)
            for k in range(cand[0], cand[1]):
                taken[k] = True
        for cand in self._fuzzy(nt, toks, taken):
            chosen.append(cand)
            for k in range(cand[0], cand[1]):
                taken[k] = True
        chosen.sort(key=lambda c: c[0])

        entities: list[Entity] = []
        ambiguities: list[Ambiguity] = []
        for start, end, refs, score in chosen:
            text = nt.span_raw(start, end)
            if len({(r.kind, r.id) for r in refs}) > 1:
                ambiguities.append(Ambiguity(text, start, end, refs))
                continue
            r = refs[0]
            entities.append(Entity(r.kind, r.id, r.name, text, score / 100.0, start, end))
        # A weak alias ("small", "open") is a category when a noun or another category
        # follows it ("small models", "a small transformer model"), or when it is one of
        # two alternatives and the other is a category ("small or large scale").
        starts = {e.start for e in entities if e.kind in ("category", "concept")}
        ends = {e.end for e in entities if e.kind in ("category", "concept")}
        joins = self._coordinators
        weak_list = []
        for s, e, r in weak_found:
            if taken[s]:
                continue
            ent = Entity(r.kind, r.id, r.name, nt.span_raw(s, e), 1.0, s, e, weak=True)
            if ((e < n and (toks[e] in self._heads or e in starts))
                    or (e + 1 < n and toks[e] in joins and e + 1 in starts)
                    or (s >= 2 and toks[s - 1] in joins and s - 1 in ends)
                    # the last word, said of a model before it: "are Mixtral and Llama 3 open?"
                    or (e == n and toks[0] in self._copulas
                        and any(x.kind == "model" and x.end <= s for x in entities))):
                entities.append(ent)
                taken[s] = True
            else:
                weak_list.append(ent)
        entities.sort(key=lambda x: x.start)
        weak = tuple(weak_list)
        unknown = tuple(nt.span_raw(s, e) for s, e in versioned) + self._unknown(nt, toks, taken)
        return Resolution(tuple(entities), weak, tuple(ambiguities), unknown,
                          slot_text(nt, entities, ambiguities, unknown, self._heads))

    def _versioned(self, nt: NormalisedText,
                   cand: tuple[int, int, tuple[Ref, ...], float]) -> bool:
        """ "GPT-5", "Llama 5", "XLM-Z": a known name with a version it does not have is
        another model, which the bot must not answer about as if it were the known one."""
        start, end, refs, _ = cand
        if refs[0].kind != "model" or end >= len(nt.tokens):
            return False
        nxt = nt.tokens[end]
        gap = nt.raw[nt.tokens[end - 1].end : nxt.start]
        if gap in ("'", "’") or nxt.text == "s":
            return False  # a possessive: "GPT-4's"
        joined = not any(ch.isspace() for ch in gap)
        version = any(ch.isdigit() for ch in nxt.text)
        spaced_number = nxt.text.isdigit() and not gap.strip()
        return (joined and (version or len(nxt.text) <= 2)) or spaced_number

    def _fuzzy(self, nt: NormalisedText, toks: Sequence[str], taken: list[bool]
               ) -> list[tuple[int, int, tuple[Ref, ...], float]]:
        n = len(toks)
        cands: list[tuple[float, int, int, int, tuple[Ref, ...]]] = []
        may = [t not in self._plain and self._may_be_name(t) for t in toks]
        if not any(may):  # every span would hold only plain words: none is looked up
            return []
        for i in range(n):
            if taken[i]:
                continue
            key = ""
            for j in range(i, min(n, i + FUZZY_MAX_SPAN)):
                if taken[j]:
                    break
                key += toks[j]
                if len(key) < FUZZY_MIN_CHARS or key.isdigit() or not any(may[i : j + 1]):
                    continue
                best = self._fuzzy_refs(key)
                if best is not None:
                    score, refs = best
                    cands.append((score, j + 1 - i, i, j + 1, refs))
        out = []
        used = [False] * n
        for score, _, s, e, refs in sorted(cands, key=lambda c: (-c[0], -c[1], c[2])):
            if not any(used[s:e]):
                out.append((s, e, refs, score))
                for k in range(s, e):
                    used[k] = True
        return out

    def _fuzzy_refs(self, key: str) -> tuple[float, tuple[Ref, ...]] | None:
        best = self._closest(key)
        if best is not None and _digits(key) == _digits(compact(best[1][0].name)):
            return best  # "Qwen4" is not a typo of "Qwen": a version number is never fuzzy
        return None

    def _may_be_name(self, token: str) -> bool:
        """Ordinary words are never fuzzily turned into names; rare ones may be typos."""
        if token in self._stop or token.isdigit():
            return False
        rank = self._common.get(token)
        return rank is None or rank > RARE_WORD_RANK

    def _closest(self, key: str) -> tuple[float, tuple[Ref, ...]] | None:
        return self._closest_uncached(key)  # replaced by a memoised version per instance

    def _closest_uncached(self, key: str) -> tuple[float, tuple[Ref, ...]] | None:
        scored = self._scored(key, fuzzy_cutoff(len(key)), max(2, len(key) // 4))
        if not scored:
            return None
        top = scored[0][0]
        refs: list[Ref] = []
        for s, name in scored:
            if top - s > 1.5:
                break  # equally close names are all kept: an ambiguity, not a guess
            for r in self._refs(name):
                if r not in refs:
                    refs.append(r)
        return top, tuple(refs)

    def _unknown(self, nt: NormalisedText, toks: Sequence[str], taken: list[bool]
                 ) -> tuple[str, ...]:
        """Words that look like names nobody knows: not entities, not words, not typos of words."""
        groups: list[tuple[int, int]] = []
        for i, t in enumerate(toks):
            if taken[i] or not self._looks_unknown(t, nt.tokens[i].raw):
                continue
            s, e = i, i + 1
            while s > 0 and not taken[s - 1] and nt.joined(s - 1, s + 1):
                s -= 1
            while e < len(toks) and not taken[e] and nt.joined(e - 1, e + 1):
                e += 1
            if groups and groups[-1][1] >= s:
                groups[-1] = (groups[-1][0], max(e, groups[-1][1]))
            else:
                groups.append((s, e))
        return tuple(nt.span_raw(s, e) for s, e in groups)

    def _looks_unknown(self, token: str, raw: str) -> bool:
        if (token in self._stop or token in self._words or token in self._common  # small first
                or token.isdigit() or len(token) < 3 or _QUANTITY.match(token)
                or ORDINAL.match(token)):  # "the 3rd oldest"
            return False  # "100b" is a number of parameters, read by the mentions stage
        from rapidfuzz import fuzz, process

        for k in (len(token) - 1, len(token), len(token) + 1):
            pool = self._vocab_by_start.get((token[0], k), ())
            if pool and process.extractOne(token, pool, scorer=fuzz.ratio, score_cutoff=85):
                return False  # a typo of an ordinary word, not a name
        return True

def _digits(key: str) -> str:
    return "".join(ch for ch in key if ch.isdigit())
