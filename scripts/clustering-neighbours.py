#!/usr/bin/env python3
"""How far lexical similarity alone can take event clustering on a set.

For each article of a clustering benchmark (JSONL with a gold `cluster`),
finds its most similar other article by batch TF-IDF cosine (title twice +
text, sublinear tf, English stop words, as the eval README's floor) and
reports how often that nearest neighbour is in the same gold event. It also
counts pairs of articles whose word 3-gram Jaccard exceeds 0.2 (copies that
the set itself contains).

    python3 -m venv .venv-eval && .venv-eval/bin/pip install scikit-learn numpy
    .venv-eval/bin/python scripts/clustering-neighbours.py ../shared/eval/clustering/neus_train.jsonl

Used for the note on issue 4: on neus_train the nearest neighbour shares
the event 68.6% of the time; duc2004_dev_pool holds 60 pairs above 0.2.
"""
import itertools
import json
import re
import sys

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


def main(path: str) -> None:
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    gold = np.array([d["cluster"] for d in docs])
    texts = [f"{d.get('title') or ''} {d.get('title') or ''} {d.get('text') or ''}" for d in docs]
    matrix = normalize(TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts))
    sims = (matrix @ matrix.T).toarray()
    np.fill_diagonal(sims, -1.0)
    nearest = sims.argmax(axis=1)
    print(f"{len(docs)} articles: nearest neighbour in the same event {np.mean(gold[nearest] == gold):.3f}")

    def trigrams(text: str) -> set:
        words = re.findall(r"\w+", text.lower())
        return set(zip(words, words[1:], words[2:]))

    grams = [trigrams(d.get("text") or "") for d in docs]
    if len(docs) <= 3000:
        pairs = sum(
            1
            for a, b in itertools.combinations(grams, 2)
            if a and b and len(a & b) / len(a | b) > 0.2
        )
        print(f"pairs with word 3-gram Jaccard > 0.2: {pairs}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: clustering-neighbours.py FILE.jsonl")
    main(sys.argv[1])
