"""Ablation of the DynaMix training recipe: which lever keeps long-term statistics, measured two ways, all on training
founders (other initial conditions), never on held-out ones.

    python bench/recipe_ablation.py RUN_FOLDER [--check-steps 2000] [--scratch-steps 6000] [--out bench/results/recipe_ablation.json]

RUN_FOLDER is a `dynnb train dynamix` run folder whose `founders.npz` and `validation.npz` caches it reuses (the
corpus: 2 trajectories of every training founder at 60 points per period; validation: long free runs of 24 training
founders at 30 points per period, context 512, horizon 10,000).

1. The recipe check (`dynnb.train.recipe_check`): the official checkpoint (../shared/fixtures, or $DYNNB_SHARED)
   continued `--check-steps` steps under each objective (constant lr 3e-4 unless the lever says, batch 16); its median D_stsp before and
   after. An objective passes when D_stsp stays within 10 %.
2. From scratch at equal compute: the released-size model trained `--scratch-steps` steps (lr 5e-3 -> 1e-4) under each
   objective, validated every 1,000 steps; the best validation D_stsp and D_H of the run.

Each result is written to the JSON file as soon as it is measured (atomically), and finished entries are not redone
when the script runs again, so an interrupted ablation resumes."""
import argparse, json, time
from pathlib import Path
import torch
from dynnb.core import atomic_write, shared_dir
from dynnb.dynamix import DynaMix, DYNAMIX_PRESETS
from dynnb.data import Corpus, founder_corpus
from dynnb.train import DYNAMIX_TRAIN, DynaMixObjective, DynaMixObjectiveConfig, read_log, recipe_check, train

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('run', help='a dynnb train dynamix run folder holding founders.npz and validation.npz')
p.add_argument('--check-steps', type=int, default=2000)
p.add_argument('--scratch-steps', type=int, default=6000)
p.add_argument('--out', default='bench/results/recipe_ablation.json')
p.add_argument('--checks-only', action='store_true', help='run the recipe checks, not the from-scratch runs')
p.add_argument('--work', default='runs/ablation', help='folder for the ablation runs (resumable)')
a = p.parse_args()
torch.set_num_threads(1)
run, work, out = Path(a.run), Path(a.work), Path(a.out)
corpus = founder_corpus(run/'founders.npz')
val = founder_corpus(run/'validation.npz')
res = json.loads(out.read_text()) if out.is_file() else {}
def save():
    with atomic_write(out) as f: f.write(json.dumps(res, indent=2))

LEVERS = {   # name -> objective settings
    'MSE, tau1 and sigma learnt (the earlier recipe)': dict(loss='mse', tau1=None, sigma=None),
    'log-MSE per window, tau1 and sigma learnt': dict(loss='log_mse', tau1=None, sigma=None),
    'MSE, tau1 and sigma held': dict(loss='mse'),
    'log-MSE per window, tau1 and sigma held (the recipe)': dict(loss='log_mse'),
    'the recipe, fixed context placement': dict(loss='log_mse', context='fixed'),
    'the recipe, 3-D founders only': dict(loss='log_mse', corpus='3d'),
    'the recipe, 3-D founders only, lr 1e-4': dict(loss='log_mse', corpus='3d', lr=1e-4),
}
def objective(kw):
    "The objective of a lever: its settings, on the whole founder corpus or (corpus='3d') on the founders of exactly 3 dimensions."
    kw = dict(kw); kw.pop('lr', None)
    c = corpus
    if kw.pop('corpus', None) == '3d':
        keep = [i for i, x in enumerate(corpus.series) if x.shape[1] == 3]
        c = Corpus([corpus.series[i] for i in keep], [corpus.systems[i] for i in keep], [corpus.pts_per_period[i] for i in keep])
    return DynaMixObjective(c, DynaMixObjectiveConfig(**kw), val=val)
SCRATCH = [list(LEVERS)[0], list(LEVERS)[3]]   # from scratch (the costly half): the earlier recipe and the recipe
official = shared_dir()/'fixtures'/'dynamix-official'
for name, kw in LEVERS.items():
    key = f'check: {name}'
    if key in res or not official.exists(): continue
    t0 = time.time()
    lr = kw.get('lr', 3e-4)
    cfg = DYNAMIX_TRAIN.replace(steps=a.check_steps, lr=lr, lr_end=lr, schedule='constant', val_every=0, ckpt_every=max(1, a.check_steps // 4))
    r = recipe_check(DynaMix.from_official(official), objective(kw), work/f'check-{len(res)}', cfg=cfg)
    res[key] = {'lever': name, 'kind': 'check', 'steps': a.check_steps, 'before': r['before'], 'after': r['after'],
                'tau1': r['tau1'], 'sigma': r['sigma'], 'kept': r['kept'], 'seconds': round(time.time() - t0)}
    save(); print(key, json.dumps(res[key]), flush=True)
for name in ([] if a.checks_only else SCRATCH):
    key, kw = f'scratch: {name}', LEVERS[name]
    if key in res: continue
    t0 = time.time(); d = work/('scratch-' + ''.join(c if c.isalnum() else '-' for c in name)[:60])
    cfg = DYNAMIX_TRAIN.replace(steps=a.scratch_steps, lr=5e-3, lr_end=1e-4, val_every=1000, ckpt_every=1000)
    m = train(DynaMix(DYNAMIX_PRESETS['dynamix-3d'], seed=0), objective(kw), cfg, d, progress=False)
    vals = [r for r in read_log(d) if 'val' in r]
    best = min(vals, key=lambda r: r['val']['score'])
    res[key] = {'lever': name, 'kind': 'scratch', 'steps': a.scratch_steps, 'best_step': best['step'], 'best': best['val'],
                'last': vals[-1]['val'], 'tau1': m.tau1.abs().item(), 'sigma': m.sigma.abs().tolist(), 'seconds': round(time.time() - t0)}
    save(); print(key, json.dumps(res[key]), flush=True)
