"""Which Panda recipe lever makes a small model continue its context: short runs of the `tiny` preset that differ in one
lever at a time (the head's pooling, the loss), at equal compute and seed, scored on what goes wrong first.

    python bench/panda_recipe.py [--steps 600] [--batch 32] [--data runs/mutants] [--founders runs/panda-v02/founders.npz] [--threads 2] [--json bench/results/panda_recipe.json]

Training data: the dataset folders of --data (e.g. a `dynnb generate` corpus of perturbed founders and skew products),
two trajectories per training founder (cached at --founders) and 100 synthetic limit cycles, as in the bundled Panda's
run. Each run: AdamW, lr 1e-3 cosine with 10 % warm-up, bfloat16 autocast and `torch.compile`, --threads threads. Scores:
- the 128-step RMSE (in units of the context's std) on three pure sinusoids (periods 30, 30 and 45 steps, context 512),
  which context parroting continues exactly;
- the absolute error of the first forecast step on them (the model's grip on where the context ends);
- median sMAPE over the first 128 steps (a 16-step head reaches them by rolling out 8 calls) of 48 windows of training founders' other initial conditions (30 points per
  period; the validation set of `dynnb train --val-founders 24`, never a held-out founder)."""
import argparse, json, tempfile, time
from pathlib import Path

import numpy as np
import torch

from dynnb.data import Corpus, founder_corpus, join, limit_cycles, validation_corpus, validation_founders
from dynnb.panda import PANDA_PRESETS, Panda
from dynnb.train import PANDA_TRAIN, ForecastValidation, PandaObjective, PandaObjectiveConfig, train

VARIANTS = {   # name: (model overrides, objective overrides)
    'official: mean pooling, batch MSE': ({'pooling_type': 'mean'}, {'loss': 'mse'}),
    'mean pooling, per-window log-MSE': ({'pooling_type': 'mean'}, {'loss': 'log_mse'}),
    'last patch, batch MSE': ({'pooling_type': 'last'}, {'loss': 'mse'}),
    'last patch, per-window log-MSE': ({'pooling_type': 'last'}, {'loss': 'log_mse'}),
    'last patch, log-MSE, 16-step head': ({'pooling_type': 'last', 'prediction_length': 16}, {'loss': 'log_mse'}),
}

def sinusoids(context=512, horizon=128) -> np.ndarray:
    t = np.arange(context + horizon)
    return np.stack([np.sin(2 * np.pi * t / 30), np.cos(2 * np.pi * t / 30), np.sin(2 * np.pi * t / 45)], 1)[None].astype(np.float32)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--steps', type=int, default=600); ap.add_argument('--batch', type=int, default=32)
    ap.add_argument('--data', nargs='*', default=['runs/mutants']); ap.add_argument('--founders', default='runs/panda-v02/founders.npz')
    ap.add_argument('--val', default='runs/panda-v02/validation.npz'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--only', nargs='+', choices=list(VARIANTS), help='run only these variants (rows of other variants already in --json are kept)')
    ap.add_argument('--json')
    a = ap.parse_args()
    corpus = join(*(Corpus.load(d) for d in a.data), founder_corpus(a.founders, n_ics=2, seed=0), limit_cycles(100, seed=0))
    val = ForecastValidation(validation_corpus(validation_founders(24), a.val, length=512 + 512), 512, horizon=128, n=48)
    x = sinusoids()
    rows = []
    for name, (mo, oo) in VARIANTS.items():
        if a.only and name not in a.only: continue
        mc = PANDA_PRESETS['tiny'].replace(**mo)
        cfg = PANDA_TRAIN.replace(steps=a.steps, batch_size=a.batch, lr=1e-3, val_every=0, threads=a.threads, precision='bf16', compile=True,
                                  ckpt_every=a.steps, log_every=50)
        m = Panda(mc, seed=0)
        t0 = time.time()
        with tempfile.TemporaryDirectory() as d: train(m, PandaObjective(corpus, mc, PandaObjectiveConfig(**oo)), cfg, d, progress=False)
        secs = time.time() - t0
        m.eval()
        p = m.forecast(x[:, :512], 128)
        rmse = np.sqrt(((p - x[:, 512:]) ** 2).mean(1)) / x[:, :512].std(1)
        v = val(m)
        rows.append({'variant': name, 'sine_rmse': rmse[0].round(3).tolist(), 'first_step_error': float(np.abs(p[:, 0] - x[:, 512]).mean()),
                     'val_smape128': v['smape'], 'seconds': round(secs)})
        print(json.dumps(rows[-1]), flush=True)
    if a.json:
        old = json.loads(Path(a.json).read_text())['rows'] if a.only and Path(a.json).is_file() else []
        done = {r['variant'] for r in rows}
        rows = sorted([r for r in old if r['variant'] not in done] + rows, key=lambda r: list(VARIANTS).index(r['variant']))
        Path(a.json).write_text(json.dumps({'steps': a.steps, 'batch': a.batch, 'data': a.data, 'rows': rows}, indent=1) + '\n')

if __name__ == '__main__': main()
