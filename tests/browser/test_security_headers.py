"""The Content Security Policy is enforced in a real browser, and the browser tests would notice a breach."""

from playwright.sync_api import expect


def test_an_inline_script_is_refused_and_the_violation_is_noticed(new_context, csp_violations, db):
    page = new_context().new_page()
    page.goto("/login/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    executed = page.evaluate(
        """() => { window.ran = false; const s = document.createElement('script');
                   s.textContent = 'window.ran = true'; document.body.appendChild(s); return window.ran; }"""
    )
    page.wait_for_timeout(200)
    assert executed is False
    assert any("Content Security Policy" in message for message in csp_violations)
    csp_violations.clear()  # seen and expected: the fixture asserts none remain
