"""dynnb.metrics and dynnb.baselines against straightforward reference implementations, timed side by side in one run.

The references are the official code paths written out plainly: DynaMix-python's `geometrical_misalignment` (dense
torch histogram), `temporal_misalignment` and `MASE` (loops over dimensions), a dense `np.histogramdd` D_stsp on the
Julia grid, dysts 0.96's own functions (`estimate_kl_divergence`, `average_hellinger_distance`, `smape`, `spearman`,
`horizoned_metric`, `max_lyapunov_exponent_rosenstein`, `gp_dim`), and the official context-parroting loop.

    python bench/metrics.py [--repeats 5] [--threads 1]

Prints, for each metric, the median time of dynnb and of the reference (interleaved runs), the ratio reference/dynnb
(> 1: dynnb is faster) and the largest relative difference between the two values."""
import argparse, time

import numpy as np
import torch
from scipy.integrate import solve_ivp
from scipy.ndimage import gaussian_filter1d
from dysts.metrics import estimate_kl_divergence, average_hellinger_distance, smape as dysts_smape, spearman as dysts_spearman, horizoned_metric
from dysts.analysis import max_lyapunov_exponent_rosenstein, gp_dim

from timing import timed   # bench/timing.py
from dynnb import metrics as M
from dynnb.baselines import Parrot

# ---- references: the official code, written out plainly ----
def geometrical_misalignment(x_gen, x_true, n_bins=30):
    "DynaMix-python D_stsp: dense histogram via torch sparse -> dense, smoothing, KL(true||gen)."
    x_gen, x_true = torch.as_tensor(x_gen), torch.as_tensor(x_true)
    lo, hi = x_true.min(0).values, x_true.max(0).values
    def pdf(x):
        c = (n_bins * (x - lo) / (hi - lo)).long()
        c = c[((c > 0) & (c < n_bins)).all(1)]
        h = torch.sparse_coo_tensor(c.t(), torch.ones(len(c), dtype=torch.float64), size=(n_bins,) * x.shape[1]).to_dense()
        return (h + 1e-5) / (h.sum() + 1e-5 * n_bins ** x.shape[1])
    p, q = pdf(x_true), pdf(x_gen)
    return float((p * torch.log(p / q)).sum())

def stsp_julia_dense(x_gen, x_true, n_bins=30):
    "Julia D_stsp with a dense np.histogramdd on the padded grid."
    s = x_true.std(0, ddof=1)
    edges = [np.linspace(l, h, n_bins + 1) for l, h in zip(x_true.min(0) - 0.1 * s, x_true.max(0) + 0.1 * s)]
    ht, hg = np.histogramdd(x_true, edges)[0], np.histogramdd(x_gen, edges)[0]
    p, q = (ht + 1e-5) / (ht.sum() + 1e-5 * ht.size), (hg + 1e-5) / (hg.sum() + 1e-5 * hg.size)
    return float((p * np.log(p / q)).sum())

def temporal_misalignment(x_gen, x_true, smoothing=20):
    "DynaMix-python D_H: one dimension at a time."
    def spec(x):
        t = torch.tensor(x); x = ((t - t.mean()) / t.std()).numpy()
        ps = gaussian_filter1d(np.abs(np.fft.rfft(x))**2 * 2 / len(x), smoothing)
        return ps / ps.sum()
    return float(np.mean([np.sqrt(1 - np.sum(np.sqrt(spec(x_true[:, d]) * spec(x_gen[:, d])))) for d in range(x_true.shape[1])]))

def official_mase(x_gen, x_true, steps=10):
    "DynaMix-python MASE(X_gen, X): scale from the second argument, loop over dimensions."
    out = []
    for d in range(x_true.shape[1]):
        num = np.mean(np.abs(x_true[:steps, d] - x_gen[:steps, d]))
        out.append(num / (np.mean(np.abs(np.diff(x_true[:, d]))) + 1e-8))
    return float(np.mean(out))

def vpt_smape_loop(x_gen, x_true, threshold=30):
    "Cumulative-sMAPE VPT the straightforward way: dysts horizoned_metric (sMAPE of every prefix)."
    curve = np.array(horizoned_metric(x_true, x_gen, dysts_smape))
    over = curve > threshold
    return int(np.argmax(over)) if over.any() else len(curve)

def parrot_official(x, D, H, tau=1):
    "Official context parroting for one channel."
    emb = np.array([x[i:i + D * tau:tau] for i in range(len(x) - (D - 1) * tau)])
    best = np.argmin(np.linalg.norm(emb[:-D * tau] - emb[-1], axis=1)) + (D - 1) * tau + 1
    motif = x[best:-1]
    return np.tile(motif, H // len(motif) + 1)[:H]

# ---- timing ----
def reldiff(a, b):
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1e-300)))

def lorenz(n, dt=0.05, x0=(1., 1., 1.)):
    f = lambda t, u: [10 * (u[1] - u[0]), u[0] * (28 - u[2]) - u[1], u[0] * u[1] - 8 / 3 * u[2]]
    ts = 20 + dt * np.arange(n)
    return solve_ivp(f, (0, ts[-1]), x0, t_eval=ts, rtol=1e-8, atol=1e-8, method='LSODA').y.T

def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--repeats', type=int, default=5); ap.add_argument('--threads', type=int, default=1)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    L = lorenz(22000)
    tgt, gen = L[:10000], L[12000:22000]            # two (10000, 3) stretches of the same attractor
    t32, g32 = tgt.astype(np.float32), gen.astype(np.float32)
    z = (L - L.mean(0)) / L.std(0)
    zt, zg = z[:2000], z[12000:14000]
    ctx = L[:2048]
    cases = [
        ('d_stsp python', '10000x3', lambda: M.d_stsp(gen, tgt, variant='python'), lambda: geometrical_misalignment(gen, tgt)),
        ('d_stsp julia', '10000x3', lambda: M.d_stsp(gen, tgt), lambda: stsp_julia_dense(gen, tgt)),
        ('d_h python (f32)', '10000x3', lambda: M.d_h(g32, t32, variant='python'), lambda: temporal_misalignment(g32, t32)),
        ('d_stsp_gmm s2=1', '2000x3', lambda: M.d_stsp_gmm(zg, zt, n_samples=1000, seed=0), lambda: estimate_kl_divergence(zt, zg, n_samples=1000, sigma_scale=1.0)),
        ('spectral_hellinger', '10000x3', lambda: M.spectral_hellinger(gen, tgt), lambda: average_hellinger_distance(tgt, gen)),
        ('mase', '10000x3', lambda: M.mase(gen, tgt), lambda: official_mase(gen, tgt)),
        ('smape', '10000x3', lambda: M.smape(gen, tgt), lambda: dysts_smape(tgt, gen)),
        ('spearman', '10000x3', lambda: M.spearman(gen, tgt), lambda: dysts_spearman(tgt, gen)),
        ('vpt smape', '1000x3', lambda: M.vpt(gen[:1000], tgt[:1000], method='smape'), lambda: vpt_smape_loop(gen[:1000], tgt[:1000])),
        ('max_lyapunov', '2000x3', lambda: M.max_lyapunov(tgt[:2000], dt=0.05, min_tsep=20), lambda: max_lyapunov_exponent_rosenstein(tgt[:2000], min_tsep=20, trajectory_len=64) / 0.05),
        ('corr_dim mle', '2000x3', lambda: M.corr_dim(tgt[:2000], method='mle'), lambda: gp_dim(tgt[:2000])),
        ('parrot D=5', '2048x3 ->300', lambda: Parrot().forecast(ctx, 300), lambda: np.stack([parrot_official(ctx[:, c], 5, 300) for c in range(3)], 1)),
    ]
    print(f'numpy {np.__version__}, torch {torch.__version__}, {a.threads} torch thread(s), median of {a.repeats} (ms)')
    print(f"{'metric':<20} {'input':<13} {'dynnb':>9} {'reference':>10} {'ref/dynnb':>9}  {'max rel. diff':>13}")
    for name, size, ours, ref in cases:
        (to, tr), _, (vo, vr) = timed([ours, ref], a.repeats)
        print(f'{name:<20} {size:<13} {to * 1e3:>9.2f} {tr * 1e3:>10.2f} {tr / to:>9.1f}  {reldiff(vo, vr):>13.2e}')
    print('(d_stsp_gmm: both Monte Carlo, different random draws; max_lyapunov: same min_tsep; corr_dim: dysts uses both halves of '
          'the distance matrix, dynnb each pair once)')

if __name__ == '__main__':
    main()
