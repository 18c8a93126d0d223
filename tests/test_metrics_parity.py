"""Parity of dynnb.metrics with the official DynaMix metric values stored in the shared fixtures
(`$DYNNB_SHARED`, default `../shared`: `fixtures/dynamix-official/lorenz63_metrics.json`): both the Python and the Julia variants, to 1e-5 relative."""
import json
from pathlib import Path
import numpy as np
import pytest
import torch
from dynnb.core import shared_dir
from dynnb.metrics import d_stsp, d_h, mase

SHARED = shared_dir()
FX, DATA = SHARED / 'fixtures' / 'dynamix-official', SHARED / 'data' / 'dynamix-test-data' / 'lorenz63.npy'
pytestmark = pytest.mark.skipif(not ((FX / 'lorenz63_metrics.json').exists() and DATA.exists()),
                                reason=f'official DynaMix fixtures not found under {SHARED.resolve()} (they are not part of dynnb)')

PY = {'d_stsp': 'geometrical_misalignment(gen, true, n_bins=30)', 'd_h': 'temporal_misalignment(gen, true, smoothing=20)',
      'mase_pred': 'MASE(true, gen, steps=10)  [notebook argument order: scale from gen]',
      'mase_target': 'MASE(gen, true, steps=10)  [scale from true]'}
JL = {'d_stsp': 'state_space_divergence(true, gen, 30)', 'd_h': 'power_spectrum_error(true, gen, 20)', 'mase_target': 'MASE(true, gen, 10)'}
OURS = {('python', 'd_stsp'): lambda g, t: d_stsp(g, t, n_bins=30, variant='python'),
        ('python', 'd_h'): lambda g, t: d_h(g, t, smoothing=20, variant='python'),
        ('python', 'mase_pred'): lambda g, t: mase(g, t, steps=10, scale='pred'),
        ('python', 'mase_target'): lambda g, t: mase(g, t, steps=10),
        ('julia', 'd_stsp'): lambda g, t: d_stsp(g, t, n_bins=30, variant='julia'),
        ('julia', 'd_h'): lambda g, t: d_h(g, t, smoothing=20, variant='julia'),
        ('julia', 'mase_target'): lambda g, t: mase(g, t, steps=10)}

@pytest.fixture(scope='module')
def data():
    ref = json.loads((FX / 'lorenz63_metrics.json').read_text())
    z = np.load(FX / 'lorenz63_reference.npz')
    return ref, z, np.load(DATA)[2000:4000].astype(np.float32)

@pytest.mark.parametrize('forecast', ['forecast_seed0', 'forecast_nonoise'])
@pytest.mark.parametrize('variant,metric', list(OURS))
@pytest.mark.parametrize('kind', ['numpy', 'torch'])
def test_parity(data, forecast, variant, metric, kind):
    ref, z, true = data
    expected = ref[forecast]['official_python' if variant == 'python' else 'official_julia_restated'][(PY if variant == 'python' else JL)[metric]]
    gen = z[forecast]
    if kind == 'torch': gen, true = torch.from_numpy(gen), torch.from_numpy(true)
    assert OURS[variant, metric](gen, true) == pytest.approx(expected, rel=1e-5)
