"""The two tests the anomaly detector states, in plain Python (no SciPy needed)."""

from __future__ import annotations

import math


def normal_upper_tail(z: float) -> float:
    """P(Z >= z) for a standard normal Z."""
    return 0.5 * math.erfc(z / math.sqrt(2))


def two_proportion_z(
    window_hits: int, window_total: int, baseline_hits: int, baseline_total: int
) -> float:
    """The one-sided two-proportion z statistic (pooled) that the window's rate is higher."""
    if not window_total or not baseline_total:
        return 0.0
    pooled = (window_hits + baseline_hits) / (window_total + baseline_total)
    if pooled in (0.0, 1.0):
        return 0.0
    error = math.sqrt(pooled * (1 - pooled) * (1 / window_total + 1 / baseline_total))
    return (window_hits / window_total - baseline_hits / baseline_total) / error


def binomial_upper_tail(hits: int, total: int, probability: float) -> float:
    """P(X >= hits) for X ~ Binomial(total, probability), summed in log space."""
    if hits <= 0:
        return 1.0
    if hits > total:
        return 0.0
    log_p, log_q = math.log(probability), math.log1p(-probability)
    tail = 0.0
    for k in range(hits, total + 1):
        term = math.exp(
            math.lgamma(total + 1)
            - math.lgamma(k + 1)
            - math.lgamma(total - k + 1)
            + k * log_p
            + (total - k) * log_q
        )
        tail += term
        if term < tail * 1e-12:
            break
    return min(tail, 1.0)
