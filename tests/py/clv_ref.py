#!/usr/bin/python3
"""clv_ref.py - an independent implementation of the per-account figures of
SPEC §11, for the tests: plain Python (math only), written from the
formulas, sharing no code with src/analysis/clv_*.c.

The BG/NBD expectation is computed two ways that share nothing with the
program's route (Euler's transformation and GSL's 2F1):
- expected_quad: the Beta integral E[(1 - (1 + p tau)^-(r+x)) / p] over
  p ~ Beta(a, b+x), tau = t / (alpha + T), by tanh-sinh quadrature after
  p = u^(1/a) (valid for every a > 0, a = 1 included);
- expected_series: the closed form as SPEC §11 writes it, the Gauss series
  of 2F1(r+x, b+x; a+b+x-1; z) summed term by term (a != 1).

usage: clv_ref.py points      print the unit tests' reference points
       clv_ref.py check OUT   compare OUT/csv/clv.csv with these formulas at
                              the parameters of OUT/csv/clv_model.csv
                              (per-account figures within 0.5 %)
"""
import csv
import math
import sys


def p_alive(model, par, x, tx, T):
    if model == "nbd" or x == 0:
        return 1.0
    r, al = par[0], par[1]
    if model == "bg_fixed":
        pi = par[2]
        odds = pi / (1 - pi)
    else:
        a, b = par[2], par[3]
        odds = a / (b + x - 1)
    # the ratio of the two likelihood terms, in logs
    s = math.log(odds) + (r + x) * (math.log(al + T) - math.log(al + tx))
    return 1 / (1 + math.exp(s)) if s < 700 else 0.0


def expected_quad(par, x, T, t, levels=7):
    """E[purchases in (T, T+t] | alive] for BG/NBD by tanh-sinh quadrature."""
    r, al, a, b = par
    beta, w, tau = b + x, r + x, t / (al + T)
    lnorm = -(math.lgamma(a) + math.lgamma(beta) - math.lgamma(a + beta)) - math.log(a)

    def f(u, one_minus_u):
        # p = u^(1/a); 1 - p from 1 - u without cancellation
        p = math.exp(math.log(u) / a)
        omp = -math.expm1(math.log1p(-one_minus_u) / a) if one_minus_u < 0.5 else 1 - p
        if omp <= 0:
            return 0.0
        g = -math.expm1(-w * math.log1p(p * tau)) / p if p > 0 else w * tau
        return g * math.exp((beta - 1) * math.log(omp) + lnorm)

    h = 1.0 / 2 ** levels
    total = 0.0
    k = 0
    while True:
        tk = k * h
        done = True
        for sgn in ((1,) if k == 0 else (1, -1)):
            s = math.pi / 2 * math.sinh(sgn * tk)
            if abs(s) > 350:
                continue
            u = 1 / (1 + math.exp(-2 * s))
            omu = 1 / (1 + math.exp(2 * s))
            if u <= 0 or omu <= 0:
                continue
            wgt = math.pi / 2 * math.cosh(sgn * tk) * u * omu * 2
            v = f(u, omu) * wgt
            total += v
            if abs(v) > 1e-18 * max(abs(total), 1e-300):
                done = False
        if done and k > 10:
            break
        k += 1
        if k * h > 6:
            break
    return total * h


def expected_series(par, x, T, t, max_terms=5_000_000):
    """The closed form of SPEC §11 with 2F1 as its Gauss series (a != 1)."""
    r, al, a, b = par
    A, B, C = r + x, b + x, a + b + x - 1
    z = t / (al + T + t)
    term, total, k = 1.0, 1.0, 0
    while k < max_terms:
        term *= (A + k) * (B + k) / ((C + k) * (k + 1)) * z
        total += term
        k += 1
        if abs(term) < 1e-17 * abs(total) and k > 10:
            break
    lead = math.exp(A * math.log1p(-z))  # ((alpha+T)/(alpha+T+t))^(r+x)
    return C / (a - 1) * (1 - lead * total)


_memo = {}


def expected(model, par, x, tx, T, t):
    r, al = par[0], par[1]
    if model == "nbd":
        return t * (r + x) / (al + T)
    pa = p_alive(model, par, x, tx, T)
    if model == "bg_fixed":
        pi = par[2]
        return pa / pi * (1 - ((al + T) / (al + T + pi * t)) ** (r + x))
    key = (tuple(par), x, T, t)
    if key not in _memo:
        _memo[key] = expected_quad(par, x, T, t, levels=5)
    return pa * _memo[key]


def order_value(spend, x, m):
    if spend is None:  # own_mean
        return m
    p, q, g = spend
    if x == 0:
        return p * g / (q - 1)
    return (g + x * m) * p / (p * x + q - 1)


PAPER = (0.242594, 4.41359, 0.792919, 2.425892)  # Fader, Hardie & Lee (2005)
WEEK_YEAR = 365 / 7

# (name, parameters, x, t_x, T, t): the unit tests' points (test_clv.c)
POINTS = [
    ("paper", PAPER, 2, 30.43, 38.86, 39.0),
    ("x0", PAPER, 0, 0.0, 38.86, WEEK_YEAR),
    ("z_near_1", (0.243, 0.05, 0.793, 2.426), 0, 0.0, 0.0, WEEK_YEAR),
    ("z_near_1_x3", (0.243, 0.05, 0.793, 2.426), 3, 0.5, 0.6, WEEK_YEAR),
    ("a_one", (0.5, 6.0, 1.0, 3.0), 4, 20.0, 30.0, WEEK_YEAR),
    ("a_above_one", (0.5, 6.0, 1.0 + 3e-6, 3.0), 4, 20.0, 30.0, WEEK_YEAR),
    ("a_below_one", (0.5, 6.0, 1.0 - 5e-6, 3.0), 4, 20.0, 30.0, WEEK_YEAR),
    ("a_b_large", (1.0, 10.0, 15.0, 20.0), 1, 5.0, 20.0, WEEK_YEAR),
    ("x_large", (2.45534, 22.2148, 1.01858, 152.415), 150, 900 / 7, 1000 / 7, WEEK_YEAR),
    ("c_negative", (0.3, 2.0, 0.3, 0.5), 0, 0.0, 10.0, WEEK_YEAR),
]


def points():
    for name, par, x, tx, T, t in POINTS:
        pa = p_alive("bgnbd", par, x, tx, T)
        q = expected_quad(par, x, T, t)
        line = f"{name}: p_alive {pa:.12g} alive_expected {q:.12g} expected {pa * q:.12g}"
        if abs(par[2] - 1) > 1e-3:
            s = expected_series(par, x, T, t)
            line += f" (series {s:.12g}, rel diff {abs(s - q) / q:.1e})"
        print(line)


def read_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def check(out, as_of_unit=7.0, horizon_days=365):
    model = read_rows(f"{out}/csv/clv_model.csv")
    chosen = model[0]["model"]
    par = [float(r["value"]) for r in model if r["model"] == chosen and r["param"] in
           ("r", "alpha", "a", "b", "pi")]
    spend = None
    gg = {r["param"]: float(r["value"]) for r in model if r["model"] == "gammagamma"}
    if gg:
        spend = (gg["p"], gg["q"], gg["gamma"])
    t = horizon_days / as_of_unit
    worst = {"p_alive": 0, "expected_purchases": 0, "clv": 0}
    n = 0
    for r in read_rows(f"{out}/csv/clv.csv"):
        x = int(r["repeat_purchases"])
        tx, T = int(r["recency_days"]) / as_of_unit, int(r["age_days"]) / as_of_unit
        pa = p_alive(chosen, par, x, tx, T)
        e = expected(chosen, par, x, tx, T, t)
        # m is not a column: recover it from the expected order value
        ov = float(r["expected_order_value"])
        got = {"p_alive": float(r["p_alive"]), "expected_purchases": float(r["expected_purchases"]),
               "clv": float(r["clv"])}
        want = {"p_alive": pa, "expected_purchases": e, "clv": e * ov}
        for k in got:
            # relative 0.5 %, and the list's rounding (4 decimals, cents)
            tol = 0.005 * abs(want[k]) + (0.00005 if k != "clv" else 0.005 + 0.005 * e)
            if abs(got[k] - want[k]) > tol:
                print(f"account {r['account_id']}: {k} {got[k]} != {want[k]:.6f}")
                return 1
            # the worst relative difference where the list's rounding is
            # below 0.5 % of the figure
            if abs(want[k]) >= (0.1 if k != "clv" else 10.0):
                worst[k] = max(worst[k], abs(got[k] - want[k]) / abs(want[k]))
        n += 1
    print(f"{n} accounts within 0.5 % of the reference; worst relative differences "
          "(figures above 0.1, clv above 10.00): "
          + ", ".join(f"{k} {v:.1e}" for k, v in worst.items()))
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "points":
        points()
    elif len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2], *(float(a) for a in sys.argv[3:])))
    else:
        sys.exit(__doc__)
