"""Zero-shot evaluation of dynnb's bundled models on the held-out founders, against the official DynaMix checkpoint
and context parroting, on the same contexts.

    python bench/zero_shot.py [--windows 2] [--context 512] [--n-jobs 2]

For each sampling rate (15, 30 and 60 points per period) every held-out founder (`test` in founders.json) gives
`--windows` on-attractor windows of context + `--horizon` steps. Every model forecasts the same contexts. The table
lists, per model, the medians over systems and windows of MASE and sMAPE at 128 steps, and of D_stsp, D_H and the valid
prediction time (steps until the NRMSE passes its threshold) over the whole long forecast, for all held-out founders and
separately for those with more than 3 dimensions.

The long-term statistics follow the DynaMix protocol (dynamix-spec §5-6): D_stsp and D_H are taken over a 10,000-step
forecast, D_stsp with 30 bins per dimension for systems of up to 3 dimensions and the Gaussian-mixture estimator
(σ² = 1) above that, where 30^D bins would hold one point each. Over a few hundred steps the binned D_stsp saturates
near log(30^3) for every model and ranks nothing. A forecast that is not finite counts as the worst value (inf; VPT 0),
so a model cannot improve its median by blowing up. The official checkpoint is read from ../shared/fixtures (users do
not have it); without it that column is left out.
"""
import argparse, time, warnings
from pathlib import Path
import pandas as pd
from dynnb.benchmark import evaluate, long_term_table
from dynnb.core import founders, shared_dir
from dynnb.forecast import load_model
from dynnb.dynamix import DynaMix
from dynnb.systems import system_info

warnings.filterwarnings('ignore')
FIX = shared_dir()/'fixtures'/'dynamix-official'
p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
p.add_argument('--windows', type=int, default=2)
p.add_argument('--context', type=int, default=512)
p.add_argument('--horizon', type=int, default=10000, help='length of the forecasts that D_stsp, D_H and VPT are taken over')
p.add_argument('--pts-per-period', '--rates', dest='pts_per_period', type=int, nargs='+', default=[15, 30, 60],
               help='sampling rates, in points per dominant period (--rates is the old spelling)')
p.add_argument('--models', nargs='+', default=['dynamix', 'panda', 'parrot'], help='bundled or baseline names, or folders')
p.add_argument('--n-jobs', type=int, default=2)
p.add_argument('--split', default='test', choices=['test', 'train'],
               help="founders to evaluate on: the held-out ones, or training founders (other initial conditions) to choose between runs")
p.add_argument('--max-systems', type=int, help='only the first N founders of the split (alphabetical)')
p.add_argument('--no-official', action='store_true', help='leave the official DynaMix out')
p.add_argument('--raw-panda', action='store_true', help="also score the bundled Panda without its rollout bound (forecast(..., bound=None)), as 'panda (bound=None)'")
p.add_argument('--cache', default=str(Path.home()/'.cache'/'dynnb'/'zero_shot'))
p.add_argument('--csv', help='also write the tidy table here')
a = p.parse_args()

models = {m: load_model(m) for m in a.models}

class RawPanda:
    "The bundled Panda with its rollout bound switched off: what the network alone does."
    def __init__(self): self.model = load_model('panda')
    def forecast(self, context, horizon, seed=None): return self.model.forecast(context, horizon, seed=seed, bound=None)

if a.raw_panda: models['panda (bound=None)'] = RawPanda()
if a.no_official: pass
elif FIX.exists(): models['dynamix (official)'] = DynaMix.from_official(FIX)
else: print(f'{FIX} not found: the official DynaMix column is left out')
systems = sorted(founders()[a.split])[:a.max_systems]
high = [s for s in systems if system_info(s).dim > 3]
tabs = []
for r in a.pts_per_period:
    t0 = time.time()
    res = evaluate(models, systems, context_lengths=(a.context,), horizons=(128, a.horizon), n_windows=a.windows, seed=0,
                   metrics=('smape', 'mase', 'd_stsp', 'd_stsp_gmm', 'd_h', 'vpt'), pts_per_period=r, cache_dir=a.cache, n_jobs=a.n_jobs,
                   progress=False)
    df = res.table(); df['pts_per_period'] = r
    tabs.append(df); print(f'{r} points per period: {time.time() - t0:.0f} s', flush=True)
df = pd.concat(tabs)
if a.csv: df.to_csv(a.csv, index=False)
pd.set_option('display.width', 200)
H = a.horizon
table = lambda d: long_term_table(d, short=128, by=('pts_per_period', 'model')).round(3)
print(f'\n{a.split} founders: {len(systems)} systems x {a.windows} windows, context {a.context}, D_stsp/D_H/VPT over {H} steps, '
      f'sMAPE/MASE at 128 (median over systems and windows; non-finite forecasts count as the worst value, see `n_failed`)')
print(table(df))
print(f'\n{a.split} founders with more than 3 dimensions ({len(high)}: {", ".join(high)})')
print(table(df[df.system.isin(high)]))
