"""CSV and XLSX for the admin's import and export, safe to open in a spreadsheet.

Export: a text cell that starts with =, +, - or @ would be run as a formula by
Excel or LibreOffice, so it gets a leading apostrophe (plain numbers such as -3
are left alone). Import takes that apostrophe off again, so an exported file
imports back unchanged. CSV files are read as UTF-8 (with or without a byte-order
mark) and, when they are not valid UTF-8, as Windows-1252, which is what Excel
on Windows writes.
"""

import re

from import_export.formats import base_formats

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
NEUTRALISED = re.compile(r"^'[=+\-@\t\r]")


def neutralise(value):
    """The cell as a spreadsheet will show it, never as a formula it would run."""
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if NUMBER.match(value):
        return value
    return "'" + value


def restore(value):
    if isinstance(value, str) and NEUTRALISED.match(value):
        return value[1:]
    return value


def decode(data):
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def neutralised_copy(dataset):
    copy = dataset.__class__(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        copy.append([neutralise(cell) for cell in row])
    return copy


def restored_copy(dataset):
    copy = dataset.__class__(headers=dataset.headers)
    for row in dataset:
        copy.append([restore(cell) for cell in row])
    return copy


class CSV(base_formats.CSV):
    # Binary so that the admin hands over raw bytes and `decode` picks the
    # encoding, instead of failing on the first Windows-1252 byte.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        dataset = base_formats.TablibFormat.create_dataset(
            self, decode(in_stream), **kwargs
        )
        return restored_copy(dataset)

    def export_data(self, dataset, **kwargs):
        # The byte-order mark makes Excel read the file as UTF-8.
        text = neutralised_copy(dataset).export("csv", **kwargs)
        return text.encode("utf-8-sig")


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return restored_copy(super().create_dataset(in_stream))

    def export_data(self, dataset, **kwargs):
        # openpyxl stores a string starting with "=" as a formula.
        return neutralised_copy(dataset).export("xlsx", **kwargs)


FORMATS = [CSV, XLSX]
