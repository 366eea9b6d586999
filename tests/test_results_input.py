"""Bad results folders get a clear message naming the path."""

import pytest

from ganaug.experiment.store import load_results


def test_load_results_on_an_empty_or_header_only_csv_names_the_path(tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("")
    with pytest.raises(ValueError, match="is empty") as empty:
        load_results(tmp_path)
    assert str(path) in str(empty.value)
    path.write_text("arm,seed,metric,value\n")
    with pytest.raises(ValueError, match="no results yet") as header_only:
        load_results(tmp_path)
    assert str(path) in str(header_only.value)
