"""Run every notebook in nbs/ as one pytest test, with nbdev's own runner and the `tst_flags` of pyproject.toml
(cells flagged `slow`, `notest` or `cuda` are skipped; `#| eval: false` cells never run).

Each notebook runs in a Python process of its own. In one shared process a notebook that stops half-way leaves its
state behind (a half-built class registered, a global setting changed, a module patched) and later notebooks fail
for reasons that are not theirs; in its own process one failing notebook is exactly one failing test. The failure
message holds the notebook's traceback. Each process starts from one random state, so a notebook's unseeded draws
(random inputs of its examples) are the same in every run."""
import subprocess, sys
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.doclinks import nbglob

cfg = get_config()
NBS = sorted(nbglob(cfg.nbs_path, as_path=True), key=lambda p: str(p.relative_to(cfg.nbs_path)))
TIMEOUT = 1200   # seconds per notebook; the slowest takes about a minute on a 2-core box

RUNNER = '''
import sys, random, numpy, torch
random.seed(0); numpy.random.seed(0); torch.manual_seed(0)   # the same draws in every run (torch seeds itself anew per process)
from nbdev.config import get_config
from nbdev.test import test_nb
cfg = get_config()
ok, secs = test_nb(sys.argv[1], skip_flags=cfg.tst_flags.split(), basepath=cfg.config_path, do_print=False)
sys.exit(0 if ok else 1)
'''

@pytest.mark.parametrize('nb', NBS, ids=lambda p: str(p.relative_to(cfg.nbs_path)))
def test_notebook(nb: Path):
    # the environment (HF_HUB_OFFLINE, MPLBACKEND, TQDM_DISABLE, DYNNB_SHARED) is the one conftest.py set up
    try: r = subprocess.run([sys.executable, '-c', RUNNER, str(nb)], capture_output=True, text=True, cwd=cfg.config_path, timeout=TIMEOUT)
    except subprocess.TimeoutExpired: pytest.fail(f'{nb.name} did not finish within {TIMEOUT} s')
    out = (r.stdout + r.stderr).strip()
    rc = r.returncode
    assert rc == 0, f'{nb.name} failed (exit status {rc}):\n' + (out[-12000:] or '(no output)')
