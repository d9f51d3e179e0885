"""Synthetic knowledge bases for the scale benchmark: N realistic model entries as YAML.

Names look like real releases ("Valerix-7B-v3", "Orvanne-13B-Chat", "Zephyrix-1.3B-Instruct"),
grouped in families (each family is itself an entry of kind ``family``), with Hugging Face
style aliases ("northwind-ai/valerix-7b-v3") and short forms ("VLX-7B-v3"). Near misses
come for free: family stems differ by one syllable ("Valerix" / "Valorix" / "Valerax") and
models of one family differ only in size, variant or version. Every model is placed in real
category ids, consistently with its size, access and variant.

Every id is unique and no name or alias collides (by compact key) with another or with the
bundled knowledge, so the loader accepts the files as they are. Files are sharded
(``SHARD`` models each) because the loader refuses a single file over 5 MB; the folder is
passed as one ``extra_knowledge`` entry.

    python benchmarks/synth.py N OUT_DIR
"""

from __future__ import annotations

import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SHARD = 5000

_PRE = ["Zeph", "Orv", "Val", "Mor", "Lum", "Cas", "Ner", "Tal", "Vor", "Quil", "Bry", "Sol", "Kael", "Dra", "Fen", "Gal", "Hel", "Iri", "Jas", "Kor", "Lyr", "Mar", "Nov", "Oph", "Pyr", "Ram", "Syl", "Tor", "Ux", "Vel", "Wyn", "Xan", "Yar", "Zor", "Ast", "Bel", "Cyr", "Del", "Eld", "Fal", "Gry", "Hal", "Ith", "Jor", "Kes", "Lan", "Myr", "Nyx", "Ost", "Per", "Qir", "Rhe", "Sar", "Thal", "Umb", "Vex", "Wal", "Xer", "Yss", "Zan"]
_MID = ["a", "e", "i", "o", "y", "ae", "ri", "ra", "el", "on", "an", "ex"]
_END = ["rix", "on", "ara", "us", "eon", "ix", "yr", "ith", "ax", "enne", "ia", "or", "ius", "al", "ette", "um", "os", "ael", "ira", "yx", "ion", "ova", "ark", "ent"]
_SIZES = ["0.5B", "1B", "1.3B", "2B", "3B", "7B", "8B", "13B", "14B", "22B", "34B", "70B", "180B", "405B"]
_VARIANTS = ("", "Instruct", "Chat", "Code", "Vision", "Base")
_ORGS = ["Northwind AI", "Acme Labs", "Blue Harbor Research", "Kestrel Systems", "Juniper Compute", "Tidewater ML", "Greyfield Institute", "Ostrava AI Lab", "Meridian Data", "Copperleaf", "Halcyon Research", "Polaris NLP", "Sable Works", "Fjord Intelligence", "Lumen Collective", "Quarry Labs"]
_LICENSES = ("Apache-2.0", "MIT", "Llama-style community licence", "CC-BY-NC-4.0", "OpenRAIL-M")


@dataclass(frozen=True)
class Synth:
    folder: Path
    count: int
    names: tuple[str, ...]  # model (not family) names, for the exact-name questions
    families: tuple[str, ...]


def _compact(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9.]+", "-", text.casefold()).strip("-")


def _bundled_keys() -> tuple[set[str], set[str]]:
    """Compact keys and ids already taken by the bundled knowledge."""
    from bot.knowledge_loader import load_knowledge

    kb = load_knowledge()
    keys: set[str] = set()
    ids: set[str] = set()
    for d in kb.dimensions:
        keys.update(_compact(n) for n in (d.name, d.id, *d.aliases))
        ids.add(d.id)
    for c in kb.categories:
        keys.update(_compact(n) for n in (c.name, c.short, *c.aliases, *c.weak))
        ids.add(c.id)
    for m in kb.models:
        keys.update(_compact(n) for n in (m.name, *m.aliases))
        ids.add(m.id)
    for a in kb.ambiguous:
        keys.add(_compact(a.name))
    return keys, ids


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def _entry(mid: str, name: str, aliases: list[str], kind: str, dev: str, year: int,
           params: list[str], access: str, lic: str, modality: list[str], cats: list[str],
           summary: str) -> str:
    return (f"  - id: {mid}\n    name: {_q(name)}\n"
            f"    aliases: [{', '.join(_q(a) for a in aliases)}]\n"
            f"    kind: {kind}\n    developer: {_q(dev)}\n    year: {year}\n"
            f"    parameters: [{', '.join(_q(p) for p in params)}]\n"
            f"    access: {access}\n    license: {_q(lic)}\n"
            f"    modality: [{', '.join(modality)}]\n"
            f"    categories: [{', '.join(cats)}]\n"
            f"    summary: {_q(summary)}\n"
            f"    reference: {_q(f'{dev}, {year}. {name} model card')}\n")


def generate(count: int, folder: Path, seed: int = 7) -> Synth:
    """Write ``count`` entries (families included) into ``folder`` as YAML shards."""
    rng = random.Random(seed)
    taken, ids = _bundled_keys()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    stems = [p + m + e for p in _PRE for m in _MID for e in _END]
    rng.shuffle(stems)
    entries: list[str] = []
    names: list[str] = []
    families: list[str] = []

    def claim(*keys: str) -> bool:
        ks = [_compact(k) for k in keys]
        if any(k in taken for k in ks) or len(set(ks)) < len(ks):
            return False
        taken.update(ks)
        return True

    per_family = 12
    stem_iter = iter(stems)
    suffix_round = 0
    while len(entries) < count:
        try:
            stem = next(stem_iter)
        except StopIteration:  # very large N: a second round of stems with a series word
            suffix_round += 1
            stem_iter = iter([s + w for s in stems for w in (" Nova", " Prime", " Flux")
                              ][suffix_round - 1 :: 3])
            continue
        fam_id = _slug(stem)
        if fam_id in ids or not claim(stem, f"{stem} family"):
            continue
        ids.add(fam_id)
        dev = rng.choice(_ORGS)
        org = _slug(dev)
        year0 = rng.randint(2018, 2024)
        open_fam = rng.random() < 0.65
        entries.append(_entry(
            fam_id, stem, [f"{stem} family"], "family", dev, year0, [],
            "open-weights" if open_fam else "api", rng.choice(_LICENSES) if open_fam else "",
            ["text"], ["transformer-based", "autoregressive", "general-purpose",
                       "open-source" if open_fam else "proprietary"],
            f"{dev}'s {stem} family of language models, first released in {year0}."))
        families.append(stem)
        abbrev = (stem[0] + "".join(ch for ch in stem[1:] if ch.isupper() or ch in "xzvkq")
                  + stem[-1]).upper()[:4]
        made = 0
        tries = 0
        while made < per_family and len(entries) < count and tries < 60:
            tries += 1
            size = rng.choice(_SIZES)
            variant = rng.choice(_VARIANTS)
            version = rng.randint(1, 4)
            name = f"{stem}-{size}" + (f"-{variant}" if variant else "") + f"-v{version}"
            mid = _slug(name)
            hf = f"{org}/{mid}"
            if mid in ids or not claim(name, hf):
                continue
            ids.add(mid)
            aliases = [hf]
            short = f"{abbrev}-{size}-v{version}" + (f"-{variant}" if variant else "")
            if rng.random() < 0.3 and claim(short):
                aliases.append(short)
            b = float(size[:-1])
            scale = ("small-scale" if b <= 3 else "large-scale" if b >= 70 else None)
            open_m = open_fam if rng.random() < 0.9 else not open_fam
            cats = ["transformer-based",
                    "seq2seq" if rng.random() < 0.05 else "autoregressive",
                    "domain-specific" if variant == "Code" else "general-purpose",
                    "on-premise" if open_m else "cloud-based",
                    "open-source" if open_m else "proprietary",
                    "multilingual" if rng.random() < 0.4 else "monolingual"]
            if scale:
                cats.append(scale)
            if variant == "Vision":
                cats.append("multimodal")
            if variant in ("Chat", "Instruct"):
                cats.append("conversational")
            year = min(2026, year0 + version - 1)
            entries.append(_entry(
                mid, name, aliases, "model", dev, year, [size],
                "open-weights" if open_m else "api",
                rng.choice(_LICENSES) if open_m else "",
                ["text", "image"] if variant == "Vision" else ["text"], cats,
                f"Version {version} of {dev}'s {size}-parameter {stem} "
                f"{(variant.lower() + ' ') if variant else ''}model, released in {year}."))
            names.append(name)
            made += 1
    for k in range(0, len(entries), SHARD):
        body = "models:\n" + "\n".join(entries[k : k + SHARD])
        (folder / f"synthetic-{k // SHARD:03d}.yaml").write_text(body, encoding="utf-8")
    return Synth(folder, len(entries), tuple(names), tuple(families))


def typo(name: str, rng: random.Random) -> str:
    """One edit inside the family stem (never its first letter): what a hurried user types."""
    stem, _, rest = name.partition("-")
    if len(stem) < 5:
        return name
    i = rng.randrange(1, len(stem) - 1)
    op = rng.choice(("drop", "swap", "sub"))
    if op == "drop":
        stem = stem[:i] + stem[i + 1 :]
    elif op == "swap":
        stem = stem[:i] + stem[i + 1] + stem[i] + stem[i + 2 :]
    else:
        stem = stem[:i] + rng.choice("aeioulnrst") + stem[i + 1 :]
    return f"{stem}-{rest}" if rest else stem


if __name__ == "__main__":
    n, out = int(sys.argv[1]), Path(sys.argv[2])
    s = generate(n, out)
    print(f"{s.count} entries ({len(s.families)} families) in {out}")
