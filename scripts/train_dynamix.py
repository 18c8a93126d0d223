"""Train dynnb's own DynaMix (released size: M=30, J=10, P=2) on training founders only, resumably.

    python scripts/train_dynamix.py runs/dynamix-v0.1 --steps 15000

The corpus is two on-attractor trajectories of every `train` founder of `founders.json` (default parameters, 4096
samples at 60 points per period after a 1000-sample transient; windows are drawn at 15-60 points per period and
founders with more than 3 dimensions contribute random 3-channel subsets). Re-running the same command resumes from
the newest checkpoint in the run folder and ends with the same weights as an uninterrupted run.
"""
import argparse, sys, time
from pathlib import Path
import numpy as np, torch
from dynnb.core import founders, atomic_write
from dynnb.dynamix import DynaMix, DYNAMIX_PRESETS
from dynnb.train import DYNAMIX_TRAIN, DynaMixObjective, DynaMixObjectiveConfig, Corpus, integrate_corpus, train

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('out', help='run folder (resumed if it exists)')
p.add_argument('--steps', type=int, default=15000)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--n-ics', type=int, default=2)
p.add_argument('--stop-after', type=int, default=None, help='stop at this step (resumable; the schedule still spans --steps)')
a = p.parse_args()
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
cache = out/'corpus.npz'
if cache.exists():
    z = np.load(cache, allow_pickle=False)
    corpus = Corpus([z[f's{i}'] for i in range(int(z['n']))], list(z['systems']), list(z['rates']))
else:
    t0 = time.time()
    names = [s for s in founders()['train']]
    series, systems = [], []
    for k, s in enumerate(names):
        try: c = integrate_corpus([s], n_ics=a.n_ics, seed=[a.seed, k])
        except Exception as e: print(f'skip {s}: {e}', file=sys.stderr); continue
        series += c.series; systems += c.systems
    corpus = Corpus(series, systems, [60.] * len(series))
    with atomic_write(cache, 'wb') as f: np.savez(f, n=len(series), systems=np.array(systems), rates=np.array([60.] * len(series)), **{f's{i}': x for i, x in enumerate(corpus.series)})
    print(f'corpus: {corpus} in {time.time() - t0:.0f} s', flush=True)
cfg = DYNAMIX_TRAIN.replace(steps=a.steps, seed=a.seed, val_every=0)
model = DynaMix(DYNAMIX_PRESETS['dynamix-3d'], seed=a.seed)
train(model, DynaMixObjective(corpus, DynaMixObjectiveConfig(), model.config.obs_dim), cfg, out / 'run', stop_after=a.stop_after, progress=False)

# The final model in the dynnb checkpoint format, with what produced it; copy `final/` to dynnb/assets/<name>/ to bundle it.
import json, platform
from dynnb.train import read_log
final = model.save_pretrained(out/'final')
log = read_log(out/'run')
tail = [r['loss'] for r in log if 'loss' in r][-10:]
summary = dict(command=f'python scripts/train_dynamix.py {a.out} --steps {a.steps} --seed {a.seed} --n-ics {a.n_ics}' + (f' --stop-after {a.stop_after}' if a.stop_after else ''),
               steps=log[-1]['step'], final_loss_mean_last10=float(np.mean(tail)), first_loss=log[0]['loss'],
               train_seconds=log[-1]['elapsed'], corpus=repr(corpus), founders='train split of dynnb/assets/founders.json only',
               train_config=cfg.to_dict(), objective=DynaMixObjectiveConfig().to_dict(),
               machine=f'{platform.machine()} CPU, torch {torch.__version__}, 1 thread')
with atomic_write(final/'training_summary.json') as f: f.write(json.dumps(summary, indent=2))
print(json.dumps(summary, indent=2))
