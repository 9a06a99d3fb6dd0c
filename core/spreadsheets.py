"""Writing CSV files that people open in spreadsheets."""

# A cell starting with one of these is read as a formula by Excel and LibreOffice, so text
# someone typed could run as one ("=HYPERLINK(...)") in the reader's spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """``text`` as a CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if text and text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
