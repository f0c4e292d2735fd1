/* Referral form enhancements; the form works fully without them.
 * - Move focus to the error summary so screen-reader and keyboard users hear what to fix.
 * - Show the emergency options the moment she answers "not safe right now". */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  var panel = document.getElementById("emergency-now");
  var answers = document.querySelectorAll('input[type="radio"][name$="-safe_now"]');
  if (!panel || !answers.length) {
    return;
  }
  answers.forEach(function (answer) {
    answer.addEventListener("change", function () {
      var unsafe = answer.checked && answer.value === "no";
      if (!answer.checked) {
        return;
      }
      panel.hidden = !unsafe;
      if (unsafe) {
        panel.setAttribute("role", "alert");
        var main = document.getElementById("main-content");
        main.insertBefore(panel, main.firstChild);
        // The panel now opens the page's content, just below the header: back to the top,
        // where nothing is left half under the sticky exit bar.
        window.scrollTo(0, 0);
      }
    });
  });
})();
