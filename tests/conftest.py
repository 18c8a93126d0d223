"Test environment: never touch the network, never open a window, and the same random draws in every run."
import os
os.environ['HF_HUB_OFFLINE'] = '1'
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('TQDM_DISABLE', '1')
import matplotlib
matplotlib.use('Agg')

import random
import numpy as np, pytest, torch

@pytest.fixture(autouse=True)
def _same_draws():
    "Every test starts from one random state. PyTorch seeds its default generator differently in every process, so without this a test's random inputs would change from run to run (and a rare draw could fail a bound that the usual ones pass)."
    random.seed(0); np.random.seed(0); torch.manual_seed(0)
