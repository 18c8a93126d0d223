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

from dynnb.core import shared_dir

FIX = shared_dir()/'fixtures'/'dynamix-official'
DATA = shared_dir()/'data'/'dynamix-test-data'
pytestmark = pytest.mark.skipif(not (FIX/'lorenz63_reference.npz').exists(),
                                reason=f'official DynaMix fixtures not found at {FIX} (they live outside the repo, in $DYNNB_SHARED, default ../shared)')

from dynnb.dynamix import DynaMix, rollout
from dynnb.hub import CheckpointError

@pytest.fixture(scope='module')
def model():
    torch.set_num_threads(1)
    return DynaMix.from_official(FIX)

@pytest.fixture(scope='module')
def ref(): return dict(np.load(FIX/'lorenz63_reference.npz'))

def _check_short_term(pred, target, what):
    e1, e100 = np.abs(pred[..., 0, :] - target[..., 0, :]).max(), np.abs(pred[..., :100, :] - target[..., :100, :]).max()
    assert e1 < 1e-5, f'{what}: first step differs by {e1:.2e} (tolerance 1e-5)'
    assert e100 < 1e-3, f'{what}: first 100 steps differ by up to {e100:.2e} (tolerance 1e-3)'
    return e1, e100

def test_bson_and_safetensors_give_identical_parameters(model):
    jl = DynaMix.from_official(FIX/'dynamix-3d-alrnn-v1.0.bson')
    sd, sj = model.state_dict(), jl.state_dict()
    assert sd.keys() == sj.keys()
    for k in sd: assert torch.equal(sd[k], sj[k]), k
    assert sum(p.numel() for p in model.parameters()) == 10227       # the count of learned numbers in the Julia model (spec §1)
    test_d = model.D.detach()[:, :3]                                   # spec §7: D ≈ 1.02·I when decoded in the right orientation
    assert torch.allclose(test_d, 1.02 * torch.eye(3), atol=0.05)

def test_conv_kernel_flip_matters(model, ref):
    "The Julia kernel must be reversed: without the flip the first step is far off (spec §7), so the test above has teeth."
    bad = DynaMix.from_official(FIX/'dynamix-3d-alrnn-v1.0.bson')
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
    "The torch loop (used on GPUs and with fast=False) is held to the same tolerances."
    x = torch.from_numpy(ref['context'])[None]
    mu, sd = x.mean(1, keepdim=True), x.std(1, keepdim=True)
    c = (x - mu) / sd
    obs, _ = rollout(model, c, c[:, -1], 100, None, fast=False)
    pred = (obs * sd + mu).numpy()[0]
    _check_short_term(pred, ref['forecast_nonoise'], 'torch loop')

# Official-code medians over seeds 0..9, lorenz63, context 2000, horizon 10000, official Python metrics
# (dynamix-spec.md §8 and the fixture README; produced by the authors' forecaster, not by dynnb).
OFFICIAL_MEDIANS_10K = {'D_stsp': 0.758, 'D_H': 0.072}
# Spread of one draw, measured with dynnb on this context (official checkpoint, python metrics; 2-core x86 box):
# seeds 0..39 over 10000 steps: D_stsp mean 0.765 sd 0.081, D_H mean 0.0773 sd 0.0082 (medians of seeds 0-9, 10-19,
# 20-29, 30-39: D_stsp 0.747 0.725 0.807 0.779, D_H 0.0789 0.0742 0.0755 0.0775); the first 2000 steps of the same
# forecasts: D_stsp mean 3.36 sd 0.71, D_H mean 0.0354 sd 0.0090; noise-free 2000-step forecasts from 20 contexts
# perturbed by 1e-4 sd: D_stsp mean 4.52 sd 1.41 (2.94 to 9.01), D_H mean 0.032 sd 0.014 (0.012 to 0.080).
SD_10K = {'D_stsp': 0.081, 'D_H': 0.0082}
SD_2K = {'D_stsp': 0.71, 'D_H': 0.0090}
SD_2K_NONOISE = {'D_stsp': 1.41, 'D_H': 0.014}
N_SEEDS, K = 20, 4.0        # K standard deviations: a false alarm has odds of about 1 in 16,000 per check (normal)

def test_long_term_statistics(model, ref):
    """Long-term statistics. A forecast of a chaotic, noisy system is one draw from a distribution, and which draw a
    seed gives depends on float rounding (the BLAS kernel, the official code vs dynnb): rounding differences grow until
    the trajectories are unrelated. So the checks compare distributions, with margins of K standard deviations of the
    compared quantity, the spreads measured above:
    (a) dynnb's median over N_SEEDS seeds (10000 steps) vs the official 10-seed median: the difference of two sample
        medians has sd 1.2533 * sd * sqrt(1/N_SEEDS + 1/10) (0.039 for D_stsp, 0.0040 for D_H; 10 % was 1.9 and 1.8 sd);
    (b) each official 2000-step forecast is one draw: seeded ones vs the mean of dynnb's seeded forecasts, the
        noise-free one vs the mean of dynnb's noise-free forecasts from slightly perturbed contexts (a noise-free
        forecast is deterministic, but on another machine it is a different trajectory on the same attractor;
        comparing it with the noisy forecasts' range failed on another machine: D_H 0.0185 outside [0.0243, 0.0570]);
        margin K * sd * sqrt(1 + 1/n) (the ensemble mean is itself estimated from n draws);
    (c) the metric implementation reproduces the official value on the reference forecast (deterministic)."""
    metrics = pytest.importorskip('dynnb.metrics', reason='dynnb.metrics not available')
    full = np.load(DATA/'lorenz63.npy').astype(np.float32)
    stats = {'D_stsp': lambda p, t: metrics.d_stsp(p, t, variant='python'), 'D_H': lambda p, t: metrics.d_h(p, t, variant='python')}
    preds = [model.forecast(ref['context'], 10000, seed=s) for s in range(N_SEEDS)]
    g, ctx = np.random.default_rng(0), ref['context']
    nonoise = [model.forecast(ctx + (1e-4 * ctx.std(0) * g.normal(size=ctx.shape)).astype(np.float32), 2000, noise=False)
               for _ in range(N_SEEDS)]
    for name, f in stats.items():
        med, official = float(np.median([f(p, full[2000:12000]) for p in preds])), OFFICIAL_MEDIANS_10K[name]
        tol = K * 1.2533 * SD_10K[name] * np.sqrt(1 / N_SEEDS + 1 / 10)
        assert abs(med - official) <= tol, f'{name}: {N_SEEDS}-seed median {med:.4f} vs official 10-seed median {official} (tolerance {tol:.4f})'
        for key, ours, sd in (('forecast_seed0', [f(p[:2000], full[2000:4000]) for p in preds], SD_2K[name]),
                              ('forecast_seed1', [f(p[:2000], full[2000:4000]) for p in preds], SD_2K[name]),
                              ('forecast_nonoise', [f(p, full[2000:4000]) for p in nonoise], SD_2K_NONOISE[name])):
            theirs, mean, tol = f(ref[key], full[2000:4000]), float(np.mean(ours)), K * sd * np.sqrt(1 + 1 / len(ours))
            assert abs(theirs - mean) <= tol, f'{name} of official {key} ({theirs:.4f}) vs dynnb mean {mean:.4f} over {len(ours)} draws (tolerance {tol:.4f})'
    py = json.loads((FIX/'lorenz63_metrics.json').read_text())['forecast_seed0']['official_python']
    assert abs(stats['D_stsp'](ref['forecast_seed0'], full[2000:4000]) - py['geometrical_misalignment(gen, true, n_bins=30)']) < 1e-3

def test_corrupt_and_mismatched_checkpoints(model, tmp_path):
    raw = (FIX/'dynamix-3d-alrnn-v1.0.bson').read_bytes()
    (tmp_path/'cut.bson').write_bytes(raw[:len(raw) // 2])
    with pytest.raises(CheckpointError, match='not a readable Julia DynaMix checkpoint'): DynaMix.from_official(tmp_path/'cut.bson')
    st = (FIX/'dynamix-3d-alrnn-v1.0.safetensors').read_bytes()
    (tmp_path/'dynamix-3d-alrnn-v1.0.safetensors').write_bytes(st[:len(st) - 100])
    (tmp_path/'config_3d-alrnn-v1.0.json').write_text((FIX/'config_3d-alrnn-v1.0.json').read_text())
    with pytest.raises(CheckpointError, match='not a readable safetensors file'): DynaMix.from_official(tmp_path)
    cfg = json.loads((FIX/'config_3d-alrnn-v1.0.json').read_text()); cfg['architecture']['M'] = 20
    (tmp_path/'dynamix-3d-alrnn-v1.0.safetensors').write_bytes(st)
    (tmp_path/'config_3d-alrnn-v1.0.json').write_text(json.dumps(cfg))
    with pytest.raises(CheckpointError, match='expected'): DynaMix.from_official(tmp_path)
    (tmp_path/'config_3d-alrnn-v1.0.json').unlink()
    with pytest.raises(CheckpointError, match='no file matching'): DynaMix.from_official(tmp_path)

def test_dynnb_format_round_trip(model, ref, tmp_path):
    model.save_pretrained(tmp_path/'ckpt')
    back = DynaMix.from_pretrained(tmp_path/'ckpt')
    np.testing.assert_array_equal(back.forecast(ref['context'], 200, seed=0), model.forecast(ref['context'], 200, seed=0))
