"""DynaMix training-step speed: the fused BPTT of `dynnb.bptt` against the PyTorch autograd loop (the implementation it
replaces), timed side by side in one run, on one thread unless `--threads` says more.

    python bench/train_dynamix.py [--repeats 5] [--run 3] [--batches 16 256] [--threads 1 2] [--json bench/results/train_dynamix.json]

One step is what `dynnb.train.train` does per optimiser step: draw nothing (a fixed batch), forward, loss, backward.
The model has the released size (M=30, J=10, P=2), the batch the training shapes (context 512, 99 observations,
teacher forcing every 10 steps). `--threads` runs the timing once per thread count, torch's, numba's and OpenBLAS's alike (the fused
kernels share a batch's series out over numba's threads; autograd gets the same threads for its operations). Before
timing, both paths compute loss and gradients of one fixed batch in float64, where they must agree to 1e-5 relative
(they agree to rounding); the float32 difference is printed too. The paths alternate, each repeat timing a run of
`--run` consecutive steps of one path (a training loop makes its steps back to back; a 10x slower autograd step just
before a fused one evicts the fused path's work arrays from the cache, which no training run sees). Reported: median
milliseconds per sequence over all timed steps, sequences per second and the ratio, per batch size, and the speed-up of each fused batch size
over the autograd loop at batch 16 (the training batch of the release)."""
import argparse, json, statistics, time
from pathlib import Path
import numba, torch
from threadpoolctl import threadpool_limits
from dynnb.core import atomic_write
from dynnb.dynamix import DynaMix, DYNAMIX_PRESETS
from dynnb.data import limit_cycles
from dynnb.train import DynaMixObjective, DynaMixObjectiveConfig

p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--repeats', type=int, default=5)
p.add_argument('--run', type=int, default=3, help='consecutive steps of one path per repeat')
p.add_argument('--json', help='also write the results to this JSON file')
p.add_argument('--batches', type=int, nargs='+', default=[16, 256])
p.add_argument('--threads', type=int, nargs='+', default=[1])
a = p.parse_args()
if min(a.threads) < 1 or max(a.threads) > numba.config.NUMBA_NUM_THREADS: p.error(f'--threads must lie in 1..{numba.config.NUMBA_NUM_THREADS} (the CPUs numba sees)')
torch.set_num_threads(1)
corpus = limit_cycles(8, length=2048, seed=0)

def batch(n, dtype=torch.float32):
    b = DynaMixObjective(corpus, DynaMixObjectiveConfig()).sample(n, torch.Generator().manual_seed(0))
    return {k: v.to(dtype) for k, v in b.items()}

def grads(model, b, fused, loss='mse'):
    obj = DynaMixObjective(corpus, DynaMixObjectiveConfig(fused=fused, loss=loss, tau1=None, sigma=None))
    model.zero_grad(set_to_none=True)
    l, _ = obj.loss(model, b); l.backward()
    return float(l.detach()), {k: v.grad.clone() for k, v in model.named_parameters()}

for dt, tol in ((torch.float64, 1e-5), (torch.float32, None)):
    m = DynaMix(DYNAMIX_PRESETS['dynamix-3d'], seed=0).to(dt)
    with torch.no_grad(): m.tau1.fill_(0.059); m.W.normal_(0, 0.05)   # a sharp gate, as trained models have, and non-trivial experts
    b = batch(16, dt)
    (l0, g0), (l1, g1) = grads(m, b, False), grads(m, b, True)
    rel = max(float((g1[k] - g0[k]).norm() / g0[k].norm()) for k in g0)
    print(f'{str(dt):14s} loss {l0:.10g} (autograd) vs {l1:.10g} (fused): relative {abs(l1 - l0) / abs(l0):.1e}; largest relative gradient difference {rel:.1e}')
    if tol is not None: assert abs(l1 - l0) <= tol * abs(l0) and rel <= tol, 'fused BPTT disagrees with the autograd loop'

m = DynaMix(DYNAMIX_PRESETS['dynamix-3d'], seed=0)
rows = []
for nt in a.threads:
    torch.set_num_threads(nt); numba.set_num_threads(nt); threadpool_limits(nt, user_api='blas')   # NumPy's and SciPy's OpenBLAS too
    res = {}
    for B in a.batches:
        b = batch(B); ts = {False: [], True: []}
        for fused in (False, True): grads(m, b, fused)          # warm-up (numba compiles on first use)
        for _ in range(a.repeats):
            for fused in (False, True):       # a run of consecutive steps per path, as a training loop makes them
                for _ in range(a.run):
                    t0 = time.perf_counter(); grads(m, b, fused); ts[fused].append((time.perf_counter() - t0) / B)
        res[B] = {k: statistics.median(v) for k, v in ts.items()}
        r = res[B]
        rows.append({'threads': nt, 'batch': B, 'autograd_ms_per_seq': r[False] * 1e3, 'fused_ms_per_seq': r[True] * 1e3,
                     'speedup': r[False] / r[True]})
        print(f'{nt} thread(s), batch {B:4d}: autograd {r[False] * 1e3:7.3f} ms/seq ({1 / r[False]:7.1f} seq/s), '
              f'fused {r[True] * 1e3:7.3f} ms/seq ({1 / r[True]:7.1f} seq/s): {r[False] / r[True]:.1f}x')
    if 16 in res:
        for B in res: print(f'{nt} thread(s): fused at batch {B} vs autograd at batch 16: {res[16][False] / res[B][True]:.1f}x sequences per second')
    for row in rows:
        if row['threads'] == nt and 16 in res: row['speedup_vs_autograd_batch16'] = res[16][False] / res[row['batch']][True]
if a.json:
    with atomic_write(a.json) as f: f.write(json.dumps({'repeats': a.repeats, 'run': a.run, 'torch': torch.__version__,
                                                        'numba': numba.__version__, 'results': rows}, indent=1) + '\n')
