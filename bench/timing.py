"""The one timing helper of `bench/`: run functions interleaved (A B A B ...), so that load from other processes hits
all of them alike, and report medians."""
import statistics, time


def timed(fns, repeats: int, sync=None, warmup: bool = True):
    """Median seconds of each function in `fns` over `repeats` interleaved runs, after one warm-up run of each (unless
    `warmup=False`); `sync` (e.g. `torch.cuda.synchronize`) is called after every run. Returns (medians, all times, last values)."""
    sync = sync or (lambda: None)
    vals = [None] * len(fns)
    if warmup:
        for i, f in enumerate(fns): vals[i] = f(); sync()
    ts = [[] for _ in fns]
    for _ in range(max(1, repeats)):
        for i, f in enumerate(fns):
            t0 = time.perf_counter(); vals[i] = f(); sync(); ts[i].append(time.perf_counter() - t0)
    return [statistics.median(t) for t in ts], ts, vals
