"""Corpus generation speed: `dynnb.data.generate` writing N accepted trajectories (half perturbed founders, half skew
products, training founders only) on this machine, with the acceptance rate per filter.

    python bench/corpus.py --n 1000 --n-jobs 2

The issue's target is 1000 trajectories of 4096 steps in under 5 minutes on a 2-core machine. The reference is the
same work done the way the Panda scripts do it: dysts' `make_trajectory` (Radau) per trajectory; that is far too slow
to run for the whole corpus, so it is timed on `--ref-n` candidates of the same corpus and extrapolated per accepted
trajectory (stated as such in the output).
"""
import argparse, json, shutil, tempfile, time, warnings
from pathlib import Path
import numpy as np
from dynnb.data import GenerateConfig, generate, Dataset, dataset_stats

warnings.filterwarnings('ignore')
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--n', type=int, default=1000)
p.add_argument('--n-jobs', type=int, default=2)
p.add_argument('--shard-size', type=int, default=100)
p.add_argument('--per-system', type=int, default=GenerateConfig.per_system)
p.add_argument('--param-scale', type=float, default=GenerateConfig.param_scale)
p.add_argument('--ref-n', type=int, default=4, help='accepted trajectories to re-integrate with dysts make_trajectory (0: skip)')
p.add_argument('--out', help='keep the dataset here (default: a temporary folder)')
a = p.parse_args()

cfg = GenerateConfig(n=a.n, shard_size=a.shard_size, per_system=a.per_system, param_scale=a.param_scale)
out = Path(a.out) if a.out else Path(tempfile.mkdtemp()) / 'corpus'
t0 = time.time(); generate(cfg, out, n_jobs=a.n_jobs, progress=False); wall = time.time() - t0
ds = Dataset(out); st = dataset_stats(ds)
kinds = [e['kind'] for e in ds.manifest]
print(f'dynnb generate: {len(ds)} accepted trajectories of {ds[0].shape[0]} steps in {wall:.1f} s wall with {a.n_jobs} processes '
      f'({wall / len(ds) * 1e3:.0f} ms per accepted trajectory); kinds {dict(zip(*np.unique(kinds, return_counts=True)))}; '
      f'{len(set(e["system"] for e in ds.manifest))} distinct systems from {len(set(f for e in ds.manifest for f in e["founders"]))} founders')
print('rejections per reason (first failed check) and acceptance:', json.dumps(st))
if a.ref_n:
    from dynnb.systems import load_system
    ts = []
    for e in [e for e in ds.manifest if e['kind'] == 'mutant'][:a.ref_n]:
        s = load_system(e['founders'][0]); s.params = {k: np.asarray(v) if np.ndim(v) else v for k, v in e['params'][0].items()}
        s.ic = np.asarray(e['ic'])
        t = time.time(); s.make_trajectory(cfg.length + cfg.n_transient, pts_per_period=cfg.pts_per_period); ts.append(time.time() - t)
    per = np.median(ts)
    print(f'reference: dysts make_trajectory (Radau, no filters, no IC search) on {len(ts)} accepted mutants: median {per:.1f} s per trajectory; '
          f'at the measured acceptance rate that is ≈ {per / st["acceptance_rate"] * a.n / 60:.0f} min for {a.n} accepted on one core '
          f'(extrapolated), vs {wall / 60:.1f} min measured for dynnb')
if not a.out: shutil.rmtree(out.parent)
