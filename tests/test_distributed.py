"""`dynnb generate` and `dynnb evaluate` on a Dask cluster: a real two-process `LocalCluster` on 127.0.0.1 writes the
same dataset, byte for byte, as the local path (also when a worker is killed mid-shard and its Nanny restarts it, and
when a run resumes), and `evaluate` makes the same table. A missing Dask and a dead address fail in one line."""
import contextlib, io, os, signal, sys, threading, time
from pathlib import Path
import numpy as np, pytest
from dynnb.core import InputError
from dynnb.data import GenerateConfig, IntegrationSettings, Dataset, generate, shard_done

CFG = GenerateConfig(n=10, shard_size=2, per_system=4, founders=('Rossler', 'Aizawa', 'Thomas', 'Sakarya'), seed=5,
                     integration=IntegrationSettings(length=512, n_transient=32, pts_per_period=32, rtol=1e-6, atol=1e-8,
                                                     filters=('bounded', 'not_fixed_point')))

def files(d: Path) -> dict:
    "Every file of a dataset folder, name -> bytes."
    return {p.name: p.read_bytes() for p in sorted(Path(d).iterdir())}

def cli(*args):
    "`dynnb *args` in this process: (exit status, stdout, stderr)."
    from dynnb.cli import main
    o, e = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(o), contextlib.redirect_stderr(e): rc = main([str(v) for v in args])
    return rc, o.getvalue(), e.getvalue()

@pytest.fixture(scope='module')
def cluster():
    distributed = pytest.importorskip('distributed', reason='Dask is not installed: pip install "dynnb[distributed]"')
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host='127.0.0.1',
                                  dashboard_address=None) as c:
        yield c

@pytest.fixture(scope='module')
def local(tmp_path_factory):
    "The dataset of `CFG` made by the local path."
    return generate(CFG, tmp_path_factory.mktemp('local') / 'ds', progress=False)

def test_same_bytes_and_resume(cluster, local, tmp_path):
    out = generate(CFG, tmp_path / 'dask', scheduler=cluster.scheduler_address, progress=False)   # an address
    assert files(out) == files(local)
    part = tmp_path / 'part'                                    # an interrupted run: shards 0, 2, 4 only
    generate(CFG, part, worker=0, n_workers=2, progress=False)
    (part / 'shard-00002.json').unlink()                        # and one half-written shard
    done = {s: (part / f'shard-{s:05d}.parquet').stat().st_mtime_ns for s in (0, 4)}
    from distributed import Client
    with Client(cluster, set_as_default=False) as client:       # a Client, used as it is and left open
        generate(CFG, part, scheduler=client, progress=False)
        assert client.status == 'running'
    assert files(part) == files(local)
    assert all((part / f'shard-{s:05d}.parquet').stat().st_mtime_ns == t for s, t in done.items())   # finished shards kept

def test_killed_worker(cluster, local, tmp_path):
    from distributed import Client
    out, err = tmp_path / 'killed', []
    def run():
        try: generate(CFG, out, scheduler=cluster.scheduler_address, progress=False)
        except BaseException as e: err.append(e)
    with Client(cluster, set_as_default=False) as client:
        before = set(client.run(os.getpid).values())
        t = threading.Thread(target=run); t.start()
        victim, t0 = None, time.time()
        while victim is None and t.is_alive() and time.time() - t0 < 120:
            if shard_done(out, 0):                               # workers warm; kill one that has a shard in hand
                busy = {w: ks for w, ks in client.processing().items() if any(str(k).startswith('dynnb-shard-') for k in ks)}
                if busy:
                    written = [s for s in range(CFG.n_shards) if shard_done(out, s)]
                    w = sorted(busy)[0]; victim = [str(k) for k in busy[w]]
                    os.kill(client.run(os.getpid, workers=[w])[w], signal.SIGKILL)
                    continue
            time.sleep(0.02)
        t.join(300)
        assert victim is not None, 'no shard was running to kill'
        assert not t.is_alive() and not err, err
        client.wait_for_workers(2, timeout=60)                  # the Nanny started a new worker process
        after = set(client.run(os.getpid).values())
    assert len(after) == 2 and after != before
    assert Dataset(out).complete and files(out) == files(local)
    runs = lambda k: sum(1 for ev in cluster.scheduler.story(k) if ev[0] == k and ev[2] == 'processing' and ev[-1] >= t0)
    assert max(runs(k) for k in victim) >= 2                    # the killed worker's shard ran again, on another worker
    key = victim[0].rsplit('-', 1)[0]
    assert all(runs(f'{key}-{s:05d}') == 1 for s in written)     # and no shard written before the kill ran twice

def test_evaluate_same_table(cluster, tmp_path):
    import pandas as pd
    from dynnb.benchmark import evaluate
    kw = dict(systems=['Lorenz', 'Halvorsen'], context_lengths=[64, 128], horizons=[16, 64], n_windows=2, progress=False)
    a = evaluate(['parrot', 'mean'], **kw).table()
    b = evaluate(['parrot', 'mean'], **kw, scheduler=cluster, cache_dir=tmp_path / 'gt').table()          # a cluster object
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert len(list((tmp_path / 'gt').glob('*.npy'))) == 2                                                  # cached here
    c = evaluate(['parrot', 'mean'], **kw, scheduler=cluster.scheduler_address, cache_dir=tmp_path / 'gt').table()   # from the cache
    pd.testing.assert_frame_equal(a, c, check_exact=True)

def test_evaluate_cli(cluster, tmp_path):
    args = ['evaluate', '--models', 'mean,parrot', '--systems', 'Lorenz', '--context', 64, '--horizons', '8,16',
            '--metrics', 'smape,mae,d_h', '--windows', 2, '--quiet']
    rc, so, se = cli(*args, '--out', tmp_path / 'local.csv'); assert rc == 0, se
    rc, so, se = cli(*args, '--out', tmp_path / 'dask.csv', '--scheduler', cluster.scheduler_address); assert rc == 0, se
    assert (tmp_path / 'dask.csv').read_bytes() == (tmp_path / 'local.csv').read_bytes()

def test_generate_cli(cluster, tmp_path, monkeypatch):
    import dynnb.data   # the command's own settings with the test's cheap integration and filters
    monkeypatch.setattr(dynnb.data, 'GenerateConfig',
                        lambda integration, **kw: CFG.replace(integration=CFG.integration.replace(length=integration.length), **kw))
    args = ['generate', '--n', 4, '--shard-size', 2, '--length', 256, '--seed', 1]
    rc, so, se = cli(*args, tmp_path / 'local'); assert rc == 0, se
    rc, so2, se = cli(*args, tmp_path / 'dask', '--scheduler', cluster.scheduler_address); assert rc == 0, se
    assert so2 == so and files(tmp_path / 'dask') == files(tmp_path / 'local')

def test_without_dask(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, 'distributed', None)      # `import distributed` fails as if it were not installed
    msg = '--scheduler needs Dask: pip install "dynnb[distributed]"'
    with pytest.raises(InputError, match='needs Dask'): generate(CFG, tmp_path / 'x', scheduler='tcp://127.0.0.1:8786', progress=False)
    from dynnb.benchmark import evaluate
    with pytest.raises(InputError, match='needs Dask'): evaluate(['mean'], systems=['Lorenz'], scheduler='tcp://127.0.0.1:8786')
    for cmd in (['generate', tmp_path / 'x'], ['evaluate', '--models', 'mean', '--out', tmp_path / 'b.csv']):
        rc, so, se = cli(*cmd, '--scheduler', 'tcp://127.0.0.1:8786')
        assert (rc, se) == (2, f'dynnb {cmd[0]}: error: {msg}\n'), se
    assert not (tmp_path / 'x').exists() and not (tmp_path / 'b.csv').exists()

def test_unreachable_scheduler(tmp_path):
    pytest.importorskip('distributed', reason='Dask is not installed')
    t0 = time.time()
    with pytest.raises(InputError, match=r'no Dask scheduler answered at tcp://127.0.0.1:1 within 5 s'):
        generate(CFG, tmp_path / 'x', scheduler='tcp://127.0.0.1:1', progress=False)
    assert time.time() - t0 < 30 and not (tmp_path / 'x').exists()
    rc, so, se = cli('generate', tmp_path / 'y', '--scheduler', 'nonsense')
    assert rc == 2 and se.startswith('dynnb generate: error: nonsense is not a usable Dask scheduler address'), se
