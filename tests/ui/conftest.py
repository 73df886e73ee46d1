import pytest


@pytest.fixture(autouse=True)
def _export_dir(tmp_path, monkeypatch):
    """Screenshots in tests go to a temporary folder, never the user's Pictures."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
