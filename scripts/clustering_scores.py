"""BCubed F1 for the clustering ceiling scripts (one definition for all)."""
from collections import defaultdict

from scipy.cluster.hierarchy import fcluster, linkage


def bcubed_f1(predicted, gold) -> float:
    """BCubed F1 of `predicted` cluster labels against `gold` (same order)."""
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


def best_cut(condensed, method, gold, thresholds, labels=list):
    """Agglomerative clustering (`method`: single, average, complete) of a
    condensed distance matrix, cut at each of `thresholds`; returns the best
    BCubed F1 against `gold` and its threshold. `labels` turns one cut (a
    cluster label per item of the matrix) into a label per gold item."""
    tree = linkage(condensed, method)
    return max((bcubed_f1(labels(fcluster(tree, t, "distance")), gold), t) for t in thresholds)
