#!/usr/bin/env python3
"Check that every internal link and image in the built docs (default `_docs/`) points at a file that exists."
import re, sys
from pathlib import Path
from urllib.parse import urlparse, unquote

root = Path(sys.argv[1] if len(sys.argv) > 1 else '_docs').resolve()
bad, n = [], 0
for page in root.rglob('*.html'):
    for ref in re.findall(r'(?:href|src)="([^"]+)"', page.read_text(errors='replace')):
        u = urlparse(ref)
        if u.scheme or u.netloc or ref.startswith(('#', 'mailto:', 'javascript:', 'data:')): continue
        n += 1
        target = (root / unquote(u.path).lstrip('/')) if u.path.startswith('/') else (page.parent / unquote(u.path))
        if u.path and not (target.exists() or target.with_suffix('.html').exists() or (target/'index.html').exists()):
            bad.append(f'{page.relative_to(root)} -> {ref}')
print(f'{n} internal links checked in {root.name}/, {len(bad)} broken')
for b in bad: print('  broken:', b)
sys.exit(1 if bad else 0)
