"""One local Ray cluster for the session's Ray tests: starting one takes seconds."""

from __future__ import annotations

import logging
import os

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="session")
def ray_cluster() -> str:
    """The cluster's address; this process is connected to it as well."""
    ray = pytest.importorskip("ray", reason="the ray extra is not installed: pip install -e '.[test,ray]'")
    # workers import the tasks of tests/ by name, like prep's from the installed package
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    context = ray.init(address="local", num_cpus=2, include_dashboard=False, log_to_driver=False,
                       logging_level=logging.ERROR, runtime_env={"env_vars": {"PYTHONPATH": path}})
    yield context.address_info["gcs_address"]
    ray.shutdown()
