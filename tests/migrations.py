"""Migration tests: the database taken to one migration of an app, every other app at its
latest, and back to the latest after the test (`back_to_latest`)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def migrate_to(target: tuple[str, str] | None):
    """Every app at its latest migration, `target`'s app at that migration (None: all latest);
    the apps of that state, for the test's historical models."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    targets = leaves
    if target is not None:
        targets = [leaf for leaf in leaves if leaf[0] != target[0]] + [target]
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    migrate_to(None)
