#!/usr/bin/env python3
"""Check that no built docs page (default `_docs/`) shows raw LaTeX to a reader, and that maths needs no network.

Fails (exit 1) when a formula failed to typeset (KaTeX's red error); when, in the text a reader sees (outside
`<script>`, `<style>`, `<pre>`, `<code>`, `<textarea>` and outside maths KaTeX already typeset), there is a maths
delimiter `\\(` `\\)` `\\[` `\\]` `$$`, a `$...$` with TeX in it, a TeX sub/superscript such as `D_{stsp}`, or a TeX
command such as `\\mathbb`; when a page loads KaTeX/MathJax from another host; or when a KaTeX stylesheet or one of
its fonts is missing.
Usage: python3 tools/check_math.py [-v] [--chromium] [_docs]
  -v          list every finding, not just the first 20
  --chromium  also load each page in headless Chromium (`apt-get install chromium`) and check the DOM after its
              scripts ran (`--dump-dom`), as a reader's browser shows it; needs no network
"""
import re, shutil, subprocess, sys, tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse, unquote

SKIP = {'script', 'style', 'pre', 'code', 'textarea', 'svg', 'math'}   # text there is code or machine-read, not prose
VOID = {'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr'}
RAW = [('delimited TeX', re.compile(r'\\\(.{0,800}?\\\)|\\\[.{0,800}?\\\]|\$\$.{1,800}?\$\$', re.S)),
       ('delimiter', re.compile(r'\\[()\[\]]|\$\$')),
       ('$…$ with TeX', re.compile(r'(?<![\\$\w])\$[^$\n]*?(?:\\[A-Za-z]+|[\^_]\{?)[^$\n]*?\$(?!\w)')),
       ('TeX sub/superscript', re.compile(r'[A-Za-z0-9)}][_^]\{[^}\s]*\}')),
       ('TeX command', re.compile(r'\\(?:[a-z]*(?:math|frac|sum|prod|int|sqrt|left|right|begin|end|text|operatorname|'
                                  r'alpha|beta|gamma|delta|epsilon|theta|lambda|mu|sigma|tau|phi|psi|omega|nabla|partial|'
                                  r'cdot|times|in|le|ge|approx|infty|top|hat|bar|tilde|vec|log|exp|max|min|arg)[a-z]*)\b'))]
EXTERNAL_MATH = re.compile(r'(?:src|href)="(https?:)?//[^"]*(?:katex|mathjax)[^"]*"', re.I)

class Text(HTMLParser):
    "Collect the text a reader sees, leaving out code, scripts and typeset maths."
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.hidden, self.chunks = [], 0, []
    def handle_starttag(self, tag, attrs):
        if tag in VOID: return
        cls = (dict(attrs).get('class') or '').split()
        hide = tag in SKIP or 'katex' in cls or 'katex-display' in cls or 'katex-mathml' in cls
        self.stack.append((tag, hide)); self.hidden += hide
    def handle_endtag(self, tag):
        if tag in VOID: return
        while self.stack:   # pop to the matching tag (tolerates unclosed inner tags)
            t, hide = self.stack.pop(); self.hidden -= hide
            if t == tag: break
    def handle_data(self, data):
        if not self.hidden: self.chunks.append(data)

CHROMIUM = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
            '--disable-sync', '--disable-quic', '--no-first-run', '--virtual-time-budget=5000', '--dump-dom']

def dom(page, profile):
    "The page's DOM after its scripts ran, from headless Chromium."
    exe = shutil.which('chromium') or shutil.which('chromium-browser') or sys.exit('check_math: --chromium needs chromium (apt-get install chromium)')
    r = subprocess.run([exe, *CHROMIUM, f'--user-data-dir={profile}', page.as_uri()], capture_output=True, text=True, timeout=120)
    if r.returncode or '<body' not in r.stdout: sys.exit(f'check_math: chromium could not load {page}:\n{r.stderr[-2000:]}')
    return r.stdout

def findings(page, html=None):
    html = page.read_text(errors='replace') if html is None else html
    p = Text(); p.feed(html); p.close()
    text = ' '.join(p.chunks)
    out, spans = [], []
    for kind, rx in RAW:   # one finding per stretch of raw TeX, however many patterns it matches
        for m in rx.finditer(text):
            if any(a <= m.end() + 2 and m.start() - 2 <= b for a, b in spans): continue
            spans.append((m.start(), m.end()))
            s = text[max(0, m.start() - 30):m.end() + 30].replace('\n', ' ')
            out.append(f'{kind}: …{s}…')
    for m in re.finditer(r'class="katex-error"[^>]*title="([^"]*)"', html): out.append(f'TeX that KaTeX could not typeset: {m.group(1)}')
    for m in EXTERNAL_MATH.finditer(html): out.append(f'maths loaded from the network: {m.group(0)}')
    for ref in re.findall(r'href="([^"]*katex[^"]*\.css)"', html):
        u = urlparse(ref)
        if u.scheme or u.netloc: continue
        css = (page.parent / unquote(u.path)).resolve()
        if not css.exists(): out.append(f'KaTeX stylesheet missing: {ref}'); continue
        for font in set(re.findall(r'url\(([^)]+)\)', css.read_text(errors='replace'))):
            f = font.strip('\'"')
            if not f.startswith('data:') and not (css.parent / f.split('?')[0].split('#')[0]).exists():
                out.append(f'KaTeX font missing: {css.parent.name}/{f}')
    return out

def main(args):
    verbose, browser = '-v' in args, '--chromium' in args
    args = [a for a in args if a not in ('-v', '--chromium')]
    root = Path(args[0] if args else '_docs').resolve()
    pages = sorted(root.rglob('*.html'))
    if not pages: sys.exit(f'check_math: no HTML pages under {root}; build the docs first (make docs)')
    total, shown, typeset = 0, 0, 0
    for page in pages:
        typeset += page.read_text(errors='replace').count('class="katex"')
        f = findings(page)
        if browser:
            with tempfile.TemporaryDirectory() as profile: f += [f'in Chromium: {x}' for x in findings(page, dom(page, profile))]
        total += len(f)
        for x in f:
            if verbose or shown < 20: print(f'  {page.relative_to(root)}: {x}'); shown += 1
    print(f'{len(pages)} pages checked in {root.name}/{" (files and Chromium DOM)" if browser else ""}, {typeset} formulas typeset, {total} raw-LaTeX/maths problems')
    return 1 if total else 0

if __name__ == '__main__': sys.exit(main(sys.argv[1:]))
