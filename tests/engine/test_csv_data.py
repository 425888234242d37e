import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.csv_data import (
    MAX_BYTES,
    MAX_CLASSES,
    MAX_FEATURES,
    MAX_ROWS,
    CSVError,
    UserData,
    load_csv,
)
from engine.datasets import Dataset

IRIS_LIKE = """sepal,petal,species
5.1,1.4,setosa
4.9,1.5,setosa
6.3,4.9,virginica
5.8,5.1,virginica
6.0,4.0,versicolor
5.5,4.2,versicolor
"""


def test_string_classes_are_mapped_in_sorted_order():
    data = load_csv(IRIS_LIKE)
    assert isinstance(data, UserData) and len(data) == 6
    assert data.problem == "classification" and data.n_classes == 3
    assert data.class_names == ("setosa", "versicolor", "virginica")
    np.testing.assert_array_equal(data.y, [0, 0, 2, 2, 1, 1])
    assert data.feature_names == ("sepal", "petal") and data.label_name == "species"
    assert data.X.shape == (6, 2) and data.mean.shape == data.std.shape == (2,)


def test_inputs_are_standardized_and_the_original_scale_comes_back():
    data = load_csv(IRIS_LIKE)
    np.testing.assert_allclose(data.X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(data.X.std(axis=0), 1)
    original = np.array([[5.1, 1.4], [4.9, 1.5], [6.3, 4.9], [5.8, 5.1], [6.0, 4.0], [5.5, 4.2]])
    np.testing.assert_allclose((data.X * data.std + data.mean), original)
    np.testing.assert_allclose(data.mean, original.mean(axis=0))


def test_a_constant_column_becomes_zeros_without_dividing_by_zero():
    data = load_csv("a,b,label\n0.1,1,0\n0.1,2,1\n0.1,3,0\n0.1,4,1\n")
    np.testing.assert_array_equal(data.X[:, 0], 0.0)
    assert data.std[0] == 1.0 and data.mean[0] == 0.1
    np.testing.assert_allclose((data.X * data.std + data.mean)[:, 0], 0.1)


def test_bytes_with_a_byte_order_mark_and_windows_line_ends():
    data = load_csv("\ufeffx1,x2,y\r\n1,2,a\r\n3,4,b\r\n5,6,a\r\n7,8,b\r\n".encode())
    assert data.feature_names == ("x1", "x2") and data.class_names == ("a", "b")


def test_windows_1252_bytes_are_read():
    data = load_csv("x,y\n1,café\n2,café\n3,thé\n4,thé\n".encode("cp1252"))
    assert data.class_names == ("café", "thé")


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolons_and_tabs(delimiter):
    data = load_csv(IRIS_LIKE.replace(",", delimiter))
    assert data.n_classes == 3 and data.X.shape == (6, 2)


def test_quotes_spaces_and_blank_lines_are_tolerated():
    data = load_csv('"x 1", x2 , "label"\n\n 1 , 2 , "a"\n3,4,b\n\n5,6,a\n7,8,b\n,,\n\n')
    assert data.feature_names == ("x 1", "x2") and len(data) == 4


def test_few_whole_numbers_mean_classes():
    data = load_csv("x,y\n1,2\n2,10\n3,2\n4,10\n")
    assert data.problem == "classification" and data.class_names == ("2", "10")  # by value, not as text
    np.testing.assert_array_equal(data.y, [0, 1, 0, 1])


def test_1_and_1_point_0_are_one_class():
    data = load_csv("x,y\n1,1\n2,1.0\n3,0\n4,0.0\n")
    assert data.class_names == ("0", "1")
    np.testing.assert_array_equal(data.y, [1, 1, 0, 0])


def test_fractional_or_many_distinct_numbers_mean_regression():
    data = load_csv("x,y\n1,0.5\n2,1.5\n3,2.5\n")
    assert data.problem == "regression" and data.n_classes == 0 and data.class_names == ()
    np.testing.assert_array_equal(data.y, [0.5, 1.5, 2.5])
    rows = "\n".join(f"{i},{i}" for i in range(20))
    assert load_csv("x,y\n" + rows).problem == "regression"


def test_the_problem_can_be_forced():
    assert load_csv("x,y\n1,0\n2,1\n3,0\n4,1\n", problem="regression").problem == "regression"
    data = load_csv("x,y\n1,0.5\n2,1.5\n3,0.5\n4,1.5\n", problem="classification")
    assert data.class_names == ("0.5", "1.5")
    with pytest.raises(ValueError, match="unknown problem 'ranking'"):
        load_csv(IRIS_LIKE, problem="ranking")


def test_another_label_column():
    data = load_csv("label,x1,x2\na,1,2\nb,3,4\na,5,6\nb,7,9\n", label_column="label")
    assert data.feature_names == ("x1", "x2") and data.class_names == ("a", "b")
    with pytest.raises(CSVError, match=r"there is no column 'target'; the columns are 'label', 'x1', 'x2'"):
        load_csv("label,x1,x2\na,1,2\nb,3,4\n", label_column="target")


def test_wide_data_and_one_feature():
    header = ",".join(f"f{i}" for i in range(8)) + ",y"
    rows = [",".join(str((i * 7 + j) % 5) for j in range(8)) + f",{i % 2}" for i in range(10)]
    data = load_csv("\n".join([header, *rows]))
    assert data.X.shape == (10, 8) and data.n_classes == 2
    assert load_csv("x,y\n1,2.5\n2,3.5\n").X.shape == (2, 1)


def test_to_dataset():
    d = load_csv(IRIS_LIKE).to_dataset()
    assert isinstance(d, Dataset) and d.feature_names == ("sepal", "petal") and d.n_classes == 3


# Every error the issue lists, with the row (header = row 1) and column named.


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"the file is empty"),
        ("\n\n  \n", r"the file is empty"),
        ("1,2,0\n3,4,1\n", r"row 1 holds numbers, not column names: add a header row"),
        ("x1,x2,y\n", r"at least 2 data rows below the header, found 0"),
        ("x1,x2,y\n1,2,a\n", r"at least 2 data rows below the header, found 1"),
        ("x1,,y\n1,2,a\n3,4,b\n", r"column 2 has no name in the header \(row 1\)"),
        ("x,x,y\n1,2,a\n3,4,b\n", r"the header names column 'x' twice"),
        ("label\na\nb\n", r"found 1 column \('label'\); the file needs at least one feature column and a label"),
        ("x1,x2,y\n1,2,a\n3,4\n5,6,b\n", r"row 3 has 2 values but the header names 3 columns"),
        ("x1,x2,y\n1,2,a\n3,4,b,5\n", r"row 3 has 4 values but the header names 3 columns"),
        ("x1,x2,y\n1,2,a\n3,abc,b\n", r"row 3, column 'x2': 'abc' is not a number"),
        ('x1,x2,y\n1,"2,5",a\n3,4,b\n', r"row 2, column 'x2': '2,5' is not a number; use a dot for decimals"),
        ("x1;x2;y\n1;2;a\n3;4;b\n", r"class 'a' has only 1 row .*read as separated by semicolons"),
        ("x1,x2,y\n1,2,a\n\n3,,b\n", r"row 4, column 'x2' is empty"),  # blank lines still count
        ("x1,x2,y\n1,NaN,a\n3,4,b\n", r"row 2, column 'x2' is 'NaN', not a finite number"),
        ("x1,x2,y\n1,2,a\n3,inf,b\n", r"row 3, column 'x2' is 'inf', not a finite number"),
        ("x1,x2,y\n1,2,a\n3,4,\n", r"row 3, column 'y' is empty"),
        ("x1,x2,y\n1,2,a\n3,4,nan\n", r"row 3, column 'y' is 'nan', not a finite number"),
        (
            "x1,x2,y\n1,2,a\n3,4,a\n5,6,a\n",
            r"every row of column 'y' has the label 'a': classification needs 2 classes",
        ),
        ("x1,x2,y\n1,2,a\n3,4,a\n5,6,b\n", r"class 'b' has only 1 row \(row 4\); every class needs at least 2"),
        ("x,y\n1e308,0.5\n-1e308,1.5\n", r"column 'x' holds numbers too large or too small to standardize"),
        ('x,y\n1,"a\n', r"row 2 cannot be read as CSV \(unexpected end of data\)"),
        ('x,y\n1,"a"b\n2,c\n', r"row 2 cannot be read as CSV"),
    ],
)
def test_errors_name_the_row_and_column(text, message):
    with pytest.raises(CSVError, match=message):
        load_csv(text)


def test_huge_regression_targets_are_kept_as_they_are():
    data = load_csv("x,y\n1,1e150\n2,-1e150\n3,1e149\n", problem="regression")
    np.testing.assert_array_equal(data.y, [1e150, -1e150, 1e149])  # targets are not standardized


def test_regression_targets_whose_loss_overflows_are_refused():  # issue 20: not the learning rate's fault
    with pytest.raises(CSVError, match=r"row 3, column 'y' is -1e\+308: a regression target may be at most 1e\+150"):
        load_csv("x,y\n1,1e300\n2,-1e308\n3,1e307\n", problem="regression")


def test_regression_labels_must_be_numbers():
    with pytest.raises(CSVError, match=r"row 3, column 'y': 'big' is not a number"):
        load_csv("x,y\n1,0.5\n2,big\n3,1.5\n", problem="regression")


def test_too_many_classes():
    rows = "\n".join(f"{i},c{i % (MAX_CLASSES + 1)}" for i in range(2 * (MAX_CLASSES + 1)))
    with pytest.raises(CSVError, match=f"11 different labels; classification allows at most {MAX_CLASSES}"):
        load_csv("x,y\n" + rows)
    rows = "\n".join(f"{i},{i % 12}" for i in range(24))
    with pytest.raises(CSVError, match="choose regression for a numeric target"):
        load_csv("x,y\n" + rows, problem="classification")


def test_row_limit():
    rows = "\n".join(f"{i},{i % 2}" for i in range(MAX_ROWS))
    assert len(load_csv("x,y\n" + rows)) == MAX_ROWS
    with pytest.raises(CSVError, match=f"more than {MAX_ROWS:,} data rows"):
        load_csv("x,y\n" + rows + "\n1,0\n")


def test_size_limit():
    big = "x,y\n" + "1.000000000,0\n" * (MAX_BYTES // 14 + 1)
    with pytest.raises(CSVError, match=r"the file has 2,000,016 bytes; the limit is 2,000,000 bytes \(2 MB\)"):
        load_csv(big.encode())
    with pytest.raises(CSVError, match=r"the limit is 2,000,000 bytes \(2 MB\)"):
        load_csv(big)


def test_column_limit():
    header = ",".join(f"f{i}" for i in range(MAX_FEATURES + 1)) + ",y"
    with pytest.raises(CSVError, match=f"found {MAX_FEATURES + 2} columns"):
        load_csv(header + "\n")


def test_binary_files_are_refused():
    with pytest.raises(CSVError, match="not a text file"):
        load_csv(b"PK\x03\x04\x00\x00 a workbook")
    with pytest.raises(CSVError, match="not UTF-8 text"):
        load_csv(b"x,y\n1,\x81\x8d\n")


def test_csv_error_is_a_value_error():
    assert issubclass(CSVError, ValueError)


# Property-based: any upload is read or refused with a CSVError, never another exception.

_CSV_CHARS = "0123456789.,;\t\n\r\"' -+eEnaifxyAB"
_good_cells = st.one_of(st.floats(allow_nan=False, allow_infinity=False).map(repr), st.integers(-3, 3).map(str))
_bad_cells = st.sampled_from(["a", "b", "", "nan", "inf", '"q"', "x1"])
_cells = st.one_of(*[_good_cells] * 9, _bad_cells)  # mostly good, so that some tables load
_tables = st.integers(2, 4).flatmap(
    lambda width: st.lists(st.lists(_cells, min_size=width, max_size=width), min_size=1, max_size=12)
)
_uploads = st.one_of(
    st.binary(max_size=300),
    st.text(alphabet=_CSV_CHARS, max_size=300),
    st.text(max_size=100),
    _tables.map(lambda rows: "\n".join(",".join(row) for row in [["x1", "x2", "x3", "y"][: len(rows[0])], *rows])),
)


@settings(max_examples=300, deadline=500)
@given(_uploads)
def test_any_upload_is_read_or_refused_with_a_csv_error(data):
    try:
        result = load_csv(data)
    except CSVError:
        return
    assert result.X.shape[0] == result.y.shape[0] >= 2
    assert np.isfinite(result.X).all()


def test_spreadsheet_csv_with_semicolons_decimal_commas_and_a_sep_line():
    """What a spreadsheet in many locales saves: ; between values, a comma for decimals,
    sometimes a first line sep=; naming the separator."""
    for text in (
        "x1;x2;y\n1,5;-2,25;a\n3;4;b\n0,5;1;a\n2;2e1;b\n",
        "sep=;\nx1;x2;y\n1,5;-2,25;a\n3;4;b\n0,5;1;a\n2;2e1;b\n",
    ):
        data = load_csv(text)
        assert data.feature_names == ("x1", "x2") and data.class_names == ("a", "b")
        np.testing.assert_allclose((data.X * data.std + data.mean)[:, 0], [1.5, 3, 0.5, 2])
        np.testing.assert_allclose((data.X * data.std + data.mean)[:, 1], [-2.25, 4, 1, 20])
    tabbed = load_csv("x1\tx2\ty\n1,5\t2\t0\n3\t4\t1\n1\t1\t0\n2\t2\t1\n")
    np.testing.assert_allclose((tabbed.X * tabbed.std + tabbed.mean)[:, 0], [1.5, 3, 1, 2])


def test_constant_feature_columns_say_so():
    with pytest.raises(CSVError, match="every feature column holds one value only"):
        load_csv("x1,x2,label\n5,5,0\n5,5,1\n5,5,0\n5,5,1\n")
    data = load_csv("x1,x2,label\n5,1,0\n5,2,1\n5,1,0\n5,2,1\n")  # one constant column is fine: it becomes 0
    assert np.all(data.X[:, 0] == 0)


TABLE = "x1,x2,label\n1,2,0\n2,1,1\n3,3,0\n4,4,1\n"


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_files_are_read_with_or_without_a_byte_order_mark(encoding):  # issue 20
    data = load_csv(TABLE.encode(encoding))
    assert data.feature_names == ("x1", "x2") and len(data) == 4


@pytest.mark.parametrize(
    ("head", "said"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", r"spreadsheet workbook \(\.xlsx\)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", r"spreadsheet workbook \(\.xls\)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"not a text file \(it holds zero bytes\)"),
    ],
)
def test_workbooks_and_other_binary_files_are_named(head, said):
    with pytest.raises(CSVError, match=said):
        load_csv(head + bytes(range(256)))
