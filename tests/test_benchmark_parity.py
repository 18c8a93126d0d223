"The benchmark's scoring reproduces the official lorenz63 metrics of the DynaMix fixture (skipped without ../shared)."
import json
from pathlib import Path
import numpy as np
import pytest
from dynnb.benchmark import score
from dynnb.core import shared_dir

SHARED = shared_dir()
FIX = SHARED/'fixtures/dynamix-official'
pytestmark = pytest.mark.skipif(not FIX.exists(), reason=f'official DynaMix fixtures not found at {FIX} (the shared folder is absent; set DYNNB_SHARED)')

@pytest.mark.parametrize('which', ['forecast_seed0', 'forecast_nonoise'])
def test_benchmark_scores_match_official(which):
    ref = np.load(FIX/'lorenz63_reference.npz')
    truth = np.load(SHARED/'data/dynamix-test-data/lorenz63.npy')[2000:4000].astype(np.float32)
    ctx, pred = ref['context'].astype(np.float64), ref[which].astype(np.float64)
    mu, sd = ctx.mean(0), ctx.std(0) + 1e-8        # the benchmark scores on the context-standardised scale
    rows = {m: v for m, h, v in score((pred - mu) / sd, (truth - mu) / sd, [len(truth)], metrics=('d_stsp', 'd_h', 'mase'))}
    off = json.loads((FIX/'lorenz63_metrics.json').read_text())[which]['official_julia_restated']
    np.testing.assert_allclose(rows['d_stsp'], off['state_space_divergence(true, gen, 30)'], rtol=1e-4)
    np.testing.assert_allclose(rows['d_h'], off['power_spectrum_error(true, gen, 20)'], rtol=1e-4)
    np.testing.assert_allclose(rows['mase'], off['MASE(true, gen, 10)'], rtol=1e-4)
