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


def test_time_budget_stops_with_a_model_and_resumes_exactly(tmp_path):
    "A run stopped by its time budget leaves a checkpoint where it stopped and a saved model; run again, it ends as an uninterrupted run."
    sys.path.insert(0, str(SCRIPT.parent))
    from toy_train import CFG, Henon
    from dynnb.train import train
    def run(out, budget=None, sleep=0.):
        torch.manual_seed(0)
        model = torch.nn.Sequential(torch.nn.Linear(2, 32), torch.nn.Tanh(), torch.nn.Linear(32, 2))
        return train(model, Henon(sleep), CFG, out, time_budget=budget, progress=False)
    ref, cut = tmp_path/'ref', tmp_path/'cut'
    run(ref)
    run(cut, budget=0.4, sleep=0.05)                          # ~8 of the 40 steps fit in the budget
    stop = [r for r in read_log(cut) if 'stopped' in r]
    assert len(stop) == 1 and 0 < stop[0]['step'] < CFG.steps, stop
    at = stop[0]['step']
    assert (cut/'checkpoints'/f'step_{at:07d}').is_dir()      # (a PretrainedMixin model is also saved to out/model)
    run(cut)                                                  # the same call without a budget resumes
    a, b = (load_file(d/'checkpoints'/'step_0000040'/'model.safetensors') for d in (ref, cut))
    assert all(torch.equal(a[k], b[k]) for k in a), f'resumed weights differ (stopped at step {at})'
    strip = lambda d: [{k: v for k, v in r.items() if k != 'elapsed'} for r in read_log(d) if 'stopped' not in r]
    assert strip(cut) == strip(ref)
