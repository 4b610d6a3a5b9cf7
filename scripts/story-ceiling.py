#!/usr/bin/env python3
"""How high can stories go, given the events newsdesk found?

Takes the articles (with their gold `cluster`) and the output of
`newsdesk cluster FILE` for them (one `{"id", "event", "story"}` line per
article, in input order), keeps newsdesk's events as they are, and links
them into stories in batch: agglomerative clustering of events (single,
average and complete link) over the TF-IDF cosine of their articles (title
twice + text, sublinear tf, English stop words), the event-to-event
similarity being the mean, the lowest or the highest article pair. The
distance threshold is chosen on the scored set itself, so this is an
optimistic ceiling for any way of linking these events; it also scores
newsdesk's own stories and events, for comparison. Set-up as for
`scripts/clustering-ceiling.py` (numpy, scipy, scikit-learn):

    target/release/newsdesk cluster ../shared/eval/clustering/duc2004_dev_pool.jsonl \\
        > /tmp/duc.clusters.jsonl
    .venv-eval/bin/python scripts/story-ceiling.py \\
        ../shared/eval/clustering/duc2004_dev_pool.jsonl /tmp/duc.clusters.jsonl

On duc2004_dev_pool at stop 14 (newsdesk's stories 0.897, target 0.92):
the best batch linking of its events is complete link over the lowest
article pair, 0.931 at a threshold tuned on the set; average link over the
mean pair reaches 0.899, single link 0.850.
"""
import json
import sys

import numpy as np
from scipy.spatial.distance import squareform
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from clustering_scores import bcubed_f1, best_cut


def main(articles_path: str, clusters_path: str) -> None:
    docs = [json.loads(line) for line in open(articles_path, encoding="utf-8") if line.strip()]
    assigned = [json.loads(line) for line in open(clusters_path, encoding="utf-8") if line.strip()]
    if len(docs) != len(assigned):
        sys.exit(f"{len(docs)} articles but {len(assigned)} assignments: cluster the same file")
    gold = [d["cluster"] for d in docs]
    texts = [f"{d.get('title') or ''} {d.get('title') or ''} {d.get('text') or ''}" for d in docs]
    tfidf = normalize(TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(texts))
    sims = (tfidf @ tfidf.T).toarray()
    events = [a["event"] for a in assigned]
    print(f"{articles_path}: newsdesk stories {bcubed_f1([a['story'] for a in assigned], gold):.3f}, "
          f"events {bcubed_f1(events, gold):.3f}")
    ids = sorted(set(events))
    members = {e: [i for i, x in enumerate(events) if x == e] for e in ids}
    position = {e: k for k, e in enumerate(ids)}
    for pair in ("mean", "min", "max"):
        distances = np.zeros((len(ids), len(ids)))
        for a, ea in enumerate(ids):
            for b, eb in enumerate(ids):
                distances[a, b] = 1.0 - getattr(sims[np.ix_(members[ea], members[eb])], pair)()
        np.fill_diagonal(distances, 0.0)
        condensed = squareform((distances + distances.T) / 2, checks=False)
        line = f"event similarity = {pair:4} article pair:"
        for method in ("single", "average", "complete"):
            best = best_cut(
                condensed,
                method,
                gold,
                np.arange(0.3, 1.2, 0.01),
                lambda cut: [cut[position[e]] for e in events],
            )
            line += f" {method} {best[0]:.3f} (distance {best[1]:.2f})"
        print(line)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: story-ceiling.py ARTICLES.jsonl CLUSTERS.jsonl")
    main(sys.argv[1], sys.argv[2])
