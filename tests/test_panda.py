"""dynnb.panda without fixtures: bad input, the layout contract, seeding and save/load of a random tiny model."""
import json

import numpy as np
import pytest
import torch

from dynnb.core import InputError
from dynnb.hub import CheckpointError
from dynnb.panda import PANDA_PRESETS, Panda, PandaConfig

CFG = PANDA_PRESETS['tiny'].replace(num_hidden_layers=2, context_length=128, prediction_length=32)

@pytest.fixture(scope='module')
def model(): return Panda(CFG, seed=0).eval()

@pytest.fixture(scope='module')
def mlm(): return Panda(CFG.replace(task='mlm', use_dynamics_embedding=False), seed=0).eval()

CTX = np.random.default_rng(0).normal(size=(100, 3))

@pytest.mark.parametrize('ctx,match', [
    (np.zeros((2, 3, 4, 5)), r'\(T,\), \(T, D\) or \(B, T, D\)'),        # wrong rank
    (np.zeros((3, 10, 2)), 'at least 16 are needed'),                   # fewer than one patch
    (np.array([['a', 'b']] * 20), 'must be numeric')])
def test_bad_context(model, ctx, match):
    with pytest.raises(InputError, match=match): model.forecast(ctx, 5)

@pytest.mark.parametrize('bad', [np.nan, np.inf, -np.inf])
def test_non_finite(model, mlm, bad):
    c = CTX.copy(); c[42, 1] = bad
    with pytest.raises(InputError, match='time index 42, dimension 1'): model.forecast(c, 5)
    with pytest.raises(InputError, match='time index 42, dimension 1'): mlm.complete(c, seed=0)

@pytest.mark.parametrize('h', [0, -3, 2.5, True, '10'])
def test_bad_horizon(model, h):
    with pytest.raises(InputError, match='horizon must be a positive whole number of steps'): model.forecast(CTX, h)

def test_bad_mask_and_task(model, mlm):
    with pytest.raises(InputError, match=r'mask must have shape \(6, 3\)'): mlm.complete(CTX, mask=np.zeros((6, 2), bool))
    with pytest.raises(InputError, match='must be boolean'): mlm.complete(CTX, mask=np.zeros((6, 3)))
    with pytest.raises(InputError, match='no forecast head'): mlm.forecast(CTX, 5)
    with pytest.raises(InputError, match='needs an MLM checkpoint'): model.complete(CTX)
    with pytest.raises(InputError, match='batch_size'): model.forecast(CTX, 5, batch_size=0)

def test_bad_config():
    with pytest.raises(InputError, match='task must be one of'): PandaConfig(task='classify')
    with pytest.raises(InputError, match='even num_rff'): PandaConfig(num_rff=7)
    with pytest.raises(InputError, match='PandaConfig.d_model must be an integer >= 1'): PandaConfig(d_model=0)
    with pytest.raises(InputError, match='no field'): PandaConfig.from_dict({'d_modle': 3})

def test_layout_contract(model):
    y = model.forecast(CTX, 70)
    assert isinstance(y, np.ndarray) and y.shape == (70, 3) and y.dtype == np.float64
    yb = model.forecast(torch.tensor(np.stack([CTX, CTX[::-1].copy()]), dtype=torch.float64), 70)
    assert isinstance(yb, torch.Tensor) and yb.shape == (2, 70, 3) and yb.dtype == torch.float64
    np.testing.assert_allclose(yb[0].numpy(), y, atol=1e-5)
    y1 = model.forecast(CTX[:, 0], 40)
    assert y1.shape == (40,)

def test_rollout_is_consistent(model):
    "The first Λ steps of a long rollout are the one-call forecast, and the next block is the forecast from the extended context."
    lam = CFG.prediction_length
    long = model.forecast(CTX, 2 * lam + 5)
    first = model.forecast(CTX, lam)
    np.testing.assert_allclose(long[:lam], first, atol=1e-6)
    ext = np.concatenate([CTX, first])[-CFG.context_length:]
    np.testing.assert_allclose(long[lam:2 * lam], model.forecast(ext, lam), atol=1e-5)

def test_channel_permutation_equivariance(model):
    perm = [2, 0, 1]
    np.testing.assert_allclose(model.forecast(CTX[:, perm], 50), model.forecast(CTX, 50)[:, perm], atol=1e-5)

def test_affine_invariance(model):
    "The instance norm makes the forecast equivariant to a per-channel affine change of units."
    a, b = np.array([3., 0.5, 10.]), np.array([-1., 7., 100.])
    np.testing.assert_allclose(model.forecast(CTX * a + b, 40), model.forecast(CTX, 40) * a + b, rtol=1e-4, atol=1e-3)

def test_seeded_init():
    a, b, c = Panda(CFG, seed=1), Panda(CFG, seed=1), Panda(CFG, seed=2)
    state = torch.get_rng_state()
    Panda(CFG, seed=3)
    assert torch.equal(state, torch.get_rng_state())   # seeded construction leaves the global generator alone
    for k, v in a.state_dict().items(): assert torch.equal(v, b.state_dict()[k]), k
    assert not torch.equal(a.embedder.poly_indices_degree2, c.embedder.poly_indices_degree2)

def test_mlm_complete(mlm):
    cp = mlm.complete(CTX, seed=3)     # T = 100: 6 patches cover the last 96 steps
    assert cp.completed.shape == (96, 3) and cp.mask.shape == (6, 3) and (cp.mask.sum(0) == 3).all()
    hidden = np.repeat(cp.mask, 16, axis=0)
    np.testing.assert_array_equal(cp.completed[~hidden], CTX[4:][~hidden].astype(np.float32))
    none = mlm.complete(CTX, mask=np.zeros((6, 3), bool))
    np.testing.assert_array_equal(none.completed, CTX[4:].astype(np.float32).astype(np.float64))

def test_save_load_and_mismatch(model, tmp_path):
    model.save_pretrained(tmp_path)
    m2 = Panda.from_pretrained(tmp_path)
    np.testing.assert_array_equal(m2.forecast(CTX, 100), model.forecast(CTX, 100))
    cfg = json.loads((tmp_path/'config.json').read_text())
    (tmp_path/'config.json').write_text(json.dumps({**cfg, 'num_poly_feats': 12}))
    with pytest.raises(CheckpointError, match='poly_indices_degree2'): Panda.from_pretrained(tmp_path)
    (tmp_path/'config.json').write_text(json.dumps({**cfg, 'pooling_type': 'median'}))
    with pytest.raises(CheckpointError, match='pooling_type'): Panda.from_pretrained(tmp_path)

def test_float64_model(model):
    "Inputs follow the model's dtype: a float64 copy forecasts like the float32 model."
    m64 = Panda(CFG, seed=0).double().eval()
    np.testing.assert_allclose(m64.forecast(CTX, 70), model.forecast(CTX, 70), atol=1e-4)

def test_config_type():
    with pytest.raises(InputError, match='needs a PandaConfig'): Panda({'d_model': 64})
