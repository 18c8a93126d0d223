"""One forecasting interface: every model `list_models()` names takes `seed`, and a seed fixes the forecast.

`seed=None` is accepted by every model too (a fresh draw for the stochastic ones); deterministic models give the same
forecast for any seed."""
import numpy as np
import pytest

from dynnb.forecast import forecast, list_models

T = np.linspace(0, 40, 600)
CONTEXT = np.stack([np.sin(T), np.cos(1.3 * T), np.sin(0.7 * T + 1)], 1)


@pytest.mark.parametrize('name', sorted(list_models()))
def test_every_model_takes_a_seed(name):
    a, b = (np.asarray(forecast(name, CONTEXT, 8, seed=3)) for _ in range(2))
    assert a.shape == (8, 3) and np.isfinite(a).all()
    np.testing.assert_array_equal(a, b)                       # the same seed, the same forecast
    assert np.asarray(forecast(name, CONTEXT, 8, seed=None)).shape == (8, 3)
