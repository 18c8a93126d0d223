"Test environment: never touch the network, never open a window."
import os
os.environ['HF_HUB_OFFLINE'] = '1'
os.environ.setdefault('MPLBACKEND', 'Agg')
os.environ.setdefault('TQDM_DISABLE', '1')
import matplotlib
matplotlib.use('Agg')
