"""Screenshot the dynnb explorer running in a real JupyterLab (headless Chromium + selenium).

Starts `jupyter lab` on 127.0.0.1:8899 with a fresh config/settings/workspace folder, opens a one-cell notebook that
displays `Explorer()`, runs the cell, presses the rendered Run button, waits for the results and writes a PNG.
Fails (exit 1) if the widgets show as their text fallback instead of rendering.

usage: .venv/bin/python tools/screenshot_explorer.py nbs/images/explorer.png [--repo REPO] [--port 8899] [--width 1280] [--height 2350]
needs: chromium + chromium-driver (apt), selenium (pip install -e '.[screenshot]'), pillow (matplotlib's dependency).
"""
import argparse, json, os, secrets, signal, subprocess, sys, tempfile, time, urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait
from PIL import Image

CELL = """from dynnb.explorer import Explorer, ExplorerSettings
app = Explorer(ExplorerSettings(models=('dynamix', 'panda', 'parrot'), seed=1))
app"""

def wait(drv, what, timeout, poll=.5):
    "Wait until `what(drv)` is truthy, with a readable error if it never is."
    try: return WebDriverWait(drv, timeout, poll).until(lambda d: what(d))
    except Exception: raise SystemExit(f'timed out after {timeout} s waiting for {what.__doc__ or what}')

def main():
    ap = argparse.ArgumentParser(); ap.add_argument('out'); ap.add_argument('--repo', default=str(Path(__file__).resolve().parents[1]))
    ap.add_argument('--port', type=int, default=8899); ap.add_argument('--width', type=int, default=1280)
    ap.add_argument('--height', type=int, default=2350); a = ap.parse_args()
    repo, out = Path(a.repo).resolve(), Path(a.out).resolve()
    work = Path(tempfile.mkdtemp(prefix='explorer-shot-'))
    nb = {'cells': [{'cell_type': 'code', 'id': 'demo', 'metadata': {}, 'execution_count': None, 'outputs': [], 'source': CELL}],
          'metadata': {'kernelspec': {'name': 'python3', 'display_name': 'Python 3', 'language': 'python'}}, 'nbformat': 4, 'nbformat_minor': 5}
    (work/'explorer.ipynb').write_text(json.dumps(nb))
    settings = work/'settings'/'@jupyterlab'/'apputils-extension'; settings.mkdir(parents=True)
    (settings/'notification.jupyterlab-settings').write_text('{"fetchNews": "false", "checkForUpdates": false}')
    token = secrets.token_hex(16)
    env = {**os.environ, 'JUPYTER_CONFIG_DIR': str(work/'config'), 'JUPYTERLAB_SETTINGS_DIR': str(work/'settings'),
           'JUPYTERLAB_WORKSPACES_DIR': str(work/'workspaces'), 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1'}
    lab = subprocess.Popen([str(repo/'.venv'/'bin'/'jupyter'), 'lab', '--no-browser', '--ip', '127.0.0.1', '--port', str(a.port),
                            f'--ServerApp.token={token}', f'--ServerApp.root_dir={work}', '--ServerApp.port_retries=0', '--allow-root'],
                           cwd=repo, env=env, stdout=open(work/'lab.log', 'w'), stderr=subprocess.STDOUT, start_new_session=True)
    base = f'http://127.0.0.1:{a.port}'
    drv = None
    try:
        for _ in range(120):   # the server answers in a few seconds
            try: urllib.request.urlopen(f'{base}/api/status?token={token}', timeout=1); break
            except OSError: time.sleep(.5)
        else: raise SystemExit(f'jupyter lab did not start; see {work/"lab.log"}')
        opts = webdriver.ChromeOptions()
        for f in ('--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
                  '--no-first-run', f'--window-size={a.width},{a.height}', '--hide-scrollbars'): opts.add_argument(f)
        opts.binary_location = '/usr/bin/chromium'
        drv = webdriver.Chrome(options=opts, service=webdriver.ChromeService('/usr/bin/chromedriver'))   # no download by Selenium Manager
        drv.get(f'{base}/doc/tree/explorer.ipynb?token={token}')   # /doc: the notebook alone, without the side panels
        def kernel_idle(d):
            "the notebook's first cell and an idle kernel"
            bar = d.find_elements(By.CSS_SELECTOR, '.jp-StatusBar-Widget')
            return d.find_elements(By.CSS_SELECTOR, '.jp-Notebook .jp-Cell .cm-content') and any('| Idle' in w.text for w in bar)
        wait(drv, kernel_idle, 120)
        drv.find_element(By.CSS_SELECTOR, '.jp-Notebook .jp-Cell .cm-content').click()
        ActionChains(drv).key_down(Keys.SHIFT).send_keys(Keys.ENTER).key_up(Keys.SHIFT).perform()
        def run_button(d):
            "the Run button of the rendered widget"
            return [b for b in d.find_elements(By.CSS_SELECTOR, '.jp-OutputArea .widget-button') if b.text.strip() == 'Run']
        (button,) = wait(drv, run_button, 180)
        time.sleep(1)
        button.click()
        def results(d):
            "the results: a metrics table and three figures in the first tab"
            return d.find_elements(By.CSS_SELECTOR, '.jp-OutputArea .widget-html table') and \
                   len(d.find_elements(By.CSS_SELECTOR, '.jp-OutputArea .widget-tab .widget-image')) >= 3
        wait(drv, results, 300)
        time.sleep(2)   # let the images paint
        text = drv.find_element(By.CSS_SELECTOR, '.jp-OutputArea').text
        for fallback in ('Loading widget', 'HBox(children', 'VBox(children', 'Error displaying widget'):
            if fallback in text: raise SystemExit(f'the widgets did not render: the output shows {fallback!r}')
        drv.execute_script("document.querySelector('.jp-WindowedPanel-outer, .jp-Notebook').scrollTop = 0")
        bottom = drv.execute_script("return document.querySelector('.jp-OutputArea').getBoundingClientRect().bottom")
        raw = work/'raw.png'; drv.save_screenshot(str(raw))
        img = Image.open(raw).convert('RGB')
        img = img.crop((0, 0, img.width, min(img.height, int(bottom * img.width / a.width) + 16)))   # down to the app's last row
        img = img.resize((img.width * 3 // 4, img.height * 3 // 4), Image.LANCZOS).quantize(colors=128, method=Image.Quantize.MEDIANCUT)
        tmp = out.with_name(f'.{out.name}.tmp'); img.save(tmp, format='PNG', optimize=True); os.replace(tmp, out)
        print(f'{out}: {out.stat().st_size // 1024} kB, {img.width}×{img.height}')
    except BaseException:
        if drv is not None: drv.save_screenshot(str(work/'failed.png')); print(f'the page at the failure: {work/"failed.png"}', file=sys.stderr)
        raise
    finally:
        if drv is not None: drv.quit()
        os.killpg(lab.pid, signal.SIGTERM)   # the server and its kernel: the process group started above
        try: lab.wait(timeout=10)
        except subprocess.TimeoutExpired: os.killpg(lab.pid, signal.SIGKILL); lab.wait()

if __name__ == '__main__': main()
