"""What the browser tests check on a page: axe-core, reflow, visible focus, keyboard reach.

axe-core (tests/browser/vendor, `make vendor-axe`) is handed to the page under test by
Playwright itself, at a same-origin address the server never sees: Haven never serves it to
anyone, and the page's own Content-Security-Policy stays on while it runs.
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
# A same-origin address the browser never sends to the server: Playwright answers it with
# the vendored file (see `axe`), so the page's own Content-Security-Policy stays on.
AXE_PATH = "/__browser-tests__/axe.min.js"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA, and axe's best practices (headings, landmarks).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# Failed whatever axe calls their impact: the accessibility requirements name these explicitly.
AXE_ALWAYS_FAIL = {
    "heading-order",
    "page-has-heading-one",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "region",
    "document-title",
    "label",
    "target-size",
}


def axe(page) -> list[dict]:
    """Run axe-core in ``page`` and return the violations that fail a test: every serious or
    critical one, and any of ``AXE_ALWAYS_FAIL``."""
    if not getattr(page, "_haven_axe_routed", False):
        page.route(
            f"**{AXE_PATH}", lambda route: route.fulfill(path=AXE, content_type="text/javascript")
        )
        page._haven_axe_routed = True
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=page.evaluate("location.origin") + AXE_PATH)
    # A page that moved the focus (the error summary) may still be scrolling smoothly; axe
    # run mid-scroll sees targets half under the sticky exit bar that a person never sees.
    page.evaluate(
        """async () => {
            const frame = () => new Promise(r => requestAnimationFrame(() => r()));
            let last = null;
            for (let i = 0; i < 120 && window.scrollY !== last; i++) {
                last = window.scrollY;
                await frame(); await frame();
            }
        }"""
    )
    violations = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(" ") + " :: " + n.failureSummary),
            }));
        }""",
        AXE_TAGS,
    )
    serious = ("serious", "critical")
    return [v for v in violations if v["impact"] in serious or v["id"] in AXE_ALWAYS_FAIL]


def assert_accessible(page, where=""):
    """No serious or critical axe violation (nor any of ``AXE_ALWAYS_FAIL``) on this page."""
    found = axe(page)
    report = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"][:6])
        for v in found
    )
    assert not found, f"axe found problems on {where or page.url}:\n{report}"


def assert_reflows(page, width=320):
    """WCAG 1.4.10: at ``width`` CSS pixels nothing needs scrolling sideways."""
    page.set_viewport_size({"width": width, "height": 740})
    overflow = page.evaluate(
        """() => {
            const wide = [...document.querySelectorAll("body *")].filter(el => {
                const box = el.getBoundingClientRect();
                return box.width > 0 && box.right > document.documentElement.clientWidth + 1
                    && getComputedStyle(el).position !== "absolute"
                    && !el.closest(".table-responsive, .visually-hidden")
                    && !el.closest(".visually-hidden-focusable");
            });
            return {
                scroll: document.documentElement.scrollWidth,
                client: document.documentElement.clientWidth,
                wide: wide.slice(0, 5).map(el => el.outerHTML.slice(0, 120)),
            };
        }"""
    )
    problem = f"{page.url} does not reflow at {width} px: {overflow}"
    assert overflow["scroll"] <= overflow["client"], problem
    assert not overflow["wide"], problem


def focus_is_visible(page) -> bool:
    """The focused element draws Haven's focus indicator: a solid outline at least 2 px wide
    (static/css/haven.css), whatever Bootstrap does on its own. (Chromium's date and time
    inputs have a picker button of their own inside, a Tab stop the page cannot style or
    inspect: the input stays document.activeElement but no longer matches :focus. The
    browser draws that button's focus.)"""
    return page.evaluate(
        """() => {
            const element = document.activeElement;
            const picker = element.matches("input[type=date], input[type=time]");
            if (picker && !element.matches(":focus")) {
                return true;
            }
            const style = getComputedStyle(element);
            return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
        }"""
    )


def tab_to(page, selector, limit=120):
    """Press Tab until the element matching ``selector`` has focus: proves it is reachable by
    keyboard, in tab order, and that every element passed on the way shows its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            continue
        assert focus_is_visible(page), "no visible focus on " + page.evaluate(
            "document.activeElement.outerHTML.slice(0, 200)"
        )
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def press_continue(page):
    tab_to(page, "button[type=submit].btn-primary")
    with page.expect_navigation():
        page.keyboard.press("Enter")
