"""Outputs as text, to compare what a reader gets at two moments (differencing tests)."""

import re
from io import BytesIO

from openpyxl import load_workbook

# What differs between two requests for the same page: the CSRF token and the CSP nonce.
PER_REQUEST = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"|nonce="[^"]*"')


def output_text(response) -> str:
    """A response as a reader gets it: an HTML page's main content, a workbook's
    cell values, any other file's text; a refusal as its status code."""
    if response.status_code != 200:
        return f"status {response.status_code}"
    if response["Content-Type"].startswith("application/vnd.openxmlformats"):
        return repr([list(ws.iter_rows(values_only=True)) for ws in load_workbook(BytesIO(response.content))])
    body = (b"".join(response.streaming_content) if response.streaming else response.content).decode()
    if response["Content-Type"].startswith("text/html"):
        main = re.search(r"<main.*?</main>", body, re.S)
        body = PER_REQUEST.sub("", main.group(0) if main else body)
    return body
