/* Staff forms: move focus to the error summary after a failed submission, so keyboard and
 * screen-reader users start from the list of what to fix (each item links to its field).
 * The public form does the same in referral-form.js. */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
