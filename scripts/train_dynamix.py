"""Train dynnb's own DynaMix (released size: M=30, J=10, P=2) on training founders only, resumably.

    python scripts/train_dynamix.py runs/dynamix-v0.1 --steps 15000

The corpus is two on-attractor trajectories of every `train` founder of `founders.json` (default parameters, 4096
samples at 60 points per period after a 1000-sample transient; windows are drawn at 15-60 points per period and
founders with more than 3 dimensions contribute random 3-channel subsets). Re-running the same command resumes from
the newest checkpoint in the run folder and ends with the same weights as an uninterrupted run.

A run can also continue another one with a fresh schedule (`--init` a finished run's `final` folder, `--lr` the new
starting rate) and add a `dynnb generate` dataset of perturbed founders and skew products to the corpus (`--extra`):

    python scripts/train_dynamix.py runs/dynamix-v0.2b --corpus runs/dynamix-v0.1/corpus.npz --init runs/dynamix-v0.1/final \\
        --lr 2e-3 --steps 20000 --extra runs/mutants
"""
import argparse
from pathlib import Path
from dynnb.dynamix import DynaMix, DYNAMIX_PRESETS
from dynnb.train import DYNAMIX_TRAIN, Corpus, DynaMixObjective, DynaMixObjectiveConfig, train
from founder_corpus import founder_corpus, write_final

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('out', help='run folder (resumed if it exists)')
p.add_argument('--steps', type=int, default=15000)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--n-ics', type=int, default=2)
p.add_argument('--corpus', help='an existing corpus.npz to copy into the run folder instead of integrating one')
p.add_argument('--init', help='a DynaMix checkpoint folder whose weights start this run (instead of a fresh initialisation)')
p.add_argument('--lr', type=float, default=DYNAMIX_TRAIN.lr, help='starting learning rate of the exponential decay to 1e-5')
p.add_argument('--extra', help='a `dynnb generate` dataset folder (training founders) added to the founder corpus')
p.add_argument('--stop-after', type=int, default=None, help='stop at this step (resumable; the schedule still spans --steps)')
a = p.parse_args()
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
corpus = founder_corpus(out/'corpus.npz', a.seed, a.n_ics, copy_from=a.corpus)
if a.extra:
    ex = Corpus.load(a.extra)
    corpus = Corpus(corpus.series + ex.series, corpus.systems + ex.systems, corpus.pts_per_period + ex.pts_per_period)
cfg = DYNAMIX_TRAIN.replace(steps=a.steps, seed=a.seed, val_every=0, lr=a.lr)
model = DynaMix.from_pretrained(a.init) if a.init else DynaMix(DYNAMIX_PRESETS['dynamix-3d'], seed=a.seed)
train(model, DynaMixObjective(corpus, DynaMixObjectiveConfig(), model.config.obs_dim), cfg, out / 'run', stop_after=a.stop_after, progress=False)

write_final(out, model, corpus, cfg, DynaMixObjectiveConfig(),
            f'python scripts/train_dynamix.py {a.out} --steps {a.steps} --seed {a.seed} --n-ics {a.n_ics} --lr {a.lr}'
            + (f' --corpus {a.corpus}' if a.corpus else '') + (f' --init {a.init}' if a.init else '') + (f' --extra {a.extra}' if a.extra else '') + (f' --stop-after {a.stop_after}' if a.stop_after else ''))
