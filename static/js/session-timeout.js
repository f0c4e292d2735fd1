/* Warn staff before an idle session ends, and let them keep it (DESIGN.md section 3).
 *
 * The server ends a session SESSION_COOKIE_AGE seconds after the last request; this page's
 * request was the last one we know of, so the clock starts now. A warning is shown
 * data-warning-seconds before the end; "Stay signed in" POSTs to the keep-alive endpoint
 * (the CSRF token comes from the form: the CSRF cookie is HttpOnly). At the end the page
 * leaves for the sign-in page, so nothing stays on screen. Tabs of the same browser tell
 * each other about activity (BroadcastChannel: nothing is stored), so a busy tab keeps the
 * quiet ones from signing out early. Without JavaScript the warning never shows and the
 * session still ends on the server. */
(function () {
  "use strict";
  var dialog = document.querySelector("[data-session-timeout]");
  if (!dialog || !window.fetch) {
    return;
  }
  var sessionSeconds = parseInt(dialog.getAttribute("data-session-seconds"), 10);
  var warningSeconds = parseInt(dialog.getAttribute("data-warning-seconds"), 10);
  var loginUrl = dialog.getAttribute("data-login-url");
  var form = dialog.querySelector("[data-session-keepalive]");
  var status = dialog.querySelector("[data-session-timeout-status]");
  var button = form.querySelector('button[type="submit"]');
  // Leave a moment after the server-side end, so the sign-in page sees the session gone.
  var GRACE_SECONDS = 2;
  var warnTimer = null;
  var endTimer = null;
  var focusBefore = null;
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("staff-session") : null;

  if (!sessionSeconds || sessionSeconds <= 0) {
    return;
  }

  function currentPath() {
    return window.location.pathname + window.location.search;
  }

  function showWarning() {
    focusBefore = document.activeElement;
    status.hidden = true;
    dialog.hidden = false;
    button.focus();
  }

  function hideWarning() {
    var wasShown = !dialog.hidden;
    dialog.hidden = true;
    if (wasShown && focusBefore && document.body.contains(focusBefore)) {
      focusBefore.focus();
    }
    focusBefore = null;
  }

  function signOutView() {
    window.location.assign(loginUrl + "?next=" + encodeURIComponent(currentPath()));
  }

  function restartClock() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(showWarning, (sessionSeconds - warningSeconds) * 1000);
    endTimer = window.setTimeout(signOutView, (sessionSeconds + GRACE_SECONDS) * 1000);
  }

  function activity() {
    hideWarning();
    restartClock();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    form.querySelector('input[name="next"]').value = currentPath();
    window
      .fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        redirect: "manual",
        headers: {
          "X-CSRFToken": form.querySelector('input[name="csrfmiddlewaretoken"]').value,
          "X-Requested-With": "fetch",
        },
      })
      .then(function (response) {
        if (response.status === 204) {
          activity();
          if (channel) {
            channel.postMessage("active");
          }
        } else {
          // Signed out already, or sent elsewhere first (such as to set up MFA): load this
          // page again and let the server decide.
          window.location.assign(currentPath());
        }
      })
      .catch(function () {
        status.textContent = status.getAttribute("data-offline-message");
        status.hidden = false;
      });
  });

  if (channel) {
    channel.onmessage = activity;
    // Loading this page kept the session alive for every tab.
    channel.postMessage("active");
  }
  restartClock();
})();
