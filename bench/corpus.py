"""Corpus generation speed: `dynnb.data.generate` writing N accepted trajectories (half perturbed founders, half skew
products, training founders only) on this machine, with the acceptance rate per filter.

    python bench/corpus.py --n 1000 --n-jobs 2

The issue's target is 1000 trajectories of 4096 steps in under 5 minutes on a 2-core machine. The reference is the
same work done the way the Panda scripts do it: dysts' `make_trajectory` (Radau) per trajectory; that is far too slow
to run for the whole corpus, so it is timed on `--ref-n` candidates of the same corpus and extrapolated per accepted
trajectory (stated as such in the output).

With `--scheduler` the same corpus is also generated on a Dask cluster, and both wall times are reported side by side
(medians over `--repeat` runs of each, interleaved), with a byte-for-byte comparison of the two datasets:

    python bench/corpus.py --n 1000 --n-jobs 2 --scheduler local --ref-n 0      # a 2-worker LocalCluster on 127.0.0.1
    python bench/corpus.py --n 1000 --scheduler tcp://HOST:8786 --ref-n 0       # an existing cluster

`local` starts a LocalCluster of `--n-jobs` single-threaded worker processes here (its start-up is reported
separately and not counted), and the founder-pool check that the first `generate` of a process makes is done once
beforehand (also reported, not counted), so that neither path pays it for the other: here for the local path,
whose forked processes inherit its results (dynnb imported, every founder's right-hand side compiled by numba), and
on every Dask worker. With `--cold` the workers are not warmed, and the Dask time includes their first imports and
compilations (a once-per-worker cost of a fresh cluster). The Dask time is `generate(..., scheduler=...)` from
connecting to the last shard written.
"""
import argparse, json, shutil, statistics, tempfile, time, warnings
from pathlib import Path
import numpy as np
from dynnb.data import GenerateConfig, generate, Dataset, dataset_stats, _pool

warnings.filterwarnings('ignore')

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--n', type=int, default=1000)
    p.add_argument('--n-jobs', type=int, default=2)
    p.add_argument('--shard-size', type=int, default=100)
    p.add_argument('--per-system', type=int, default=GenerateConfig.per_system)
    p.add_argument('--param-scale', type=float, default=GenerateConfig.param_scale)
    p.add_argument('--ref-n', type=int, default=4, help='accepted trajectories to re-integrate with dysts make_trajectory (0: skip)')
    p.add_argument('--out', help='keep the dataset here (default: a temporary folder)')
    p.add_argument('--scheduler', help="also generate on a Dask cluster and compare: an address (tcp://HOST:8786), or 'local' for a "
                                       "LocalCluster of --n-jobs single-threaded worker processes on 127.0.0.1")
    p.add_argument('--repeat', type=int, default=1, help='runs of each path (interleaved); medians are reported')
    p.add_argument('--cold', action='store_true', help='do not warm the Dask workers first (they then compile the right-hand sides they meet inside the timed run)')
    a = p.parse_args()

    cfg = GenerateConfig(n=a.n, shard_size=a.shard_size, per_system=a.per_system, param_scale=a.param_scale)
    out = Path(a.out) if a.out else Path(tempfile.mkdtemp()) / 'corpus'
    cluster, scheduler = None, a.scheduler
    if scheduler:   # warm this process first, so that neither timed path pays for it: the founder pool (each founder's vectorisation test)
        t = time.time(); pool = _pool(cfg)
        print(f'founder pool: {len(pool)} founders checked in {time.time() - t:.1f} s, once per process (not counted)')
    if a.scheduler == 'local':
        from distributed import LocalCluster
        t = time.time()
        cluster = LocalCluster(n_workers=a.n_jobs, threads_per_worker=1, processes=True, host='127.0.0.1', dashboard_address=None)
        scheduler = cluster.scheduler_address
        print(f'LocalCluster of {a.n_jobs} single-threaded worker processes at {scheduler} started in {time.time() - t:.1f} s (not counted)')
    if scheduler and not a.cold:   # the same warm-up on every worker: the local path's forked processes inherit it from this one
        from distributed import Client
        with Client(scheduler, timeout=10) as c:
            t = time.time(); c.run(_pool, cfg)
            print(f'{len(c.nthreads())} Dask workers warmed (the founder pool check, which compiles every founder\'s right-hand side) in '
                  f'{time.time() - t:.1f} s (not counted; --cold skips it)')
    times = dict(local=[], dask=[])
    for r in range(a.repeat):
        d = out if r == 0 else out.parent / f'{out.name}-local-{r}'
        t0 = time.time(); generate(cfg, d, n_jobs=a.n_jobs, progress=False); times['local'].append(time.time() - t0)
        if r: shutil.rmtree(d)
        if scheduler:
            d = out.parent / f'{out.name}-dask-{r}'
            t0 = time.time(); generate(cfg, d, scheduler=scheduler, progress=False); times['dask'].append(time.time() - t0)
            same = sorted(p.name for p in d.iterdir()) == sorted(p.name for p in out.iterdir()) and \
                   all((d / p.name).read_bytes() == p.read_bytes() for p in out.iterdir())
            if not same: raise SystemExit(f'the Dask dataset {d} differs from the local one {out}')
            shutil.rmtree(d)
    if cluster is not None: cluster.close()
    wall = statistics.median(times['local'])
    ds = Dataset(out); st = dataset_stats(ds)
    kinds = [e['kind'] for e in ds.manifest]
    print(f'dynnb generate: {len(ds)} accepted trajectories of {ds[0].shape[0]} steps in {wall:.1f} s wall with {a.n_jobs} processes '
          f'({wall / len(ds) * 1e3:.0f} ms per accepted trajectory); kinds {dict(zip(*np.unique(kinds, return_counts=True)))}; '
          f'{len(set(e["system"] for e in ds.manifest))} distinct systems from {len(set(f for e in ds.manifest for f in e["founders"]))} founders')
    print('rejections per reason (first failed check) and acceptance:', json.dumps(st))
    if scheduler:
        dw = statistics.median(times['dask'])
        print(f'local ({a.n_jobs} processes) vs Dask ({scheduler}): {wall:.1f} s vs {dw:.1f} s wall, ratio {dw / wall:.2f} '
              f'(median of {a.repeat}; local runs {[round(t, 1) for t in times["local"]]}, Dask runs {[round(t, 1) for t in times["dask"]]}); '
              'the two datasets are byte-identical')
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


if __name__ == '__main__':   # the LocalCluster's worker processes import this file: they must not run it
    main()
