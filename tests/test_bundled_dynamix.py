"""Sanity checks of the bundled DynaMix (`load_model('dynamix')`) that any forecaster of this kind must pass: it continues
limit cycles. A cycle is the simplest long-term behaviour there is; a model whose free runs shrink onto a fixed point or
drift off the cycle fails here long before a chaotic benchmark says why."""
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from dynnb.forecast import load_model

H, L = 128, 512

def harmonic_circle(T, period=30.):
    t = 2 * np.pi * np.arange(T) / period
    return np.stack([np.cos(t) + 0.3 * np.cos(2 * t), np.sin(t) + 0.3 * np.sin(2 * t), 0.5 * np.sin(t + 0.4) + 0.2 * np.cos(3 * t)], 1)

def van_der_pol(T, mu=1.5, pts_per_period=30):
    f = lambda t, s: [s[1], mu * (1 - s[0] ** 2) * s[1] - s[0]]
    P = 7.0   # roughly the period at mu = 1.5; the exact value only sets the sampling rate
    s0 = solve_ivp(f, (0, 80), [2., 0.], rtol=1e-10, atol=1e-10).y[:, -1]
    t = np.arange(T) * P / pts_per_period
    x, y = solve_ivp(f, (0, t[-1]), s0, t_eval=t, rtol=1e-10, atol=1e-10).y
    return np.stack([x, y, x * y], 1)

CYCLES = {'circle with harmonics': harmonic_circle, 'van der Pol orbit': van_der_pol}

@pytest.fixture(scope='module')
def model(): return load_model('dynamix')

def on_orbit(pred, ctx, name, what):
    "The second half of a 2000-step free run lies near the context's orbit and keeps its size."
    sd = ctx.std(0); late, orbit = pred[1000:] / sd, ctx / sd
    dist = np.sqrt(((late[:, None] - orbit[None]) ** 2).sum(-1)).min(1)
    assert np.quantile(dist, 0.95) < 0.3, f'{name} ({what}): 5 % of the late forecast is further than {np.quantile(dist, 0.95):.2f} std from the orbit'
    amp = late.std(0) / orbit.std(0)
    assert np.all(np.abs(amp - 1) < 0.2), f'{name} ({what}): the late forecast has {amp.round(2)} times the orbit\'s amplitude per channel'

@pytest.mark.parametrize('name', list(CYCLES))
def test_continues_limit_cycle(model, name):
    """The model's own dynamics (no query noise) follow the cycle point by point for 128 steps, and every free run,
    with or without query noise, stays on the cycle. The gate's query noise makes the phase slip now and then, so a
    noisy forecast's point-wise error depends on the seed (0.02-0.30 std over seeds 0-2 on the circle and 0.34-1.30 on
    the van der Pol orbit for dynamix-v0.4) while its orbit stays right; the point-wise bound is therefore on the
    noise-free forecast."""
    x = CYCLES[name](L + 2000)
    ctx, fut, sd = x[:L], x[L:], x[:L].std(0)
    det = model.forecast(ctx, 2000, noise=False)
    rmse = np.sqrt((((det[:H] - fut[:H]) / sd) ** 2).mean())
    assert rmse < 0.3, f'{name}: 128-step RMSE {rmse:.3f} std without query noise (the bound is 0.3)'
    on_orbit(det, ctx, name, 'no query noise')
    for seed in range(3): on_orbit(model.forecast(ctx, 2000, seed=seed), ctx, name, f'query noise, seed {seed}')
