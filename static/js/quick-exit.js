/* "Exit this page" (DESIGN.md section 3, rule 1; after the GOV.UK Exit this page component).
 * Without JavaScript the control is a plain link. With it, leaving uses location.replace so
 * that Back does not return here, the page is hidden at once, and pressing Shift three
 * times within five seconds does the same as clicking. */
(function () {
  "use strict";
  // A page restored whole from the back/forward cache would show what it showed when she
  // left, answers and all, whatever the server has forgotten since ("Exit this page" forgets
  // everything). Every public page is no-store, which keeps Chromium from caching it so;
  // should a browser do it anyway, the page is hidden and asked for again at once.
  window.addEventListener("pageshow", function (event) {
    if (event.persisted) {
      document.documentElement.classList.add("quick-exit-active");
      window.location.reload();
    }
  });

  var control = document.querySelector("[data-quick-exit]");
  if (!control) {
    return;
  }
  var destination = control.getAttribute("href");

  // The bar's height, for the scroll padding in haven.css that keeps whatever has the
  // focus from scrolling under the sticky bar (it changes with the width and the language).
  var bar = document.querySelector("[data-quick-exit-bar]");
  function measureBar() {
    document.documentElement.style.setProperty(
      "--haven-exit-bar-height", bar.getBoundingClientRect().height + "px"
    );
  }
  if (bar) {
    measureBar();
    if (window.ResizeObserver) {
      new ResizeObserver(measureBar).observe(bar);
    } else {
      window.addEventListener("resize", measureBar);
    }
  }

  function leave(event) {
    if (event) {
      event.preventDefault();
    }
    document.documentElement.classList.add("quick-exit-active");
    document.title = "";
    window.location.replace(destination);
  }

  control.addEventListener("click", leave);

  var shiftPresses = 0;
  var resetTimer = null;
  document.addEventListener("keyup", function (event) {
    if (event.key !== "Shift") {
      shiftPresses = 0;
      return;
    }
    shiftPresses += 1;
    if (resetTimer === null) {
      resetTimer = window.setTimeout(function () {
        shiftPresses = 0;
        resetTimer = null;
      }, 5000);
    }
    if (shiftPresses >= 3) {
      leave();
    }
  });
})();
