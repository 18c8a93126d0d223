"""The package's import graph follows one dependency order, bottom to top:

    core → systems, metrics, baselines, hub → data → dynamix, panda, bptt → forecast, train
         → benchmark, experts, attention → explorer, cli

A module imports only modules of lower layers (or of its own layer, as long as no circle forms), always at the top of
the module: a function-local import of a dynnb module would hide a tie that the order does not allow.
The graph is read from the source with `ast`, so the test sees every import, executed or not."""
import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1]/'dynnb'
LAYERS = [['core'], ['systems', 'metrics', 'baselines', 'hub'], ['data'], ['dynamix', 'panda', 'bptt'], ['forecast', 'train'],
          ['benchmark', 'experts', 'attention'], ['explorer', 'cli']]
LAYER = {m: i for i, ms in enumerate(LAYERS) for m in ms}
MODULES = sorted(p.stem for p in PKG.glob('*.py') if not p.stem.startswith('_'))


def dynnb_imports(name: str, pkg: Path = PKG) -> list[tuple[str, bool, int]]:
    "(imported dynnb module, at module level?, line) for every import of a dynnb module in `<pkg>/<name>.py`."
    tree = ast.parse((pkg/f'{name}.py').read_text())
    top = {id(n) for n in tree.body}
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1: mods = [node.module] if node.module else [a.name for a in node.names]
            elif node.module == 'dynnb': mods = [a.name for a in node.names]
            elif node.module and node.module.startswith('dynnb.'): mods = [node.module.split('.')[1]]
            else: continue
        elif isinstance(node, ast.Import):
            mods = [a.name.split('.')[1] if a.name.startswith('dynnb.') else '' for a in node.names if a.name.split('.')[0] == 'dynnb']
        else: continue
        out += [(m, id(node) in top, node.lineno) for m in mods]
    return out


def test_every_module_has_a_layer():
    assert set(MODULES) <= set(LAYER), f'place {sorted(set(MODULES) - set(LAYER))} in LAYERS (and in ARCHITECTURE.md)'


@pytest.mark.parametrize('name', MODULES)
def test_imports_go_down_and_stay_at_the_top(name):
    for mod, at_top, line in dynnb_imports(name):
        if mod == '': continue   # the package root (`import dynnb`, for __version__), which imports nothing
        assert mod in LAYER, f'dynnb/{name}.py:{line} imports {mod!r}, which is not a dynnb module'
        assert at_top, f'dynnb/{name}.py:{line} imports dynnb.{mod} inside a function: import it at the top of the module'
        assert LAYER[mod] <= LAYER[name], f'dynnb/{name}.py:{line} imports dynnb.{mod}, a higher layer ({LAYER[mod]} > {LAYER[name]})'


def test_no_circle():
    graph = {n: {m for m, _, _ in dynnb_imports(n) if m and m != n} for n in MODULES}
    state = {}
    def visit(n, path):
        if state.get(n) == 'done': return
        assert state.get(n) != 'open', 'import circle: ' + ' → '.join(path + [n])
        state[n] = 'open'
        for m in sorted(graph.get(n, ())): visit(m, path + [n])
        state[n] = 'done'
    for n in MODULES: visit(n, [])


def test_the_checker_sees_what_it_should(tmp_path):
    "The parser finds relative, absolute and function-local imports: a planted module with all three is reported."
    (tmp_path/'planted.py').write_text('from .core import x\nimport dynnb.hub\ndef f():\n    from dynnb.cli import main\n')
    assert dynnb_imports('planted', tmp_path) == [('core', True, 1), ('hub', True, 2), ('cli', False, 4)]
