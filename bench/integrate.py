"""Batched integration (dynnb.systems.integrate, batched DOP853) against dysts' own make_trajectory, side by side in one run.

For each founder: B on-attractor initial conditions integrated in one batch; dysts make_trajectory(method='DOP853')
with the same tolerances looped over a few of the same initial conditions; dysts' default (Radau, rtol = atol = 1e-12)
on one. Times are per trajectory, medians over repeats. Accuracy: the largest error over the first Lyapunov time
against scipy DOP853 at rtol = atol = 1e-12, relative to the attractor's standard deviation.

Usage: python bench/integrate.py [--n 1000] [--batch 64] [--radau]
"""
import argparse, time, warnings
import numpy as np
from scipy.integrate import solve_ivp
from timing import timed   # bench/timing.py
from dynnb.systems import integrate, attractor_ics, load_system, system_info

FOUNDERS = ['Aizawa', 'Rossler', 'Thomas', 'Chen', 'Sakarya', 'HyperRossler', 'SprottA', 'Dadras', 'NoseHoover', 'GenesioTesi']

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('--n', type=int, default=1000); ap.add_argument('--batch', type=int, default=64)
    ap.add_argument('--ppp', type=int, default=100); ap.add_argument('--dop_ics', type=int, default=3)
    ap.add_argument('--radau', action='store_true', help='also time dysts default Radau (slow)')
    a = ap.parse_args(); warnings.filterwarnings('ignore')
    rtol, atol = 1e-8, 1e-10
    print(f'n={a.n} points, {a.ppp} per period, batch={a.batch}, rtol={rtol}, atol={atol}')
    print(f"{'system':14s} {'ours ms/traj':>12s} {'DOP853 ms':>10s} {'x DOP853':>9s} {'Radau ms':>9s} {'x Radau':>8s} {'err@1LT':>9s}")
    rows = []
    for name in FOUNDERS:
        s, info = load_system(name), system_info(name)
        ics = attractor_ics(name, n=a.batch, seed=0)
        t_ours = timed([lambda: integrate(name, a.n, ics, pts_per_period=a.ppp, rtol=rtol, atol=atol)], 3, warmup=False)[0][0] / a.batch
        t_dop = float(np.median([timed([lambda ic=ic: s.make_trajectory(a.n, pts_per_period=a.ppp, init_cond=ic, method='DOP853', rtol=rtol, atol=atol)], 1, warmup=False)[0][0]
                                 for ic in ics[:a.dop_ics]]))
        t_rad = timed([lambda: s.make_trajectory(a.n, pts_per_period=a.ppp, init_cond=ics[0])], 1, warmup=False)[0][0] if a.radau else np.nan
        ours = integrate(name, a.n, ics[:1], pts_per_period=a.ppp, rtol=rtol, atol=atol, postprocess=False)
        ref = solve_ivp(lambda t, x: s.rhs(x, t), (0, ours.t[-1]), ics[0], t_eval=ours.t, method='DOP853', rtol=1e-12, atol=1e-12).y.T
        m = ours.t <= info.lyapunov_time
        err = np.abs(ours.x[0][m] - ref[m]).max() / ref.std(0).max()
        rows.append((t_ours, t_dop, t_rad, err))
        print(f'{name:14s} {1e3*t_ours:12.2f} {1e3*t_dop:10.1f} {t_dop/t_ours:9.1f} {1e3*t_rad:9.0f} {t_rad/t_ours:8.0f} {err:9.1e}', flush=True)
    r = np.array(rows)
    print(f"{'median':14s} {1e3*np.median(r[:,0]):12.2f} {1e3*np.median(r[:,1]):10.1f} {np.median(r[:,1]/r[:,0]):9.1f} "
          f"{1e3*np.median(r[:,2]):9.0f} {np.median(r[:,2]/r[:,0]):8.0f} {np.median(r[:,3]):9.1e}")

if __name__ == '__main__': main()
