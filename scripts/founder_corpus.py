"""The founder corpus the Panda training script uses (`dynnb train dynamix --founders` makes the same one): on-attractor trajectories of every `train` founder of `founders.json`.

Each founder contributes `n_ics` trajectories at its default parameters, 4096 samples at 60 points per period after a
1000-sample transient; training windows are drawn from it at 15-60 points per period. The corpus is cached (atomically)
as `corpus.npz` in the run folder, so a resumed run trains on exactly the same data.
"""
import json, platform, shutil, sys
from pathlib import Path
import numpy as np, torch
from dynnb.core import atomic_write
from dynnb.data import Corpus, founder_corpus as data_founder_corpus
from dynnb.train import read_log

def founder_corpus(cache: Path, seed: int = 0, n_ics: int = 2, copy_from=None) -> Corpus:
    "`dynnb.data.founder_corpus` cached at `cache`, first copied there from `copy_from` (another run's corpus.npz) if given."
    if copy_from and not cache.exists():
        if not Path(copy_from).is_file(): sys.exit(f'--corpus {copy_from}: no such file; give a run folder\'s corpus.npz, or leave it out to integrate the corpus.')
        shutil.copyfile(copy_from, cache)
    return data_founder_corpus(cache, n_ics=n_ics, seed=seed)

def write_final(out: Path, model, corpus: Corpus, cfg, objective_cfg, command: str) -> Path:
    "Save the trained model to `out/final` in the dynnb checkpoint format with a training summary; copy that folder to dynnb/assets/<name>/ to bundle it."
    final = model.save_pretrained(out/'final')
    log = read_log(out/'run')
    tail = [r['loss'] for r in log if 'loss' in r][-10:]
    summary = dict(command=command, steps=log[-1]['step'], final_loss_mean_last10=float(np.mean(tail)), first_loss=log[0]['loss'],
                   train_seconds=log[-1]['elapsed'], corpus=repr(corpus), founders='train split of dynnb/assets/founders.json only',
                   train_config=cfg.to_dict(), objective=objective_cfg.to_dict(),
                   machine=f'{platform.machine()} CPU, torch {torch.__version__}, {cfg.threads or torch.get_num_threads()} thread(s)')
    with atomic_write(final/'training_summary.json') as f: f.write(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    return final
