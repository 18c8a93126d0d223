"""Sanity checks of the bundled Panda (`load_model('panda')`) that any forecaster of this kind must pass at any size:
it continues pure sinusoids (which context parroting continues exactly) and a limit cycle, and its long rollouts stay
bounded. The model is deterministic, so each check is a single forecast."""
import numpy as np
import pytest

from dynnb.forecast import load_model
from test_bundled_dynamix import harmonic_circle, van_der_pol

L, H = 512, 128

@pytest.fixture(scope='module')
def model(): return load_model('panda')

def sinusoids(T):
    t = np.arange(T)
    return np.stack([np.sin(2 * np.pi * t / 30), np.cos(2 * np.pi * t / 30), np.sin(2 * np.pi * t / 45)], 1)

PERIODIC = {'three sinusoids (periods 30, 30, 45)': sinusoids, 'circle with harmonics': harmonic_circle}
SERIES = {**PERIODIC, 'van der Pol orbit': van_der_pol}

@pytest.mark.parametrize('name', list(PERIODIC))
def test_continues_periodic_context(model, name):
    """128 steps after a 512-step context: RMSE below 0.2 of the context's std in every channel (panda-tiny-v0.1:
    0.34-0.66 on the sinusoids, 0.21-0.42 on the circle). The model is deterministic, so the only spread is float
    rounding. The relaxation oscillation of van der Pol (and its product channel x·y) is not continued this well by
    the tiny model; it is checked for boundedness only."""
    x = SERIES[name](L + H)
    pred = model.forecast(x[:L], H)
    rmse = np.sqrt(((pred - x[L:]) ** 2).mean(0)) / x[:L].std(0)
    assert np.all(rmse < 0.2), f'{name}: 128-step RMSE per channel {rmse.round(3)} std'

@pytest.mark.parametrize('name', list(SERIES))
def test_long_rollout_bounded(model, name):
    "A 2048-step sliding rollout stays finite and within twice the context's range around its mean."
    x = SERIES[name](L)
    pred = model.forecast(x, 2048)
    assert np.isfinite(pred).all()
    half = (x.max(0) - x.min(0)) / 2
    assert np.all(np.abs(pred - x.mean(0)) <= 2 * half + 1e-9), f'{name}: the rollout leaves twice the context range'
