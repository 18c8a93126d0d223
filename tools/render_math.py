#!/usr/bin/env python3
"""Typeset the maths of a built docs site at build time with KaTeX, so pages need no JavaScript and no network.

The docs renderer (smalldocs, or Pandoc under real Quarto) writes maths as `<span class="math inline">\\(TeX\\)</span>`
and `<span class="math display">\\[TeX\\]</span>` and links KaTeX/MathJax from a CDN. This replaces each span's TeX
with KaTeX's HTML+MathML (one `node` process for the whole site), puts the typeset maths of headings into the table
of contents too (it has their TeX as plain text), drops the CDN links, and copies KaTeX's stylesheet
and fonts into `site_libs/katex/` of the site.

KaTeX comes from the npm registry, once, into `.cache/katex-<version>/` (not in git):
  python3 tools/render_math.py fetch      # what `make katex` runs: `npm pack katex@<version>` and unpack
  python3 tools/render_math.py SITE_DIR   # typeset SITE_DIR in place (tools/quarto runs it after every render)
`DYNNB_KATEX=/path/to/katex` (an unpacked katex package, with dist/) overrides the cache folder.
"""
import html, json, os, re, shutil, subprocess, sys, tarfile, tempfile
from pathlib import Path

KATEX_VERSION = '0.19.1'
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / '.cache' / f'katex-{KATEX_VERSION}'

SPAN = re.compile(r'<span class="math (inline|display)">\\[(\[](.*?)\\[)\]]</span>', re.S)
CDN = re.compile(r'<(?:link|script)\b[^>]*(?:href|src)="(?:https?:)?//[^"]*(?:katex|mathjax)[^"]*"[^>]*>(?:\s*</script>)?\s*', re.I)
NODE_JS = r'''
const katex = require(process.argv[1]);
let src = ''; process.stdin.setEncoding('utf8');
process.stdin.on('data', d => src += d);
process.stdin.on('end', () => {
  const out = JSON.parse(src).map(([tex, display]) => {
    try { return [katex.renderToString(tex, {displayMode: display, throwOnError: true, strict: 'ignore', output: 'htmlAndMathml'}), null]; }
    catch (e) { return [katex.renderToString(tex, {displayMode: display, throwOnError: false, strict: 'ignore'}), String(e.message || e)]; }
  });
  process.stdout.write(JSON.stringify(out));
});
'''

def fail(msg): sys.exit(f'render_math: {msg}')

def katex_dir():
    "The unpacked KaTeX package to use, or a clear failure saying how to get it."
    d = Path(os.environ['DYNNB_KATEX']) if os.environ.get('DYNNB_KATEX') else CACHE
    if not (d / 'dist' / 'katex.js').exists():
        fail(f'KaTeX {KATEX_VERSION} is not in {d} (the docs typeset their maths with it at build time, offline).\n'
             f'  Get it once from the npm registry with `make katex` (= python3 tools/render_math.py fetch, which runs\n'
             f'  `npm pack katex@{KATEX_VERSION}` and unpacks it there), or set DYNNB_KATEX to an unpacked katex package.')
    return d

def fetch():
    "Download KaTeX from the npm registry with `npm pack` into the cache folder (nothing else is installed)."
    if (CACHE / 'dist' / 'katex.js').exists(): print(f'KaTeX {KATEX_VERSION} already in {CACHE.relative_to(ROOT)}'); return
    if not shutil.which('npm'): fail('npm is not on PATH; install Node.js and npm (e.g. apt-get install nodejs npm), then run `make katex` again')
    CACHE.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=CACHE.parent) as tmp:
        r = subprocess.run(['npm', 'pack', f'katex@{KATEX_VERSION}', '--silent'], cwd=tmp, capture_output=True, text=True)
        tgz = Path(tmp) / f'katex-{KATEX_VERSION}.tgz'
        if r.returncode or not tgz.exists(): fail(f'`npm pack katex@{KATEX_VERSION}` failed:\n{r.stderr.strip()}')
        with tarfile.open(tgz) as t:
            members = [m for m in t.getmembers() if m.name.startswith('package/dist/') or m.name in ('package/package.json', 'package/LICENSE')]
            t.extractall(tmp, members=members, filter='data') if hasattr(tarfile, 'data_filter') else t.extractall(tmp, members=members)
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.move(str(Path(tmp) / 'package'), CACHE)
    print(f'KaTeX {KATEX_VERSION} fetched into {CACHE.relative_to(ROOT)}')

HEADING = re.compile(r'<h[1-6][^>]*\bdata-anchor-id="([^"]+)"[^>]*>(.*?)</h[1-6]>', re.S)

def toc_maths(text):
    "Give the table of contents the typeset maths of its headings (the renderer writes their TeX there as plain text)."
    for hid, inner in HEADING.findall(text):
        if 'class="math' not in inner: continue
        inner = re.sub(r'</?a\b[^>]*>', '', inner).strip()   # no links inside the TOC's link
        toc = re.compile(r'(<a\b[^>]*\bhref="#' + re.escape(hid) + r'"[^>]*\bclass="nav-link"[^>]*>).*?(</a>)', re.S)
        text = toc.sub(lambda m: m.group(1) + inner + m.group(2), text)
    return text

def typeset(site):
    "Typeset every maths span of the site's pages in place; return (pages changed, formulas, errors)."
    site = Path(site).resolve()
    kdir = katex_dir()
    node = shutil.which('node') or fail('node is not on PATH; the docs typeset their maths with KaTeX under Node.js (apt-get install nodejs)')
    pages = {p: p.read_text() for p in sorted(site.rglob('*.html'))}
    pages = {p: t for p, t in pages.items() if SPAN.search(t) or CDN.search(t)}
    jobs = sorted({(html.unescape(m.group(2)).strip(), m.group(1) == 'display') for t in pages.values() for m in SPAN.finditer(t)})
    r = subprocess.run([node, '-e', NODE_JS, str(kdir / 'dist' / 'katex.js')], input=json.dumps(jobs), capture_output=True, text=True)
    if r.returncode: fail(f'KaTeX under node failed:\n{r.stderr.strip()}')
    done = dict(zip(jobs, json.loads(r.stdout)))
    errors = []
    for page, text in pages.items():
        rel = page.relative_to(site)
        def sub(m):
            out, err = done[(html.unescape(m.group(2)).strip(), m.group(1) == 'display')]
            if err: errors.append(f'{rel}: {err}')
            return f'<span class="math {m.group(1)}">{out}</span>'
        text = SPAN.sub(sub, text)
        text = toc_maths(text)
        text = CDN.sub('', text)
        if 'class="katex' in text and 'site_libs/katex/katex.min.css' not in text:
            css = f'<link rel="stylesheet" href="{"../" * (len(rel.parts) - 1)}site_libs/katex/katex.min.css">\n'
            text = text.replace('</head>', css + '</head>', 1)
        page.write_text(text)
    dest = site / 'site_libs' / 'katex'
    shutil.rmtree(dest, ignore_errors=True); dest.mkdir(parents=True)
    shutil.copy2(kdir / 'dist' / 'katex.min.css', dest)
    shutil.copytree(kdir / 'dist' / 'fonts', dest / 'fonts')
    if (kdir / 'LICENSE').exists(): shutil.copy2(kdir / 'LICENSE', dest / 'LICENSE')
    return len(pages), len(jobs), errors

def main(args):
    if args[:1] == ['fetch']: return fetch()
    if len(args) != 1: fail('usage: render_math.py fetch | render_math.py SITE_DIR')
    n, k, errors = typeset(args[0])
    print(f'render_math: KaTeX {KATEX_VERSION} typeset {k} distinct formulas on {n} pages of {args[0]}')
    for e in errors: print(f'render_math: TeX error (shown in red on the page): {e}', file=sys.stderr)

if __name__ == '__main__': main(sys.argv[1:])
