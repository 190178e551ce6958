"""Excel workbooks (openpyxl): the coalition-meeting export (`writer`), and reading
partners' edits back (`reader`)."""

from rectrack.io.xlsx.reader import is_rectrack_workbook, is_workbook, read_workbook
from rectrack.io.xlsx.writer import write_workbook

__all__ = ["is_rectrack_workbook", "is_workbook", "read_workbook", "write_workbook"]
