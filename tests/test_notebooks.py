"""Run every notebook in nbs/ as one pytest test, with nbdev's own runner and the `tst_flags` of pyproject.toml
(cells flagged `slow`, `notest` or `cuda` are skipped; `#| eval: false` cells never run)."""
from pathlib import Path
import pytest
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.test import test_nb as run_nb

cfg = get_config()
NBS = sorted(nbglob(cfg.nbs_path, as_path=True), key=lambda p: str(p.relative_to(cfg.nbs_path)))

@pytest.mark.parametrize('nb', NBS, ids=lambda p: str(p.relative_to(cfg.nbs_path)))
def test_notebook(nb: Path):
    ok, secs = run_nb(nb, skip_flags=cfg.tst_flags.split(), basepath=cfg.config_path, do_print=False)
    assert ok, f'{nb.name} failed (see the traceback above)'
