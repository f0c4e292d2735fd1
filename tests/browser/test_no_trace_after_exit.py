"""After "Exit this page", Back shows no trace of her answers.

Chromium keeps the state of every form control of a page in its history entry and puts it
back when Back re-opens the page, even though the page itself is asked for again (every
public page is no-store) and the server has forgotten her answers. Here, from every step of
both forms, after each kind of exit (the button, Shift three times, the plain link without
JavaScript), she presses Back until there is no more history: every page she passes shows
every control (tick boxes, radios, selects, text, dates, text areas) exactly as a fresh visit
to that address shows it, and none of the words she typed.
"""

import pytest

from tests.browser.public_form import ANSWERS, FORMS, PROFESSIONAL_STEPS, SELF_STEPS, answer

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.any_day,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

EXITS = ["button", "shift-three-times", "link-without-javascript"]

# Every control's state, as the person holding the phone sees it.
CONTROL_STATES = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter(e => !["hidden", "submit", "button"].includes(e.type))
    .map(e => e.tagName === "SELECT"
        ? {name: e.name, selected: [...e.selectedOptions].map(o => o.value)}
        : ["checkbox", "radio"].includes(e.type)
            ? {name: e.name, value: e.value, checked: e.checked}
            : {name: e.name, value: e.value})"""


def answer_everything(page) -> list[str]:
    """Fill in every control she can see on this step, without sending it: every tick box
    ticked, the last option of every radio group and select, every text field typed in.
    Returns the words typed."""
    typed = []
    controls = page.locator("#referral-form input, #referral-form select, #referral-form textarea")
    radios_done = set()
    for index in range(controls.count()):
        control = controls.nth(index)
        if not control.is_visible():
            continue
        kind = control.evaluate("e => e.tagName === 'SELECT' ? 'select' : e.type")
        name = control.get_attribute("name")
        if kind == "checkbox":
            control.check()
        elif kind == "radio":
            if name not in radios_done:
                radios_done.add(name)
                page.locator(f'[name="{name}"]').last.check()
        elif kind == "select":
            options = control.locator("option")
            control.select_option(options.nth(options.count() - 1).get_attribute("value"))
        elif kind in ("date", "time", "number"):
            control.fill({"date": "1990-03-27", "time": "10:30", "number": "3"}[kind])
        elif kind == "email":
            control.fill("her.secret@example.org")
            typed.append("her.secret@example.org")
        elif kind == "tel":
            control.fill("07700 900 123")
            typed.append("07700 900 123")
        elif kind in ("text", "textarea"):
            words = f"Secret{name.split('-')[-1].replace('_', '')}"
            control.fill(words)
            typed.append(words)
    return typed


# What a new visitor sees at an address is the same for every test of a run (the hidden
# fields that differ are left out of CONTROL_STATES), so each address is opened once.
FRESH_VISITS: dict = {}


def fresh_visit(chromium, url, cache=FRESH_VISITS):
    """Every control's state, and the page's visible text, for someone opening ``url``
    afresh."""
    if url not in cache:
        context = chromium.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(url)
        cache[url] = (page.evaluate(CONTROL_STATES), page.inner_text("body"))
        context.close()
    return cache[url]


def leave(page, how):
    if how == "shift-three-times":
        for _ in range(3):
            page.keyboard.press("Shift")
    else:
        page.click("#quick-exit")
    page.wait_for_url("**/healthz?left=1")


# Every step with every exit for the self-referral; the professional form has the same steps
# after its first, so each of its steps is left by one exit, each exit used at least twice.
SCENARIOS = [("self", step, how) for step in SELF_STEPS for how in EXITS] + [
    ("professional", step, EXITS[index % len(EXITS)])
    for index, step in enumerate(PROFESSIONAL_STEPS)
]


@pytest.mark.parametrize(("form", "step", "how"), SCENARIOS)
def test_back_after_the_exit_shows_no_trace_of_her_answers(site, chromium, form, step, how):
    start, steps = FORMS[form]
    context = chromium.new_context(
        viewport={"width": 360, "height": 740},
        java_script_enabled=how != "link-without-javascript",
    )
    page = context.new_page()
    page.goto(f"{site}{start}")
    typed = []
    for earlier in steps[: steps.index(step)]:
        typed += answer(page, earlier, ANSWERS[form][earlier])
        with page.expect_navigation():
            page.click("#referral-form button.btn-primary")
        assert f"/{steps[steps.index(earlier) + 1]}/" in page.url, page.url
    typed += answer_everything(page)
    # Controls she changed (the check page has none), so a page brought back with them
    # would differ from a fresh one.
    if step != "check":
        assert page.evaluate(CONTROL_STATES) != fresh_visit(chromium, page.url)[0]

    leave(page, how)

    seen = []
    while True:
        before = page.url
        page.go_back()
        page.wait_for_load_state()
        if page.url == before:
            break
        seen.append(page.url)
        if "/refer/" not in page.url:
            continue
        states, fresh_text = fresh_visit(chromium, page.url)
        assert page.evaluate(CONTROL_STATES) == states, (
            f"Back to {page.url} after the {how} from {step} shows her answers"
        )
        text = page.inner_text("body")  # what she sees (not the page's random tokens)
        assert not [w for w in typed if w in text and w not in fresh_text], page.url
    # She went all the way back, through every step she had answered.
    assert sum("/refer/" in url for url in seen) >= steps.index(step) + (
        how == "link-without-javascript"
    )
    context.close()


def test_a_page_brought_back_whole_from_the_back_forward_cache_is_asked_for_again(site, phone):
    """Should a browser keep a public page whole in its back/forward cache (pageshow with
    ``persisted``), the page hides itself and reloads: the server, not the cache, says what
    it shows."""
    page = phone
    page.goto(f"{site}/refer/")
    page.fill("#id_about-preferred_name", "Jasvinder")
    with page.expect_navigation():
        page.evaluate(
            "window.dispatchEvent(new PageTransitionEvent('pageshow', {persisted: true}))"
        )
    page.wait_for_load_state()
    assert page.input_value("#id_about-preferred_name") == ""
    assert page.evaluate(CONTROL_STATES) == fresh_visit(page.context.browser, page.url)[0]
