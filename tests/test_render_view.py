"""Numbers as the site's tables show them: one precision per column."""

from __future__ import annotations

from model_index.render.view import scaled_column, with_columns, written_column


def test_written_values_take_the_most_decimals_of_their_column():
    assert written_column([84.4, 84.38, 85, None, "n/a"]) == ["84.40", "84.38", "85.00", "", "n/a"]
    assert written_column([0.9, 1.0]) == ["0.9", "1.0"]
    assert written_column([224, 384]) == ["224", "384"]


def test_written_values_keep_at_most_six_decimals_and_take_no_float_noise():
    assert written_column([1e-9, 0.5]) == ["0.000000", "0.500000"]
    assert written_column([0.1 + 0.2, 1]) == ["0.300000", "1.000000"]  # 0.30000000000000004, rounded at six
    assert written_column([True, float("nan")]) == ["True", "nan"]  # not numbers: written as they are
    assert written_column([10 ** 400]) == [str(10 ** 400)]


def test_measured_values_show_two_significant_digits_of_the_smallest():
    assert scaled_column([24_000_000, 3_664_000_000], 1e9) == ["0.024", "3.664"]
    assert scaled_column([21_797_672, 11_689_512, None], 1e6) == ["21.80", "11.69", ""]
    assert scaled_column([0, 5_000_000], 1e6) == ["0.00", "5.00"]  # zero needs no digits of its own
    assert scaled_column([None], 1e6) == [""]
    assert scaled_column([10 ** 400, float("inf"), 2_000_000], 1e6) == ["", "", "2.00"]  # no float for them


def test_with_columns_formats_each_field_across_the_rows():
    rows = with_columns([{"params": 1_590_000, "flops": 24_000_000, "file_size": None, "crop_pct_value": 0.875,
                          "top1_value": 57.9},
                         {"params": 21_797_672, "flops": 3_664_000_000, "file_size": 87_310_000,
                          "crop_pct_value": 0.95, "top1_value": 76.42}])
    assert [(r["params_m"], r["flops_g"], r["file_size_mb"], r["crop_pct"], r["top1"]) for r in rows] == \
        [("1.59", "0.024", "", "0.875", "57.90"), ("21.80", "3.664", "87.31", "0.950", "76.42")]
