"""Migrations stand alone: none imports Cairn's own code to run it.

A migration runs, years later, on a database that has never seen it. If it called live code
(a catalogue, a converter, a service), changing that code would change what the old migration
does. So the data and functions a migration needs are copied into it.
"""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# Django's migration writer names a few things by reference rather than copying them: the
# callables given as a field's ``upload_to`` or ``storage`` and the managers used in migrations.
# Django needs them importable as long as a migration names them, and compares them by identity
# when it looks for changes, so they cannot be copied. Nothing else of Cairn's may be named.
DJANGO_REFERENCES = frozenset(
    {
        "accounts.models.UserManager",
        "reviews.models.evidence_upload_to",
        "reviews.models.publication.publication_storage",
        "reviews.models.publication.published_pdf_upload_to",
    }
)


def project_packages() -> set[str]:
    """The top-level names Cairn's own code is imported by: its packages and modules."""
    names = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    return names | {path.stem for path in ROOT.glob("*.py")}


def migration_files() -> list[Path]:
    files = []
    for app in apps.get_app_configs():
        folder = Path(app.path) / "migrations"
        if folder.is_relative_to(ROOT) and folder.is_dir():
            files.extend(sorted(folder.glob("[0-9]*.py")))
    return files


def _dotted(node: ast.expr) -> str | None:
    """``a.b.c`` for an attribute chain on a name, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return ".".join([node.id, *reversed(parts)])
    return None


def imports_of_project_code(source: str, packages: set[str]) -> list[str]:
    """What a migration's source takes from Cairn's own code, beyond Django's references."""
    tree = ast.parse(source)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level or (node.module or "").split(".")[0] in packages:
                names = ", ".join(alias.name for alias in node.names)
                found.append(f"from {'.' * node.level}{node.module or ''} import {names}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] not in packages:
                    continue
                # Django's writer puts "import reviews.models" at the top of the file; what
                # the migration then names through it is judged below.
                if node not in tree.body or alias.asname is not None:
                    found.append(f"import {alias.name}")
    # Whole chains only ("reviews.models.evidence_upload_to", not "reviews.models" inside it).
    inner = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and id(node) not in inner:
            name = _dotted(node)
            if name and name.split(".")[0] in packages and name not in DJANGO_REFERENCES:
                found.append(name)
    return found


def test_there_are_migrations_to_check():
    names = {f"{path.parent.parent.name}/{path.name}" for path in migration_files()}
    assert "priorities/0002_common_measures.py" in names
    assert "reviews/0001_initial.py" in names


def test_no_migration_imports_the_projects_own_code():
    packages = project_packages()
    assert {"accounts", "core", "partnerships", "priorities", "reviews"} <= packages
    offenders = {
        str(path.relative_to(ROOT)): found
        for path in migration_files()
        if (found := imports_of_project_code(path.read_text(), packages))
    }
    assert offenders == {}, "Copy what these migrations need into them: " + repr(offenders)


def test_the_check_sees_every_way_of_importing():
    packages = {"priorities", "reviews"}
    assert imports_of_project_code(
        "def load(apps, editor):\n    from priorities.catalogue import ensure\n", packages
    ) == ["from priorities.catalogue import ensure"]
    assert imports_of_project_code("from . import helpers\n", packages) == ["from . import helpers"]
    assert imports_of_project_code("import priorities.catalogue as c\n", packages) == [
        "import priorities.catalogue"
    ]
    assert imports_of_project_code(
        "import reviews.models\nx = reviews.models.render_something\n", packages
    ) == ["reviews.models.render_something"]
    assert (
        imports_of_project_code(
            "import reviews.models\nf = reviews.models.evidence_upload_to\n"
            "import django.db.models\n",
            packages,
        )
        == []
    )
