"""Uploading spreadsheets through the admin's two-step import."""

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

CSV, XLSX = "0", "1"  # positions in portal.spreadsheets.FORMATS


def csv_file(text, encoding="utf-8", name="rows.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), "text/csv")


def xlsx_file(rows, name="rows.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def preview(client, url, upload, file_format=CSV):
    return client.post(f"{url}import/", {"import_file": upload, "format": file_format})


def confirm(client, url, response):
    form = response.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(f"{url}process_import/", data)


def row_errors(response):
    """(row number, {field: [messages]}) for each invalid row of a preview."""
    result = response.context["result"]
    invalid = [(row.number, row.error_dict) for row in result.invalid_rows]
    failed = [
        (number, [str(e.error) for e in errors])
        for number, errors in result.row_errors()
    ]
    return invalid + failed


def read_xlsx(content):
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def export(client, url, file_format=CSV):
    """Post the admin's export form with every column ticked, as it starts."""
    form = client.get(f"{url}export/").context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.initial is True}
    data.update(format=file_format, resource="0")
    return client.post(f"{url}export/", data)
