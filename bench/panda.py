"""Panda throughput, measured side by side in one run:
forward passes (windows per second, context 512, 3 channels) with the fused attention kernel (the default) against the
explicit path that materialises every attention map (`output_attentions=True`), for the tiny and the released-size
(21M) presets, plus the tiny model at context 4096 (where growing-context rollouts go); and a 2048-step sliding-context rollout (16 head calls of 128 steps).

    python bench/panda.py [--device cpu] [--threads 2] [--repeats 5] [--batch 16] [--presets tiny panda-21m]

Weights are random (timing does not depend on them). Prints medians and the ratio of the explicit path's time to the fast path's (> 1: the fast path is faster)."""
import argparse, os, time

import torch

from timing import timed   # bench/timing.py
from dynnb.panda import PANDA_PRESETS, Panda, n_params

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--device', default='cpu'); ap.add_argument('--threads', type=int, default=2)
    ap.add_argument('--repeats', type=int, default=5); ap.add_argument('--batch', type=int, default=16)
    ap.add_argument('--rollout-batch', type=int, default=4); ap.add_argument('--presets', nargs='+', default=['tiny', 'panda-21m'])
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    dev = torch.device(a.device)
    sync = torch.cuda.synchronize if dev.type == 'cuda' else (lambda: None)
    print(f'torch {torch.__version__}, device {dev}' + (f' ({torch.cuda.get_device_name(dev)})' if dev.type == 'cuda' else f', {a.threads} threads')
          + f', median of {a.repeats}, load average {os.getloadavg()[0]:.1f} at start')
    print(f"{'preset':<11} {'params':>7} | {'fwd fast (win/s)':>16} {'fwd attn-maps (win/s)':>21} {'maps/fast':>9} | {'rollout 2048 (s)':>16} {'steps/s per series':>18}")
    for name in a.presets:
        cfg = PANDA_PRESETS[name]
        m = Panda(cfg, seed=0).to(dev).eval()
        x = torch.randn(a.batch, 512, 3, device=dev)
        with torch.no_grad():
            (t_fast, t_maps), _, _ = timed([lambda: m(x), lambda: m(x, output_attentions=True)], a.repeats, sync)
        xr = torch.randn(a.rollout_batch, 512, 3, device=dev)
        (t_roll,), _, _ = timed([lambda: m.forecast(xr, 2048)], max(1, a.repeats // 2), sync, warmup=False)   # the forward passes above warmed up
        print(f'{name:<11} {n_params(m)/1e6:>6.2f}M | {a.batch/t_fast:>16.1f} {a.batch/t_maps:>21.1f} {t_maps/t_fast:>8.2f}x | '
              f'{t_roll:>16.2f} {2048/t_roll:>18.0f}   (rollout batch {a.rollout_batch})')
    m = Panda(PANDA_PRESETS['tiny'], seed=0).to(dev).eval()   # the growing-context regime: 4096 steps = 256 patches
    x = torch.randn(4, 4096, 3, device=dev)
    with torch.no_grad(): (t_fast, t_maps), _, _ = timed([lambda: m(x), lambda: m(x, output_attentions=True)], a.repeats, sync)
    print(f"{'tiny, context 4096':<19} | {4/t_fast:>16.1f} {4/t_maps:>21.1f} {t_maps/t_fast:>8.2f}x | (batch 4)")
    print(f'load average {os.getloadavg()[0]:.1f} at the end (the machine has {os.cpu_count()} cores)')

if __name__ == '__main__': main()
