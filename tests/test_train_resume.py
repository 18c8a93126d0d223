"""A training process killed with SIGKILL and started again ends with the same weights, bit for bit, as an uninterrupted run."""
import os, signal, subprocess, sys, time
from pathlib import Path
import torch
from safetensors.torch import load_file
from dynnb.train import list_checkpoints, read_log

SCRIPT = Path(__file__).parent/'toy_train.py'

def test_resume_after_sigkill_is_exact(tmp_path):
    ref, cut = tmp_path/'ref', tmp_path/'cut'
    subprocess.run([sys.executable, str(SCRIPT), str(ref)], check=True, timeout=120)
    p = subprocess.Popen([sys.executable, str(SCRIPT), str(cut), '0.05'])   # 50 ms per step: time to kill it mid-run
    t0 = time.time()
    while not any(c.name >= 'step_0000020' for c in list_checkpoints(cut/'checkpoints')):
        assert p.poll() is None and time.time() - t0 < 90, 'the job ended or stalled before its second checkpoint'
        time.sleep(0.02)
    os.kill(p.pid, signal.SIGKILL); p.wait()
    killed_at = max(c.name for c in list_checkpoints(cut/'checkpoints'))
    assert killed_at < 'step_0000040', 'the job finished before it was killed'
    subprocess.run([sys.executable, str(SCRIPT), str(cut)], check=True, timeout=120)
    a, b = (load_file(d/'checkpoints'/'step_0000040'/'model.safetensors') for d in (ref, cut))
    assert all(torch.equal(a[k], b[k]) for k in a), f'resumed weights differ (killed after {killed_at})'
    strip = lambda d: [{k: v for k, v in r.items() if k != 'elapsed'} for r in read_log(d)]
    assert strip(cut) == strip(ref)
