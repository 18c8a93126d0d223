"""Panda training-step throughput, measured side by side in one run: windows per second of one optimiser step
(forward, backward, AdamW) of the implementation at the commit where the speed issue was filed (`ISSUE_REV`, read
from git: eager, float32) and of today's default path (eager, float32) against the fast path (bfloat16 autocast and
`torch.compile`, the `TrainConfig(precision='bf16', compile=True)` of `dynnb train`), plus each lever alone, for the
`tiny` (0.8M) and `small` (2.5M) presets; context 512, horizon 128, 3 channels.

    python bench/train_panda.py [--threads 2] [--batch 64] [--repeats 5] [--presets tiny small] [--json bench/results/train_panda.json]

Losses agree: on one fixed batch and identical weights, every path's loss is compared with today's eager float32 one
(bfloat16 keeps 8 significant bits, so agreement to about 1 % is what it can give) and the cosine between their
gradients is reported. The issue-time model is only timed: its head pooled the patches' mean where today's presets
read the last patch, so its loss is a different function (the rest of the architecture and its size are the same). Compilation (about a minute per compiled path) is paid before timing. Steps are interleaved (A B A B ...) within the eager
paths and within the compiled ones, so other load hits them alike, and the eager paths run before anything is compiled
(compiled kernels leave OpenMP threads spinning that slow later eager steps); medians are quoted."""
import argparse, json, os, statistics, subprocess, sys, tempfile, time, types
from pathlib import Path

import torch

import dynnb
from dynnb.core import atomic_write
from dynnb.panda import PANDA_PRESETS, Panda, n_params

ISSUE_REV = 'fe224a6'   # the commit at which the training-speed issue was filed: its dynnb/panda.py is the speed reference

def issue_time_panda(rev: str = ISSUE_REV):
    "The `dynnb.panda` module as it was at `rev`, read from git and loaded beside today's package (it imports today's core and hub, which kept its names)."
    root = Path(dynnb.__file__).parents[1]
    try: src = subprocess.run(['git', '-C', str(root), 'show', f'{rev}:dynnb/panda.py'], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        sys.exit(f'bench/train_panda.py needs the git history of the repository (to run dynnb/panda.py of {rev} as the reference): {e}')
    mod = types.ModuleType('dynnb._panda_issue'); mod.__package__ = 'dynnb'
    sys.modules[mod.__name__] = mod               # dataclasses look their module up there
    exec(compile(src, f'{rev}:dynnb/panda.py', 'exec'), mod.__dict__)
    return mod

def write_results(a, results):
    "The run's settings and result rows into `--json` (atomically), if it was given."
    if a.json:
        with atomic_write(a.json) as f: f.write(json.dumps({'threads': a.threads, 'batch': a.batch, 'repeats': a.repeats,
                                                            'torch': torch.__version__, 'results': results}, indent=1) + '\n')

def issue_time_config(mod, cfg):
    "The same architecture in the issue-time config class (which had no 'last' pooling: its head pooled the patches' mean)."
    fields = {k: v for k, v in cfg.to_dict().items() if k in mod.PandaConfig.__dataclass_fields__}
    if fields.get('pooling_type') not in ('mean', 'max'): fields['pooling_type'] = 'mean'
    return mod.PandaConfig(**fields)

PATHS = {f'issue-time eager fp32 ({ISSUE_REV})': ('fp32', False), 'eager fp32 (today)': ('fp32', False), 'eager bf16': ('bf16', False), 'compiled fp32': ('fp32', True), 'compiled bf16 (fast)': ('bf16', True)}

def make_step(cfg, precision, compiled, x, y, cls=Panda):
    "A fresh model (seed 0) on one path: its loss and flattened gradient on the fixed batch before any step, and a closure running one training step."
    m = cls(cfg, seed=0).train()
    opt = torch.optim.AdamW(m.parameters(), 1e-4)
    fwd = torch.compile(m) if compiled else m
    def loss():
        with torch.autocast('cpu', dtype=torch.bfloat16, enabled=precision == 'bf16'):
            return fwd(x, future_values=y).loss
    l = loss(); l.backward()                  # (compiles the compiled paths)
    grad = torch.cat([p.grad.flatten().float() for p in m.parameters()])
    def step():
        l = loss(); opt.zero_grad(set_to_none=True); l.backward(); opt.step()
        return l.detach()
    return float(l), grad, step

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--threads', type=int, default=2); ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--repeats', type=int, default=5); ap.add_argument('--presets', nargs='+', default=['tiny', 'small'])
    ap.add_argument('--json', help='also write the results to this JSON file')
    a = ap.parse_args()
    if len(a.presets) > 1:   # one process per preset, so that no compiled kernel of one preset runs before the other's eager steps
        results = []
        for name in a.presets:
            with tempfile.TemporaryDirectory() as d:
                subprocess.run([sys.executable, __file__, '--threads', str(a.threads), '--batch', str(a.batch), '--repeats', str(a.repeats),
                                '--presets', name, '--json', f'{d}/r.json'], check=True)
                results += json.loads(Path(f'{d}/r.json').read_text())['results']
        write_results(a, results)
        return
    torch.set_num_threads(a.threads)
    old = issue_time_panda()
    print(f'torch {torch.__version__}, {a.threads} threads, batch {a.batch}, median of {a.repeats}, load average {os.getloadavg()[0]:.1f} at start')
    results = []
    for name in a.presets:
        cfg = PANDA_PRESETS[name]
        g = torch.Generator().manual_seed(0)
        x = torch.randn(a.batch, cfg.context_length, 3, generator=g).cumsum(1) / 10   # smooth-ish series
        y = torch.randn(a.batch, cfg.prediction_length, 3, generator=g)
        # eager paths are built and timed before anything is compiled: the compiled kernels' OpenMP threads keep spinning
        # after each call and would slow the eager steps that follow them in the same process (measured: 7x on `tiny`)
        steps, agree, ref, ts = {}, {}, None, {}
        for group in ([k for k, v in PATHS.items() if not v[1]], [k for k, v in PATHS.items() if v[1]]):
            for label in group:
                prec, comp = PATHS[label]
                if label.startswith('issue-time'):          # speed reference only: its head differs, so its loss is not comparable
                    _, _, steps[label] = make_step(issue_time_config(old, cfg), prec, comp, x, y, old.Panda); agree[label] = (float('nan'),) * 2
                else:
                    l, gr, steps[label] = make_step(cfg, prec, comp, x, y)
                    ref = ref or (l, gr)   # losses and gradients are compared with today's eager float32 path
                    agree[label] = (abs(l - ref[0]) / abs(ref[0]), float(torch.nn.functional.cosine_similarity(gr, ref[1], 0)))
                steps[label]()                              # warm up
            for k in group: ts[k] = []
            for _ in range(a.repeats):
                for k in group:
                    t0 = time.perf_counter(); steps[k](); ts[k].append(time.perf_counter() - t0)
        t_ref, t_today = statistics.median(ts[f'issue-time eager fp32 ({ISSUE_REV})']), statistics.median(ts['eager fp32 (today)'])
        print(f'\n{name}: {n_params(Panda(cfg)) / 1e6:.2f}M parameters')
        print(f"{'path':<32} {'windows/s':>10} {'vs issue':>9} {'vs today':>9} {'loss rel. diff':>15} {'grad cosine':>12}")
        for k in steps:
            t = statistics.median(ts[k])
            print(f'{k:<32} {a.batch / t:>10.1f} {t_ref / t:>8.2f}x {t_today / t:>8.2f}x {agree[k][0]:>15.2e} {agree[k][1]:>12.5f}')
            results.append({'preset': name, 'params': n_params(Panda(cfg)), 'path': k, 'windows_per_s': a.batch / t, 'speedup': t_ref / t,
                            'speedup_vs_today_eager': t_today / t, 'loss_rel_diff': agree[k][0], 'grad_cosine': agree[k][1]})
    print(f'\nload average {os.getloadavg()[0]:.1f} at the end (the machine has {os.cpu_count()} cores)')
    write_results(a, results)

if __name__ == '__main__': main()
