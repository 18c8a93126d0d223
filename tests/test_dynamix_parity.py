"""DynaMix parity against the official forecaster (issue 5).

Reference outputs come from the authors' Python `DynaMixForecaster` (CPU, float32, one thread) with the released
checkpoint `dynamix-3d-alrnn-v1.0`, in `../shared/fixtures/dynamix-official/` (never copied into the repo). The
system is chaotic, so float32 rounding differences grow: the first step must agree to 1e-5, the first 100 steps to
1e-3 (data units); long-term statistics must agree in distribution (see test_long_term_statistics)."""
import json
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT.parent/'shared'/'fixtures'/'dynamix-official'
DATA = ROOT.parent/'shared'/'data'/'dynamix-test-data'
pytestmark = pytest.mark.skipif(not (FIX/'lorenz63_reference.npz').exists(),
                                reason=f'official DynaMix fixtures not found at {FIX} (they live outside the repo, in shared/)')

from dynnb.dynamix import DynaMix, rollout
from dynnb.hub import CheckpointError, load_official_dynamix

@pytest.fixture(scope='module')
def model():
    torch.set_num_threads(1)
    return load_official_dynamix(FIX)

@pytest.fixture(scope='module')
def ref(): return dict(np.load(FIX/'lorenz63_reference.npz'))

def _check_short_term(pred, target, what):
    e1, e100 = np.abs(pred[..., 0, :] - target[..., 0, :]).max(), np.abs(pred[..., :100, :] - target[..., :100, :]).max()
    assert e1 < 1e-5, f'{what}: first step differs by {e1:.2e} (tolerance 1e-5)'
    assert e100 < 1e-3, f'{what}: first 100 steps differ by up to {e100:.2e} (tolerance 1e-3)'
    return e1, e100

def test_bson_and_safetensors_give_identical_parameters(model):
    jl = load_official_dynamix(FIX/'dynamix-3d-alrnn-v1.0.bson')
    sd, sj = model.state_dict(), jl.state_dict()
    assert sd.keys() == sj.keys()
    for k in sd: assert torch.equal(sd[k], sj[k]), k
    assert sum(p.numel() for p in model.parameters()) == 10227       # the count of learned numbers in the Julia model (spec §1)
    test_d = model.D.detach()[:, :3]                                   # spec §7: D ≈ 1.02·I when decoded in the right orientation
    assert torch.allclose(test_d, 1.02 * torch.eye(3), atol=0.05)

def test_conv_kernel_flip_matters(model, ref):
    "The Julia kernel must be reversed: without the flip the first step is far off (spec §7), so the test above has teeth."
    bad = load_official_dynamix(FIX/'dynamix-3d-alrnn-v1.0.bson')
    with torch.no_grad(): bad.conv.weight.copy_(bad.conv.weight.flip(-1))
    assert np.abs(bad.forecast(ref['context'], 5, noise=False) - ref['forecast_nonoise'][:5]).max() > 1e-3

@pytest.mark.parametrize('key,kw', [('forecast_nonoise', dict(noise=False)), ('forecast_seed0', dict(seed=0)), ('forecast_seed1', dict(seed=1))])
def test_single_series(model, ref, key, kw):
    pred = model.forecast(ref['context'], 2000, **kw)
    assert pred.shape == (2000, 3) and pred.dtype == np.float32
    _check_short_term(pred, ref[key], key)

def test_global_seed_equals_seed_argument(model, ref):
    "seed=None draws from torch's global generator: after torch.manual_seed(0) this is the official call sequence."
    torch.manual_seed(0)
    pred = model.forecast(ref['context'], 100)
    _check_short_term(pred, ref['forecast_seed0'], 'global seed 0')

def test_batch(model, ref):
    ctx = np.transpose(ref['context_batch'], (1, 0, 2))                 # fixture is time-first (T, B, D)
    target = np.transpose(ref['forecast_batch_nonoise'], (1, 0, 2))
    pred = model.forecast(torch.from_numpy(ctx), 500, noise=False)
    assert isinstance(pred, torch.Tensor) and pred.shape == (3, 500, 3)
    _check_short_term(pred.numpy(), target, 'batch')

def test_torch_loop_matches_fixture(model, ref):
    "The torch fallback (used on GPUs and without a C compiler) is held to the same tolerances."
    x = torch.from_numpy(ref['context'])[None]
    mu, sd = x.mean(1, keepdim=True), x.std(1, keepdim=True)
    c = (x - mu) / sd
    obs, _ = rollout(model, c, c[:, -1], 100, None, fast=False)
    pred = (obs * sd + mu).numpy()[0]
    _check_short_term(pred, ref['forecast_nonoise'], 'torch loop')

# Official-code medians over seeds 0..9, lorenz63, context 2000, horizon 10000, official Python metrics
# (dynamix-spec.md §8 and the fixture README; produced by the authors' forecaster, not by dynnb).
OFFICIAL_MEDIANS_10K = {'D_stsp': 0.758, 'D_H': 0.072}

def test_long_term_statistics(model, ref):
    """Long-term statistics. A single 2000-step forecast is one draw of a chaotic, noisy process: dynnb's own seeds
    0..9 give D_stsp from about 2.6 to 4.9 on this context, so one draw against one draw cannot agree to 10 %. What
    must agree is the distribution: (a) the 10-seed medians over the notebook horizon (10000) are within 10 % of the
    official code's 10-seed medians, (b) the official 2000-step seeded and noise-free forecasts' statistics lie within
    the range of dynnb's seeds, and (c) the metric implementation reproduces the official value on the reference."""
    metrics = pytest.importorskip('dynnb.metrics', reason='dynnb.metrics not available')
    full = np.load(DATA/'lorenz63.npy').astype(np.float32)
    stats = {'D_stsp': lambda p, t: metrics.d_stsp(p, t, variant='python'), 'D_H': lambda p, t: metrics.d_h(p, t, variant='python')}
    preds = [model.forecast(ref['context'], 10000, seed=s) for s in range(10)]
    for name, f in stats.items():
        med = float(np.median([f(p, full[2000:12000]) for p in preds]))
        assert abs(med - OFFICIAL_MEDIANS_10K[name]) <= 0.1 * OFFICIAL_MEDIANS_10K[name], f'{name}: 10-seed median {med:.4f} vs official {OFFICIAL_MEDIANS_10K[name]}'
        ours = [f(p[:2000], full[2000:4000]) for p in preds]
        for key in ('forecast_seed0', 'forecast_nonoise'):
            theirs = f(ref[key], full[2000:4000])
            assert min(ours) <= theirs <= max(ours), f'{name} of official {key} ({theirs:.4f}) outside dynnb seeds range [{min(ours):.4f}, {max(ours):.4f}]'
    py = json.loads((FIX/'lorenz63_metrics.json').read_text())['forecast_seed0']['official_python']
    assert abs(stats['D_stsp'](ref['forecast_seed0'], full[2000:4000]) - py['geometrical_misalignment(gen, true, n_bins=30)']) < 1e-3

def test_corrupt_and_mismatched_checkpoints(model, tmp_path):
    raw = (FIX/'dynamix-3d-alrnn-v1.0.bson').read_bytes()
    (tmp_path/'cut.bson').write_bytes(raw[:len(raw) // 2])
    with pytest.raises(CheckpointError, match='not a readable Julia DynaMix checkpoint'): load_official_dynamix(tmp_path/'cut.bson')
    st = (FIX/'dynamix-3d-alrnn-v1.0.safetensors').read_bytes()
    (tmp_path/'dynamix-3d-alrnn-v1.0.safetensors').write_bytes(st[:len(st) - 100])
    (tmp_path/'config_3d-alrnn-v1.0.json').write_text((FIX/'config_3d-alrnn-v1.0.json').read_text())
    with pytest.raises(CheckpointError, match='not a readable safetensors file'): load_official_dynamix(tmp_path)
    cfg = json.loads((FIX/'config_3d-alrnn-v1.0.json').read_text()); cfg['architecture']['M'] = 20
    (tmp_path/'dynamix-3d-alrnn-v1.0.safetensors').write_bytes(st)
    (tmp_path/'config_3d-alrnn-v1.0.json').write_text(json.dumps(cfg))
    with pytest.raises(CheckpointError, match='expected'): load_official_dynamix(tmp_path)
    (tmp_path/'config_3d-alrnn-v1.0.json').unlink()
    with pytest.raises(CheckpointError, match='no file matching'): load_official_dynamix(tmp_path)

def test_dynnb_format_round_trip(model, ref, tmp_path):
    model.save_pretrained(tmp_path/'ckpt')
    back = DynaMix.from_pretrained(tmp_path/'ckpt')
    np.testing.assert_array_equal(back.forecast(ref['context'], 200, seed=0), model.forecast(ref['context'], 200, seed=0))
