"""Train dynnb's own tiny Panda (about 0.8M parameters: 4 layers of width 128) on training founders only, resumably.

    python scripts/train_panda.py runs/panda-tiny-v0.1 --steps 5000

It uses the founder corpus of `scripts/founder_corpus.py` (the same one as the DynaMix run; pass the DynaMix run's
folder's `corpus.npz` with --corpus to skip integrating it again). Windows of context 512 + horizon 128 are drawn at
15-60 points per period, as random 3-channel subsets, with Panda's augmentations at rate 0.2. Re-running the same command
resumes from the newest checkpoint and ends with the same weights as an uninterrupted run.
"""
import argparse
from pathlib import Path
from dynnb.panda import Panda, PANDA_PRESETS
from dynnb.train import PANDA_TRAIN, PandaObjective, PandaObjectiveConfig, train
from founder_corpus import founder_corpus, write_final

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('out', help='run folder (resumed if it exists)')
p.add_argument('--steps', type=int, default=5000)
p.add_argument('--batch-size', type=int, default=64)
p.add_argument('--seed', type=int, default=0)
p.add_argument('--threads', type=int, default=1)
p.add_argument('--corpus', help='an existing corpus.npz to copy into the run folder instead of integrating one')
p.add_argument('--stop-after', type=int, default=None, help='stop at this step (resumable; the schedule still spans --steps)')
a = p.parse_args()
out = Path(a.out); out.mkdir(parents=True, exist_ok=True)
corpus = founder_corpus(out/'corpus.npz', a.seed, copy_from=a.corpus)
cfg = PANDA_TRAIN.replace(steps=a.steps, batch_size=a.batch_size, seed=a.seed, val_every=0, threads=a.threads)
mc = PANDA_PRESETS['tiny']
model = Panda(mc, seed=a.seed)
train(model, PandaObjective(corpus, mc), cfg, out/'run', stop_after=a.stop_after, progress=False)
write_final(out, model, corpus, cfg, PandaObjectiveConfig(),
            f'python scripts/train_panda.py {a.out} --steps {a.steps} --batch-size {a.batch_size} --seed {a.seed} --threads {a.threads}'
            + (f' --stop-after {a.stop_after}' if a.stop_after else ''))
