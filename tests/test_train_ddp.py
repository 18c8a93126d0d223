"""dynnb.train under `torchrun --nproc_per_node 2` (gloo, CPU) computes what one process computes on the same global batch."""
import subprocess, sys
from pathlib import Path
from safetensors.torch import load_file
from dynnb.train import read_log

SCRIPT = Path(__file__).parent/'toy_train.py'

def test_ddp_matches_single_process(tmp_path):
    one, two = tmp_path/'one', tmp_path/'two'
    subprocess.run([sys.executable, str(SCRIPT), str(one)], check=True, timeout=120)
    r = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', str(SCRIPT), str(two)],
                       capture_output=True, text=True, timeout=180)
    assert r.returncode == 0, r.stderr[-3000:]
    for step in (10, 40):   # an intermediate and the final checkpoint
        a, b = (load_file(d/'checkpoints'/f'step_{step:07d}'/'model.safetensors') for d in (one, two))
        assert a.keys() == b.keys()
        diff = max(float((a[k] - b[k]).abs().max()) for k in a)
        print(f'step {step}: max |w_1proc - w_2proc| = {diff:.3g}')
        assert diff < 1e-5, f'step {step}: weights differ by {diff}'
    la, lb = ([r for r in read_log(d) if 'loss' in r] for d in (one, two))
    assert [r['step'] for r in la] == [r['step'] for r in lb] == list(range(5, 41, 5))
    for x, y in zip(la, lb): assert abs(x['loss'] - y['loss']) <= 1e-5 * max(1., abs(x['loss'])), (x, y)
    print('max |loss_1proc - loss_2proc| over the log:', max(abs(x['loss'] - y['loss']) for x, y in zip(la, lb)))
    assert la[-1]['loss'] + la[-2]['loss'] < 0.6 * (la[0]['loss'] + la[1]['loss'])   # it did learn
