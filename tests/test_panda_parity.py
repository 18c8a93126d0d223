"""Parity of dynnb.panda with the official Panda code, on the official tiny checkpoints and recorded outputs in
../shared/fixtures/panda-official-tiny (see its README). Skipped when the fixture folder is absent."""
import json, shutil, warnings
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file, save_file

from dynnb.core import shared_dir
from dynnb.hub import CheckpointError, load_pretrained
from dynnb.panda import Panda, random_patch_mask

FIX = shared_dir()/'fixtures'/'panda-official-tiny'
pytestmark = pytest.mark.skipif(not FIX.exists(), reason=f'official Panda fixture not found at {FIX} (it lives outside the repo, in $DYNNB_SHARED, default ../shared)')
TOL = 1e-5   # the tolerance; measured errors are ~1e-7 (float32 rounding of a different reduction order)

def maxerr(a, b):
    assert tuple(a.shape) == tuple(b.shape), (tuple(a.shape), tuple(b.shape))
    return (a - b).abs().max().item()

@pytest.fixture(scope='module')
def fc():
    torch.set_num_threads(2)
    return Panda.from_official(FIX/'forecast-tiny'), load_file(FIX/'forecast-tiny'/'io.safetensors')

@pytest.fixture(scope='module')
def mlm():
    return Panda.from_official(FIX/'mlm-tiny'), load_file(FIX/'mlm-tiny'/'io.safetensors')

@pytest.fixture(scope='module')
def fc_out(fc):
    m, io = fc
    with torch.no_grad(): return m(io['past_values'], output_attentions=True, output_hidden_states=True)

def test_config_and_indices(fc):
    m, _ = fc
    meta = json.loads((FIX/'fixture_meta.json').read_text())
    c = m.config
    assert (c.task, c.d_model, c.num_hidden_layers, c.num_attention_heads, c.ffn_dim, c.num_poly_feats, c.num_rff, c.pooling_type) == \
           ('forecast', 64, 2, 4, 128, 8, 32, 'mean')
    for d in (2, 3):
        want = torch.tensor(meta['forecast']['poly_indices'][f'poly_indices_degree{d}'])
        assert torch.equal(getattr(m.embedder, f'poly_indices_degree{d}'), want)
    n_official = meta['forecast']['n_params']   # the official count includes the frozen RFF W and b
    assert sum(p.numel() for p in m.parameters()) + m.embedder.freq_weights.numel() + m.embedder.freq_biases.numel() == n_official

def test_forward_b2(fc, fc_out):
    m, io = fc
    o = fc_out
    errs = {'prediction': maxerr(o.prediction, io['prediction_outputs']), 'loc': maxerr(o.loc, io['loc']),
            'scale': maxerr(o.scale, io['scale']), 'patch_input': maxerr(o.patches, io['b2.patch_input']),
            'embed_features': maxerr(m.embedder.features(o.patches), io['b2.embed_features']),
            'embedding': maxerr(o.hidden_states[0], io['b2.embedding']),
            'last_hidden_state': maxerr(o.last_hidden_state, io['b2.last_hidden_state']),
            'pooled': maxerr(o.last_hidden_state.mean(2), io['b2.pooled'])}
    n = m.config.num_hidden_layers
    assert len(o.hidden_states) == n + 1 and o.hidden_states[n] is o.last_hidden_state
    for i in range(n):   # the official tuple holds the state *entering* each layer
        errs[f'hidden_states.{i}'] = maxerr(o.hidden_states[i], io[f'b2.hidden_states.{i}'])
        errs[f'attn_temporal.{i}'] = maxerr(o.attn_temporal[i].flatten(0, 1), io[f'b2.attn_temporal.{i}'])   # (B·C, H, P, P)
        errs[f'attn_channel.{i}'] = maxerr(o.attn_channel[i].flatten(0, 1), io[f'b2.attn_channel.{i}'])      # (B·P, H, C, C)
    print({k: f'{v:.1e}' for k, v in errs.items()})
    assert max(errs.values()) < TOL, errs

def test_forward_b1(fc):
    m, io = fc
    with torch.no_grad(): o = m(io['past_values'][:1], output_attentions=True, output_hidden_states=True)
    errs = [maxerr(o.prediction, io['b1.prediction_outputs']), maxerr(o.last_hidden_state, io['b1.last_hidden_state'])]
    for i in range(2):
        errs += [maxerr(o.hidden_states[i], io[f'b1.hidden_states.{i}']), maxerr(o.attn_temporal[i].flatten(0, 1), io[f'b1.attn_temporal.{i}']),
                 maxerr(o.attn_channel[i].flatten(0, 1), io[f'b1.attn_channel.{i}'])]
    assert max(errs) < TOL, errs

def test_fast_path_matches(fc, fc_out):
    m, io = fc
    with torch.no_grad(): o = m(io['past_values'])
    assert o.attn_temporal is None and o.hidden_states is None
    assert maxerr(o.prediction, io['prediction_outputs']) < TOL
    assert maxerr(o.prediction, fc_out.prediction) < TOL

def test_forecast_128(fc):
    m, io = fc
    y = m.forecast(io['past_values'].numpy(), 128)   # numpy in, numpy out
    assert y.shape == (2, 128, 3)
    assert maxerr(torch.from_numpy(y), io['prediction_outputs']) < TOL

@pytest.mark.parametrize('sliding,key', [(True, 'rollout384_sliding'), (False, 'rollout384_growing')])
def test_rollouts(fc, sliding, key):
    m, io = fc
    y = m.forecast(io['past_values'], 384, sliding=sliding)
    assert y.shape == (2, 384, 3)
    err = maxerr(y, io[key][:, 0])
    print(key, f'{err:.1e}')
    assert err < TOL
    y200 = m.forecast(io['past_values'], 200, sliding=sliding)   # exactly the steps asked for (the official pipeline returns 256)
    assert y200.shape == (2, 200, 3) and maxerr(y200, io[key][:, 0, :200]) < TOL

def test_single_series_layout(fc):
    m, io = fc
    y = m.forecast(io['past_values'][0], 384)   # (T, D) torch in → (H, D) torch out
    assert isinstance(y, torch.Tensor) and y.shape == (384, 3)
    assert maxerr(y, io['rollout384_sliding'][0, 0]) < TOL

def test_mlm_mask_from_seed(mlm):
    _, io = mlm
    assert torch.equal(torch.rand(2, 3, 32, generator=torch.Generator().manual_seed(1)), io['mask_noise'])
    mask = random_patch_mask(2, 3, 32, 0.5, seed=1)
    assert torch.equal(mask, io['mask']) and (mask.sum(-1) == 16).all()

def test_mlm_forward(mlm):
    m, io = mlm
    with torch.no_grad(): o = m(io['past_values'], mask=io['mask'], output_attentions=True, output_hidden_states=True)
    errs = {'patch_input': maxerr(o.patches, io['patch_input']), 'reconstruction': maxerr(o.reconstruction, io['reconstruction']),
            'loss': abs(o.loss.item() - io['loss'].item()), 'loc': maxerr(o.loc, io['loc']), 'scale': maxerr(o.scale, io['scale']),
            'masked_patch_input': maxerr(o.patches.masked_fill(o.mask[..., None], 0.), io['masked_patch_input']),
            'last_hidden_state': maxerr(o.last_hidden_state, io['last_hidden_state'])}
    for i in range(2):
        errs[f'hidden_states.{i}'] = maxerr(o.hidden_states[i], io[f'hidden_states.{i}'])
        errs[f'attn_temporal.{i}'] = maxerr(o.attn_temporal[i].flatten(0, 1), io[f'attn_temporal.{i}'])
        errs[f'attn_channel.{i}'] = maxerr(o.attn_channel[i].flatten(0, 1), io[f'attn_channel.{i}'])
    print({k: f'{v:.1e}' for k, v in errs.items()})
    assert max(errs.values()) < TOL, errs

def test_complete_recorded_mask(mlm):
    m, io = mlm
    cp = m.complete(io['past_values'], mask=io['mask'].transpose(1, 2))    # the caller's layout: (B, P, C)
    assert maxerr(cp.reconstruction, io['reconstruction_denorm']) < TOL     # channels not scrambled
    assert maxerr(cp.patches, io['reconstruction']) < TOL and abs(cp.loss - io['loss'].item()) < TOL
    hidden = io['mask'].transpose(1, 2).repeat_interleave(16, 1)
    assert torch.equal(cp.completed[~hidden], io['past_values'][~hidden])
    seeded = m.complete(io['past_values'], seed=1)                          # the official mask seed draws the same mask
    assert torch.equal(seeded.mask, io['mask'].transpose(1, 2)) and maxerr(seeded.reconstruction, io['reconstruction_denorm']) < TOL

@pytest.mark.parametrize('name', ['forecast-tiny', 'mlm-tiny'])
def test_round_trip(name, tmp_path, fc, mlm):
    (m, io) = fc if name == 'forecast-tiny' else mlm
    m.save_pretrained(tmp_path/'a')
    m2 = load_pretrained(tmp_path/'a')
    m2.save_pretrained(tmp_path/'b')
    m3 = Panda.from_pretrained(tmp_path/'b')
    for k, v in m.state_dict().items(): assert torch.equal(m3.state_dict()[k], v), k
    if name == 'forecast-tiny': assert torch.equal(m3.forecast(io['past_values'], 384), m.forecast(io['past_values'], 384))
    else: assert torch.equal(m3.complete(io['past_values'], seed=1).completed, m.complete(io['past_values'], seed=1).completed)

def test_hub_loader(fc):
    m, io = fc
    m2 = Panda.from_official(FIX/'forecast-tiny')
    assert torch.equal(m2.forecast(io['past_values'], 128), m.forecast(io['past_values'], 128))

def _copy(tmp_path, name, files=('config.json', 'model.safetensors')):
    d = tmp_path/name; d.mkdir()
    for f in files: shutil.copy(FIX/name/f, d/f)
    return d

def test_missing_indices_warn_and_seed(tmp_path, fc):
    m, io = fc
    d = _copy(tmp_path, 'forecast-tiny')
    with pytest.warns(UserWarning, match='CANNOT match an official run'): a = Panda.from_official(d, seed=123)
    with pytest.warns(UserWarning, match='seed=123'): b = Panda.from_official(d, seed=123)
    with pytest.warns(UserWarning): c = Panda.from_official(d, seed=7)
    assert torch.equal(a.embedder.poly_indices_degree3, b.embedder.poly_indices_degree3)
    assert not torch.equal(a.embedder.poly_indices_degree3, c.embedder.poly_indices_degree3)
    with torch.no_grad(): assert maxerr(a(io['past_values']).prediction, io['prediction_outputs']) > 1e-4

def test_corrupt_and_mismatched_files(tmp_path):
    d = _copy(tmp_path, 'forecast-tiny', ('config.json', 'model.safetensors', 'nonpersistent.safetensors'))
    raw = (d/'model.safetensors').read_bytes()
    (d/'model.safetensors').write_bytes(raw[:len(raw)//2])
    with pytest.raises(CheckpointError, match='not a readable safetensors file'): Panda.from_official(d)
    (d/'model.safetensors').write_bytes(raw)
    cfg = json.loads((FIX/'forecast-tiny'/'config.json').read_text())
    (d/'config.json').write_text(json.dumps({**cfg, 'ffn_dim': 96}))
    with pytest.raises(CheckpointError, match=r'ff\.0\.weight: \(128, 64\) in .*\(96, 64\) expected'): Panda.from_official(d)
    (d/'config.json').write_text(json.dumps({**cfg, 'num_hidden_layers': 3}))
    with pytest.raises(CheckpointError, match='missing tensors'): Panda.from_official(d)
    (d/'config.json').write_text(json.dumps({**cfg, 'norm_type': 'layernorm'}))
    with pytest.raises(CheckpointError, match="norm_type='layernorm'"): Panda.from_official(d)
    (d/'config.json').write_text('{"d_model": 64,')
    with pytest.raises(CheckpointError, match='not valid JSON'): Panda.from_official(d)
    (d/'config.json').write_text(json.dumps(cfg))
    sd = load_file(FIX/'forecast-tiny'/'model.safetensors'); sd['model.encoder.extra.weight'] = torch.zeros(2)
    save_file(sd, d/'model.safetensors')
    with pytest.raises(CheckpointError, match='not part of an official Panda model'): Panda.from_official(d)
    (d/'model.safetensors').write_bytes(raw)
    save_file({'poly_indices_degree2': torch.zeros(8, 2, dtype=torch.long), 'poly_indices_degree3': torch.full((8, 3), 99)}, d/'nonpersistent.safetensors')
    with pytest.raises(CheckpointError, match='outside'): Panda.from_official(d)
    save_file({'poly_indices_degree2': torch.zeros(8, 2, dtype=torch.long)}, d/'nonpersistent.safetensors')
    with pytest.raises(CheckpointError, match='expected exactly'): Panda.from_official(d)
