"""Bumping framework pins after a release, and writing back what the install resolved."""

from fwbench import pins

CONSTRAINTS = "# exact pins\nkeras==3.15.1\ntensorboard==2.21.0\ntensorboard-data-server==0.7.2\ntensorflow_cpu==2.21.0\ntorch==2.13.0\n"


def test_bumping_tensorflow_rewrites_its_pin_and_unpins_its_companions(tmp_path):
    path = tmp_path / "constraints.txt"
    path.write_text(CONSTRAINTS)
    changes = pins.bump(path, {"tensorflow": "2.20.0"})
    text = path.read_text()
    assert "tensorflow_cpu==2.20.0" in text and "torch==2.13.0" in text and "keras==3.15.1" in text
    assert "tensorboard" not in text
    assert changes[0] == "tensorflow_cpu 2.21.0 -> 2.20.0"
    added = pins.write_resolved(path, {"tensorboard": "2.20.0", "tensorboard-data-server": "0.7.2", "six": "1.0"})
    assert added == ["tensorboard==2.20.0", "tensorboard-data-server==0.7.2"]
    assert path.read_text().splitlines() == ["# exact pins", "keras==3.15.1", "tensorboard==2.20.0",
                                             "tensorboard-data-server==0.7.2", "tensorflow_cpu==2.20.0", "torch==2.13.0"]


def test_same_version_changes_nothing_and_bad_input_is_one_line(tmp_path, capsys):
    path = tmp_path / "constraints.txt"
    path.write_text(CONSTRAINTS)
    assert pins.bump(path, {"torch": "2.13.0"}) == [] and path.read_text() == CONSTRAINTS
    assert pins.main(["--tensorflow", "latest", "--file", str(path)]) == 1
    assert "not a version number" in capsys.readouterr().err and path.read_text() == CONSTRAINTS
    assert pins.main(["--torch", "2.1.0", "--file", str(tmp_path / "missing.txt")]) == 1
    assert "no such constraints file" in capsys.readouterr().err


def test_release_without_versions_is_one_line_and_changes_nothing(capsys):
    from fwbench import cli
    from tests.conftest import REPO_ROOT

    before = (REPO_ROOT / "constraints.txt").read_text()
    assert cli.main(["release"]) == 1
    assert "name at least one version" in capsys.readouterr().err
    assert (REPO_ROOT / "constraints.txt").read_text() == before
