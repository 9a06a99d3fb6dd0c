"""No app imports a higher one: core < accounts < partnerships < priorities < reviews < dashboard
< demo.

A lower app that reached up would tie the two together both ways, so neither could be read or
changed on its own. Every module of every app is parsed (migrations excepted), and every import
counts: at the top, inside a function, or under ``if TYPE_CHECKING``.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["core", "accounts", "partnerships", "priorities", "reviews", "dashboard", "demo"]

# Imports that still go the wrong way, each with the reason it stays for now. Keep it empty.
KNOWN: set[tuple[str, str]] = set()


def imported_apps(tree: ast.AST) -> set[str]:
    apps = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        apps.update(name.split(".")[0] for name in names)
    return apps & set(LAYERS)


def wrong_way_imports() -> set[tuple[str, str]]:
    found = set()
    for level, app in enumerate(LAYERS):
        higher = set(LAYERS[level + 1 :])
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(relative))
            for target in imported_apps(tree) & higher:
                found.add((relative.as_posix(), target))
    return found


def test_no_app_imports_a_higher_one():
    unexpected = wrong_way_imports() - KNOWN
    assert not unexpected, "imports of a higher app: " + ", ".join(
        f"{module} imports {target}" for module, target in sorted(unexpected)
    )


def test_every_known_exception_is_still_needed():
    assert not KNOWN - wrong_way_imports(), "remove the exceptions that no longer apply"


def test_the_check_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from reviews.models import PeerReview\n")
    assert imported_apps(tree) == {"reviews"}
