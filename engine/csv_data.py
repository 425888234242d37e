"""A user's CSV file: numeric feature columns plus one label column.

``load_csv`` reads the file's bytes (or text) with the standard ``csv`` module and returns
``UserData`` with standardized inputs, or raises ``CSVError`` with a message a user can act on.
Rows are counted as a spreadsheet counts them: the header is row 1, the first data row is row 2.
"""

import codecs
import csv
import io
import re
from dataclasses import dataclass

import numpy as np

from engine.datasets import Dataset

MAX_BYTES = 2_000_000
MAX_ROWS = 10_000  # data rows, not counting the header
MAX_FEATURES = 100  # beyond this the network picture and the weights stop being readable
MAX_CLASSES = 10
MIN_ROWS_PER_CLASS = 2  # so that a train/test split can put a row of each class on each side
# Regression targets are trained on unscaled (the pictures and the loss are in the file's own
# units). The loss squares them: summed over MAX_ROWS rows, squares of targets near 1e152
# overflow float64, and the first loss is infinite whatever the learning rate.
MAX_ABS_TARGET = 1e150
MAX_AUTO_CLASSES = 10  # whole-number labels with at most this many distinct values are taken as classes
PROBLEMS = ("classification", "regression")
_DELIMITERS = ",;\t"
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+([eE][+-]?\d+)?")


class CSVError(ValueError):
    """A CSV file that cannot be used as training data; the message says where and why."""


@dataclass(frozen=True, eq=False)
class UserData:
    """A user's data, ready to train on.

    X (n_samples, n_features) is standardized: each column has mean 0 and standard deviation 1
    (a constant column becomes 0). ``mean`` and ``std`` (n_features,) give the original scale back.
    y (n_samples,) holds class indices 0..k-1 into ``class_names`` for classification, the
    targets (unscaled) for regression.
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple[str, ...]
    label_name: str
    problem: str
    mean: np.ndarray
    std: np.ndarray
    n_classes: int = 0  # 0 for regression
    class_names: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.X)

    def to_dataset(self) -> Dataset:
        return Dataset(self.X, self.y, self.problem, self.n_classes, self.feature_names)


def load_csv(data: bytes | str, label_column: str | None = None, problem: str | None = None) -> UserData:
    """Read a CSV with a header row; ``label_column`` defaults to the last column.

    ``problem`` is ``"classification"``, ``"regression"`` or None to decide from the labels:
    any non-numeric label, or at most MAX_AUTO_CLASSES distinct whole numbers, means
    classification. Raises ``CSVError``.
    """
    if problem is not None and problem not in PROBLEMS:
        raise ValueError(f"unknown problem {problem!r}; valid: {', '.join(PROBLEMS)}")
    header, rows, lines, delimiter = _read_table(_decode(data))
    try:
        return _user_data(header, rows, lines, label_column, problem)
    except CSVError as err:
        if delimiter == ",":
            raise
        named = {";": "semicolons", "\t": "tabs"}[delimiter]
        raise CSVError(f"{err} (the values were read as separated by {named})") from None


def _user_data(header, rows, lines, label_column, problem) -> UserData:
    if label_column is None:
        label_column = header[-1]
    if label_column not in header:
        raise CSVError(f"there is no column {label_column!r}; the columns are {', '.join(map(repr, header))}")
    label_index = header.index(label_column)
    feature_indices = [i for i in range(len(header)) if i != label_index]
    X = np.column_stack([_numbers(rows, lines, i, header[i]) for i in feature_indices])
    y, problem, class_names = _labels(rows, lines, label_index, label_column, problem)
    X, mean, std = _standardize(X, [header[i] for i in feature_indices])
    return UserData(
        X=X,
        y=y,
        feature_names=tuple(header[i] for i in feature_indices),
        label_name=label_column,
        problem=problem,
        mean=mean,
        std=std,
        n_classes=len(class_names),
        class_names=class_names,
    )


def _decode(data: bytes | str) -> str:
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    if size > MAX_BYTES:
        raise CSVError(f"the file has {size:,} bytes; the limit is {MAX_BYTES:,} bytes ({MAX_BYTES / 1e6:g} MB)")
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # "Unicode text" from a spreadsheet
        try:
            return data.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError as err:
            raise CSVError(f"the file is UTF-16 text with an unreadable character at byte {err.start}") from None
    if data.startswith(b"PK\x03\x04"):
        raise CSVError(
            "this is not a text file but a spreadsheet workbook (.xlsx) or another zip archive: save it as CSV"
        )
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise CSVError("this is not a text file but a spreadsheet workbook (.xls): save it as CSV")
    if b"\x00" in data:
        encoding = _utf16_without_mark(data)
        if encoding is None:
            raise CSVError("this is not a text file (it holds zero bytes): save the data as CSV")
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            raise CSVError(f"the file is UTF-16 text with an unreadable character at byte {err.start}") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # what spreadsheets on Windows save by default
    except UnicodeDecodeError as err:
        raise CSVError(f"the file is not UTF-8 text (an unreadable byte at position {err.start})") from None


def _utf16_without_mark(data: bytes) -> str | None:
    """ "utf-16-le" or "utf-16-be" when every other byte of the first kilobyte is zero (text
    in the Latin alphabet written as UTF-16 without a byte order mark), else None."""
    head = data[: 1024 - 1024 % 2]
    if len(head) < 4:
        return None
    for encoding, zeros in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if zeros.count(0) >= 0.9 * len(zeros):
            return encoding
    return None


def _read_table(text: str) -> tuple[list[str], list[list[str]], list[int], str]:
    """-> (header, data rows, the row number of each data row, the separator). Wholly blank
    rows are skipped, as spreadsheets often leave some at the end. The separator is the
    one of , ; and tab that the first line holds most, or the one a spreadsheet's first
    line ``sep=;`` names. With ; or tab between values, a decimal comma (1,5) is read as
    a decimal point, as those spreadsheets write numbers."""
    if not text.strip():
        raise CSVError("the file is empty")
    first_line, _, rest = text.lstrip().partition("\n")
    hint = re.fullmatch(r"sep=(.)\s*", first_line)
    if hint and hint.group(1) in _DELIMITERS:
        text, first_line = rest, rest.lstrip().split("\n", 1)[0]
    delimiter = hint.group(1) if hint and hint.group(1) in _DELIMITERS else max(_DELIMITERS, key=first_line.count)
    decimal_comma = delimiter != ","
    # strict: a stray quote is an error to report, not a cell to swallow the rest of the file into
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True, strict=True)
    header, rows, lines = None, [], []
    try:
        for cells in reader:
            cells = [cell.strip() for cell in cells]
            if decimal_comma:
                cells = [cell.replace(",", ".") if _DECIMAL_COMMA.fullmatch(cell) else cell for cell in cells]
            if not any(cells):
                continue
            if header is None:
                header = _check_header(cells)
                continue
            if len(cells) != len(header):
                raise CSVError(
                    f"row {reader.line_num} has {len(cells)} values but the header names {len(header)} columns"
                )
            if len(rows) == MAX_ROWS:
                raise CSVError(f"the file has more than {MAX_ROWS:,} data rows; the limit is {MAX_ROWS:,}")
            rows.append(cells)
            lines.append(reader.line_num)
    except csv.Error as err:
        raise CSVError(f"row {reader.line_num} cannot be read as CSV ({err})") from None
    if len(rows) < 2:
        raise CSVError(f"the file needs at least 2 data rows below the header, found {len(rows)}")
    return header, rows, lines, delimiter


def _check_header(cells: list[str]) -> list[str]:
    if all(_is_number(cell) for cell in cells):
        raise CSVError(
            "row 1 holds numbers, not column names: add a header row naming the columns, such as x1,x2,label"
        )
    if len(cells) < 2:
        raise CSVError(
            f"found 1 column ({cells[0]!r}); the file needs at least one feature column and a label column,"
            f" separated by commas"
        )
    if len(cells) > MAX_FEATURES + 1:
        raise CSVError(f"found {len(cells)} columns; the limit is {MAX_FEATURES} feature columns and a label column")
    seen = set()
    for i, name in enumerate(cells):
        if not name:
            raise CSVError(f"column {i + 1} has no name in the header (row 1)")
        if name in seen:
            raise CSVError(f"the header names column {name!r} twice")
        seen.add(name)
    return cells


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _cell_error(cell: str, line: int, name: str) -> CSVError:
    where = f"row {line}, column {name!r}"
    if not cell:
        return CSVError(f"{where} is empty: fill it in or remove the row")
    if _is_number(cell):  # float() accepted it, so it is nan or inf
        return CSVError(f"{where} is {cell!r}, not a finite number: fill it in or remove the row")
    hint = "; use a dot for decimals" if re.fullmatch(r"[+-]?\d+,\d+", cell) else ""
    return CSVError(f"{where}: {cell[:30]!r} is not a number{hint}")


def _numbers(rows: list[list[str]], lines: list[int], index: int, name: str) -> np.ndarray:
    """Column ``index`` as floats (n_rows,); the first empty, non-numeric or non-finite cell raises."""
    values = np.empty(len(rows))
    for r, row in enumerate(rows):
        cell = row[index]
        try:
            values[r] = float(cell)
        except ValueError:
            raise _cell_error(cell, lines[r], name) from None
        if not np.isfinite(values[r]):
            raise _cell_error(cell, lines[r], name)
    return values


def _labels(rows, lines, index, name, problem) -> tuple[np.ndarray, str, tuple[str, ...]]:
    """-> (y (n_rows,), the problem, class names, empty for regression)."""
    cells = [row[index] for row in rows]
    for cell, line in zip(cells, lines, strict=True):
        if not cell or (_is_number(cell) and not np.isfinite(float(cell))):
            raise _cell_error(cell, line, name)
    numeric = all(_is_number(cell) for cell in cells)
    if problem is None:
        problem = "classification" if not numeric or _few_whole_numbers(cells) else "regression"
    if problem == "regression":
        y = _numbers(rows, lines, index, name)
        largest = int(np.argmax(np.abs(y)))
        if abs(y[largest]) > MAX_ABS_TARGET:
            raise CSVError(
                f"row {lines[largest]}, column {name!r} is {y[largest]:.3g}: a regression target may be at most"
                f" {MAX_ABS_TARGET:.0e} in size (the loss squares it, and squares this large overflow, whatever"
                f" the learning rate); divide the column by a power of ten so that its values are near 1"
            )
        return y, problem, ()
    return _classes(cells, lines, name, numeric)


def _few_whole_numbers(cells: list[str]) -> bool:
    values = {float(cell) for cell in cells}
    return len(values) <= MAX_AUTO_CLASSES and all(v.is_integer() for v in values)


def _classes(cells, lines, name, numeric) -> tuple[np.ndarray, str, tuple[str, ...]]:
    # Numeric labels are compared by value, so "1" and "1.0" are one class, ordered 2 before 10.
    keys = [float(cell) for cell in cells] if numeric else cells
    distinct = sorted(set(keys))
    names = tuple(f"{k:g}" for k in distinct) if numeric else tuple(distinct)
    if len(distinct) < 2:
        raise CSVError(
            f"every row of column {name!r} has the label {names[0]!r}: classification needs 2 classes or more"
        )
    if len(distinct) > MAX_CLASSES:
        raise CSVError(
            f"column {name!r} has {len(distinct)} different labels; classification allows at most {MAX_CLASSES}"
            + (" (choose regression for a numeric target)" if numeric else "")
        )
    index = {k: i for i, k in enumerate(distinct)}
    y = np.array([index[k] for k in keys])
    counts = np.bincount(y, minlength=len(distinct))
    for i in np.flatnonzero(counts < MIN_ROWS_PER_CLASS):
        only_row = lines[int(np.flatnonzero(y == i)[0])]
        raise CSVError(
            f"class {names[i]!r} has only 1 row (row {only_row}); every class needs at least {MIN_ROWS_PER_CLASS}"
        )
    return y, "classification", names


def _standardize(X: np.ndarray, names: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X (n, d) -> (standardized X, mean (d,), std (d,)). A constant column keeps std 1, so it
    becomes all zeros rather than a division by zero (equality, not std, decides: the std of
    identical floats can come out as 1e-17)."""
    constant = (X == X[0]).all(axis=0)
    if constant.all():
        which = "the feature column holds" if len(names) == 1 else "every feature column holds"
        raise CSVError(f"{which} one value only ({', '.join(map(repr, names[:5]))}): nothing tells the rows apart")
    with np.errstate(all="ignore"):
        mean = np.where(constant, X[0], X.mean(axis=0))
        std = np.where(constant, 1.0, X.std(axis=0))
        Z = (X - mean) / std
    bad = ~np.isfinite(Z).all(axis=0) | ~np.isfinite(std) | (std == 0)
    if bad.any():
        raise CSVError(f"column {names[int(np.argmax(bad))]!r} holds numbers too large or too small to standardize")
    return Z, mean, std
