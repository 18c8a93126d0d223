"Bad input and interruption for `dynnb.data.generate`: a killed generation resumes to the same dataset; unwritable folders fail clearly."
import os, signal, subprocess, sys, time
from pathlib import Path
import numpy as np, pytest
from dynnb.core import InputError
from dynnb.data import GenerateConfig, IntegrationSettings, Dataset, generate, shard_done, split_of

CFG = GenerateConfig(n=6, shard_size=2, per_system=2, founders=('Rossler', 'Aizawa', 'Thomas', 'Sakarya'), seed=3,
                     integration=IntegrationSettings(length=128, n_transient=32, pts_per_period=32, rtol=1e-6, atol=1e-8,
                                                     filters=('bounded', 'not_fixed_point')))
RUN = ("import sys; from dynnb.data import GenerateConfig, generate; "
       "generate(GenerateConfig.from_json(sys.argv[1]), sys.argv[2], progress=False)")

def test_killed_run_resumes_to_same_dataset(tmp_path):
    ref = Dataset(generate(CFG, tmp_path / 'ref', progress=False))
    out = tmp_path / 'killed'
    p = subprocess.Popen([sys.executable, '-c', RUN, CFG.to_json(), str(out)])
    t0 = time.time()
    while not shard_done(out, 0) and p.poll() is None and time.time() - t0 < 300: time.sleep(0.05)
    p.send_signal(signal.SIGKILL); p.wait()
    part = Dataset(out)
    assert 1 <= len(part.shards) < 3, part.shards        # killed after the first shard, before the last
    res = Dataset(generate(CFG, out, progress=False))
    assert res.complete and len(res) == len(ref) == 6
    for a, b in zip(ref.xs, res.xs): np.testing.assert_array_equal(a, b)
    assert ref.manifest == res.manifest
    assert all(split_of(e['founders']) == 'train' for e in res.manifest)

def test_unwritable_folder(tmp_path):
    (tmp_path / 'file').write_text('not a folder')
    with pytest.raises(InputError, match='cannot write the dataset'): generate(CFG, tmp_path / 'file' / 'ds', progress=False)
    with pytest.raises(InputError, match='cannot write the dataset'): generate(CFG, '/proc/dynnb-test-ds', progress=False)

@pytest.mark.parametrize('kw,msg', [(dict(n=-1), 'GenerateConfig.n must be an integer >= 1'), (dict(split='val'), 'split must be one of'),
                                    (dict(skew_fraction=2.), 'skew_fraction'), (dict(per_system=True), 'per_system must be an integer'),
                                    (dict(integration=dict(length=0)), 'IntegrationSettings.length must be an integer >= 1'),
                                    (dict(integration=dict(filters=('nope',))), 'unknown filter'),
                                    (dict(integration=dict(n_transient=-1)), 'n_transient must be an integer >= 0')])
def test_bad_config(kw, msg):
    "A bad field fails when the config is built, naming the field, before anything is written."
    with pytest.raises(InputError, match=msg): GenerateConfig.from_dict(CFG.to_dict() | kw)

def test_legacy_flat_dataset_config(tmp_path):
    "A dataset written before the integration settings were nested (flat `dataset.json` config) still loads and resumes."
    import json
    out = generate(CFG.replace(n=2), tmp_path / 'ds', progress=False)
    meta = json.loads((out / 'dataset.json').read_text())
    flat = {k: v for k, v in meta['config'].items() if k != 'integration'} | meta['config']['integration']
    (out / 'dataset.json').write_text(json.dumps(meta | {'config': flat}))
    assert GenerateConfig.from_dict(flat) == CFG.replace(n=2)
    assert len(Dataset(generate(CFG.replace(n=2), out, progress=False))) == 2      # same settings: resumes, no 'other settings'
    with pytest.raises(InputError, match='other settings'): generate(CFG.replace(n=2, seed=4), out, progress=False)

def test_training_set_refuses_held_out_founders(tmp_path):
    with pytest.raises(InputError, match='held-out founder'): generate(CFG.replace(founders=('Rossler', 'Chua')), tmp_path / 'x', progress=False)

def test_bad_worker(tmp_path):
    with pytest.raises(InputError, match='worker must be'): generate(CFG, tmp_path / 'x', worker=2, n_workers=2, progress=False)
