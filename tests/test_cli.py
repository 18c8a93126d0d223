"The real `dynnb` command, run in a subprocess: outputs, exit codes and one-line errors."
import subprocess, sys
from pathlib import Path
import numpy as np
import pytest

DYNNB = str(Path(sys.executable).parent/'dynnb')   # the installed console script

def run(*args, cwd=None):
    r = subprocess.run([DYNNB, *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300)
    return r.returncode, r.stdout, r.stderr

@pytest.fixture(scope='module')
def series(tmp_path_factory):
    d = tmp_path_factory.mktemp('cli')
    t = np.linspace(0, 80, 1200)
    x = np.stack([np.sin(t), np.cos(1.3 * t)], -1)
    np.savetxt(d/'with_header.csv', x, delimiter=',', header='a,b', comments='')
    np.savetxt(d/'no_header.csv', x, delimiter=',')
    np.save(d/'x.npy', x); np.savez(d/'x.npz', context=x, other=x[:10])
    return d, x

@pytest.mark.parametrize('name', ['with_header.csv', 'no_header.csv', 'x.npy', 'x.npz'])
def test_forecast_formats(series, name):
    d, x = series
    out = d/f'{name}.out.csv'
    rc, so, se = run('forecast', d/name, '--horizon', 40, '--out', out)
    assert rc == 0, se
    f = np.loadtxt(out, delimiter=',', skiprows=1)
    assert f.shape == (40, 2) and np.isfinite(f).all()
    assert 'forecast 40 steps' in so

def test_system_demo_with_plot(tmp_path):
    rc, so, se = run('forecast', '--system', 'Lorenz', '--context', 600, '--horizon', 100, '--out', tmp_path/'f.npy', '--plot', tmp_path/'f.png')
    assert rc == 0, se
    assert np.load(tmp_path/'f.npy').shape == (100, 3) and (tmp_path/'f.png').stat().st_size > 1000

@pytest.mark.parametrize('case, args, code, msg', [
    ('missing file', ['forecast', 'nope.csv'], 2, 'does not exist'),
    ('non-numeric', ['forecast', 'text.csv'], 2, 'is not numeric'),
    ('too few rows', ['forecast', 'short.csv'], 2, 'too short'),
    ('nan rows', ['forecast', 'nan.csv'], 2, 'contains NaN'),
    ('unknown model', ['forecast', 'no_header.csv', '--model', 'nosuchmodel'], 2, 'unknown model'),
    ('horizon 0', ['forecast', 'no_header.csv', '--horizon', '0'], 2, 'horizon'),
    ('bad flag', ['forecast', '--no-such-flag'], 2, 'unrecognized arguments'),
])
def test_bad_input(series, case, args, code, msg):
    d, x = series
    (d/'text.csv').write_text('a,b\n1,2\nthree,4\n')
    np.savetxt(d/'short.csv', x[:2], delimiter=',')
    xn = x.copy(); xn[500] = np.nan; np.savetxt(d/'nan.csv', xn, delimiter=',')
    rc, so, se = run(*args, cwd=d)
    assert rc == code, (case, rc, se)
    assert msg in se, (case, se)
    assert 'Traceback' not in se

def test_models_lists_baselines_and_bundled():
    rc, so, se = run('models')
    assert rc == 0 and all(f'\n{m} ' in '\n' + so for m in ('parrot', 'dynamix', 'panda')), so

def test_forecast_with_bundled_panda(tmp_path):
    rc, so, se = run('forecast', '--system', 'Lorenz', '--model', 'panda', '--horizon', '200', '--out', str(tmp_path/'f.csv'))
    assert rc == 0, se
    x = np.loadtxt(tmp_path/'f.csv', delimiter=',', skiprows=1, ndmin=2)
    assert x.shape == (200, 3) and np.isfinite(x).all()

def test_evaluate_two_systems(tmp_path):
    rc, so, se = run('evaluate', '--models', 'parrot,mean', '--systems', 'Lorenz,Chua', '--context', 256, '--horizons', '16,64',
                     '--windows', 2, '--out', tmp_path/'b.csv', '--summary', tmp_path/'s.csv', '--quiet')
    assert rc == 0, se
    import pandas as pd
    df = pd.read_csv(tmp_path/'b.csv')
    assert set(df.system) == {'Lorenz', 'Chua'} and set(df.model) == {'parrot', 'mean'} and set(df.window) == {0, 1}
    assert set(pd.read_csv(tmp_path/'s.csv').horizon) >= {16, 64}

def test_evaluate_unknown_system():
    rc, so, se = run('evaluate', '--systems', 'Lorenz,NoSuchFlow', '--quiet')
    assert rc == 2 and "unknown dysts flow 'NoSuchFlow'" in se and 'Traceback' not in se

def test_train_help():
    rc, so, se = run('train', '--help')
    assert rc == 0 and 'dynamix' in so

def test_generate_help_and_bad_split(tmp_path):
    rc, so, se = run('generate', '--help')
    assert rc == 0 and '--shard-size' in so and '--n-workers' in so
    rc, so, se = run('generate', tmp_path/'ds', '--split', 'bogus', '--n', 2)
    assert rc == 2 and 'split' in se and 'Traceback' not in se, se
