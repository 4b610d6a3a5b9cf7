#!/usr/bin/env python3
"""How high can a learned same-event test take NeuS-like sets in batch?

Trains a logistic regression on article pairs of TRAIN (each article with
its 15 nearest neighbours by TF-IDF cosine; label: same gold event) and
clusters TEST in batch with its probabilities (single, average and complete
link, threshold chosen on TEST itself: an optimistic ceiling). Pair
measurements, all from TF-IDF (sublinear tf; title twice + text, title
alone, text alone, capitalised spans and numbers alone):

- "cosines": the four cosines;
- "+ reciprocal ranks": also the rank of each article among the other's
  neighbours (log), the margin of the pair over each article's best
  neighbour, and those best similarities.

The ranks look at every article of the set, later ones included, which an
online single pass cannot. Set-up as for `scripts/clustering-ceiling.py`:

    .venv-eval/bin/python scripts/pair-ceiling.py \\
        ../shared/eval/clustering/neus_train.jsonl ../shared/eval/clustering/neus_val.jsonl

At stop 14 (NeuS val; the online clusterer: 0.881, target 0.90): cosines
0.823 / 0.848 / 0.861, with reciprocal ranks 0.887 / 0.895 / 0.871 (single /
average / complete link).
"""
import json
import re
import sys

import numpy as np
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import normalize

from clustering_scores import best_cut

NEIGHBOURS = 15
NAME = re.compile(r"\b(?:[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)*|\d[\d,.]*)")


def views(docs):
    title = [d.get("title") or "" for d in docs]
    text = [d.get("text") or "" for d in docs]
    return {
        "full": [f"{t} {t} {x}" for t, x in zip(title, text)],
        "title": title,
        "text": text,
        "names": [" ".join(n.replace(" ", "_") for n in NAME.findall(f"{t}. {x}")) for t, x in zip(title, text)],
    }


def similarities(docs, train_docs):
    own, background = views(docs), views(train_docs)
    out = {}
    for view in own:
        if view == "names":
            vectorizer = TfidfVectorizer(sublinear_tf=True, lowercase=False, token_pattern=r"\S+")
        else:
            vectorizer = TfidfVectorizer(sublinear_tf=True, stop_words="english")
        vectorizer.fit(background[view] + own[view])
        m = normalize(vectorizer.transform(own[view]))
        out[view] = (m @ m.T).toarray()
    return out


def pairs(sims):
    full = sims["full"].copy()
    np.fill_diagonal(full, -1.0)
    n = len(full)
    order = np.argsort(-full, axis=1)
    rank = np.empty_like(order)
    rank[np.arange(n)[:, None], order] = np.arange(n)[None, :]
    best = full.max(1)
    left, right, rows = [], [], []
    for i in range(n):
        for j in order[i, :NEIGHBOURS]:
            rows.append(
                [sims[v][i, j] for v in ("full", "title", "text", "names")]
                + [np.log1p(rank[i, j]), np.log1p(rank[j, i]), full[i, j] - best[i], full[i, j] - best[j], best[i], best[j]]
            )
            left.append(i)
            right.append(j)
    return np.array(left), np.array(right), np.array(rows)


def main(train_path: str, test_path: str) -> None:
    load = lambda p: [json.loads(line) for line in open(p, encoding="utf-8") if line.strip()]
    train, test = load(train_path), load(test_path)
    train_gold = np.array([d["cluster"] for d in train])
    test_gold = [d["cluster"] for d in test]
    li, ri, x_train = pairs(similarities(train, train))
    y_train = train_gold[li] == train_gold[ri]
    lt, rt, x_test = pairs(similarities(test, train))
    for name, columns in (("cosines", [0, 1, 2, 3]), ("+ reciprocal ranks", list(range(10)))):
        model = LogisticRegression(max_iter=3000).fit(x_train[:, columns], y_train)
        probability = model.predict_proba(x_test[:, columns])[:, 1]
        n = len(test)
        p = np.zeros((n, n))
        for i, j, q in zip(lt, rt, probability):
            p[i, j] = max(p[i, j], q)
        p = np.maximum(p, p.T)
        distances = 1.0 - p
        np.fill_diagonal(distances, 0.0)
        condensed = squareform(distances, checks=False)
        line = f"{test_path}: {name:18}"
        for method in ("single", "average", "complete"):
            best = best_cut(condensed, method, test_gold, np.arange(0.05, 1.0, 0.025))
            line += f" {method} {best[0]:.3f}"
        print(line, flush=True)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: pair-ceiling.py TRAIN.jsonl TEST.jsonl")
    main(sys.argv[1], sys.argv[2])
