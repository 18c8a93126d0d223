"""DynaMix rollout speed: dynnb's fused rollout against a reference with the structure of the official forecaster,
timed side by side in one run.

The reference (`OfficialStyle`) is the authors' Python model written out plainly: ten separate expert modules called
in a Python loop every step, a gating module that draws `torch.randn(N, B)` per step, attends over the precomputed
CNN encoding and runs its two-layer MLP, time-major layouts `(T, B, N)` and a latent `(M, B)`. Both use the released
checkpoint when `../shared/fixtures/dynamix-official` exists (else a randomly initialised model of the same size) and
the same seed, so their first 100 steps must agree to 1e-3.

    python bench/dynamix.py [--repeats 5] [--threads 1]

Prints the median wall time of both for context 2000 / horizon 10000 (one series) and their ratio, then the throughput
per series of batched forecasts, 1 series against 256 series x 1000 steps: a batch runs its series in parallel on
numba's threads (`numba.prange`; NUMBA_NUM_THREADS sets how many), so the 256-series figure should approach the
1-series one times the number of free cores. `--threads` sets torch's threads (the reference and the preprocessing)."""
import argparse, time

import numba
import numpy as np
import torch
from torch import nn

from timing import timed   # bench/timing.py
from dynnb.core import shared_dir
from dynnb.dynamix import DynaMix

FIX, DATA = shared_dir()/'fixtures'/'dynamix-official', shared_dir()/'data'/'dynamix-test-data'

# ---- reference: the official model's structure ----
class Expert(nn.Module):
    def __init__(self, A, W, h, P): super().__init__(); self.A, self.W, self.h, self.P = A, W, h, P
    def forward(self, z):                                    # z (M, B)
        phi = torch.cat([z[:-self.P], torch.relu(z[-self.P:])], 0)
        return self.A[:, None] * z + self.W @ phi + self.h[:, None]

class Gating(nn.Module):
    def __init__(self, m: DynaMix):
        super().__init__()
        self.conv, self.t1, self.D, self.t2, self.sigma = m.conv, m.tau1, m.D, m.tau2, m.sigma
        J, NM = m.W1.shape
        self.mlp1, self.mlp2 = nn.Linear(NM, J), nn.Linear(J, J)
        with torch.no_grad():
            self.mlp1.weight.copy_(m.W1); self.mlp1.bias.zero_(); self.mlp2.weight.copy_(m.W2); self.mlp2.bias.zero_()
    def precompute_cnn(self, context):                       # (T, B, N) -> (T-1, B, N)
        return self.conv(context.permute(1, 2, 0)).permute(2, 0, 1)
    def forward(self, context, z, emb):
        N, B = self.D.shape[0], z.shape[1]
        q = self.D @ z + self.sigma[:, None] * torch.randn(N, B)
        d = (context[:-1] - q.T[None]).abs().sum(-1)          # (T-1, B)
        att = torch.softmax(-d / self.t1.abs(), 0)
        u = (att[..., None] * emb).sum(0)                     # (B, N)
        x = torch.relu(self.mlp1(torch.cat([u, z.T], 1)))
        return torch.softmax(-self.mlp2(x) / self.t2.abs(), 1)  # (B, J)

class OfficialStyle(nn.Module):
    def __init__(self, m: DynaMix):
        super().__init__()
        c = m.config
        self.N, self.experts, self.gating = c.obs_dim, nn.ModuleList(Expert(m.A[j], m.W[j], m.h[j], c.n_relu) for j in range(c.n_experts)), Gating(m)
        self.B = torch.cat([torch.eye(c.obs_dim), m.L.T], 1)
    @torch.no_grad()
    def forecast(self, context, H, seed):                    # context (T, N) numpy
        torch.manual_seed(seed)
        x = torch.from_numpy(context)[:, None]                # (T, 1, N)
        mu, sd = x.mean(0, keepdim=True), x.std(0, keepdim=True).clamp_min(1e-6)
        c = (x - mu) / sd
        emb = self.gating.precompute_cnn(c)
        z = self.B.T @ c[-1].T; z[:self.N] = c[-1].T            # (M, B)
        out = []
        for _ in range(H):
            w = self.gating(c, z, emb)
            z = (torch.stack([e(z) for e in self.experts], -1) * w[None]).sum(-1)
            out.append(z[:self.N].T.clone())
        return (torch.stack(out) * sd + mu)[:, 0].numpy()

if __name__ == '__main__':
    ap = argparse.ArgumentParser(); ap.add_argument('--repeats', type=int, default=5); ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args(); torch.set_num_threads(a.threads)
    if FIX.exists(): model, src = DynaMix.from_official(FIX), 'official dynamix-3d-alrnn-v1.0'
    else: model, src = DynaMix(seed=0), 'randomly initialised DynaMix (M=30, J=10)'
    if (DATA/'lorenz63.npy').exists(): traj = np.load(DATA/'lorenz63.npy').astype(np.float32)
    else:
        from dysts.flows import Lorenz
        traj = Lorenz().make_trajectory(2600, dt=0.015, resample=False, method='RK45')[500:].astype(np.float32)
    ctx = traj[:2000]
    Bn, Hb = 256, 1000
    stride = (len(traj) - 2000) // Bn
    batch = np.stack([traj[i * stride:i * stride + 2000] for i in range(Bn)]) if stride > 0 else np.stack([ctx] * Bn)
    ref = OfficialStyle(model)
    model.forecast(ctx, 10, seed=0); model.forecast(batch[:2], 10, seed=0); ref.forecast(ctx, 10, seed=0)   # warm up (numba compiles or loads its cache)
    e100 = np.abs(model.forecast(ctx, 100, seed=0) - ref.forecast(ctx, 100, seed=0)).max()
    print(f'model: {src}; threads: {a.threads}; first 100 steps, same seed: max |dynnb - reference| = {e100:.2e}')
    assert e100 < 1e-3
    H = 10000
    (md,), (tsd,), _ = timed([lambda: model.forecast(ctx, H, seed=0)], a.repeats, warmup=False)
    (mr,), (tsr,), _ = timed([lambda: ref.forecast(ctx, H, seed=0)], max(1, min(a.repeats, 3)), warmup=False)
    print(f'context 2000, horizon {H}, 1 series: dynnb {md:.3f} s ({md / H * 1e6:.1f} µs/step), '
          f'reference {mr:.3f} s ({mr / H * 1e6:.0f} µs/step); reference/dynnb = {mr / md:.1f}x')
    (m1,), _, _ = timed([lambda: model.forecast(batch[0], Hb, seed=0)], a.repeats, warmup=False)
    (mb,), _, _ = timed([lambda: model.forecast(batch, Hb, seed=0)], max(1, a.repeats // 2), warmup=False)
    print(f'throughput per series, {Hb} steps (context 2000), numba threads {numba.get_num_threads()} ({numba.threading_layer()}): '
          f'B=1 {Hb / m1:,.0f} steps/s ({m1 / Hb * 1e6:.1f} µs/step); B={Bn} {Bn * Hb / mb:,.0f} series-steps/s '
          f'({mb / (Bn * Hb) * 1e6:.1f} µs per series-step, {mb:.2f} s in all); B={Bn}/B=1 = {Bn * m1 / mb:.2f}x per series')
    def ref_batch():
        return [ref.forecast(batch[i], Hb, seed=0) for i in range(4)]
    (mrb,), _, _ = timed([ref_batch], 1, warmup=False)
    print(f'reference, 4 of those series one by one: {mrb:.2f} s = {4 * Hb / mrb:,.0f} series-steps/s')
