"""How wide staff pages are in a browser window: the document's scrollWidth
against the window's width, and the coverage matrix's own width in its region.
A report, run by hand against a running server (Debian's Chromium):

    DEBUG=1 DB_NAME=/tmp/mine.sqlite3 MFA_REQUIRED_ROLES="" .venv/bin/python manage.py runserver 127.0.0.1:8707
    .venv/bin/python bench/page_widths.py --base http://127.0.0.1:8707 --user storstad-samordnare \\
        --password storstad-demo --width 1366 /uppfoljning/tackning/ "/uppfoljning/tackning/?fokus=alla"
"""

import argparse

from playwright.sync_api import sync_playwright

WIDTHS = """() => {
    const region = document.querySelector('.table-scroll:has(table.matrix)');
    return [document.documentElement.scrollWidth, window.innerWidth, region ? region.scrollWidth : null];
}"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    parser.add_argument("--width", type=int, default=1366)
    parser.add_argument("--height", type=int, default=768)
    parser.add_argument("urls", nargs="+")
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        context = browser.new_context(
            base_url=args.base, locale="sv-SE", viewport={"width": args.width, "height": args.height}
        )
        page = context.new_page()
        if args.user:
            page.goto("/")
            page.get_by_label("Användarnamn eller e-post").fill(args.user)
            page.get_by_label("Lösenord").fill(args.password)
            page.get_by_role("button", name="Logga in").click()
            page.wait_for_load_state()
        print(f"{'page':<60} {'document':>9} {'window':>7} {'matrix':>7}")
        for url in args.urls:
            page.goto(url)
            document, window, matrix = page.evaluate(WIDTHS)
            print(f"{url:<60} {document:>9} {window:>7} {matrix if matrix is not None else '':>7}")
        browser.close()


if __name__ == "__main__":
    main()
