// Tessera's own few lines of script (no inline scripts: the Content-Security-Policy forbids them).
"use strict";

// htmx must not add its indicator <style> element: style-src is 'self' only.
document.addEventListener("DOMContentLoaded", function () {
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
    // A refusal the server answers with the part to show again (a service's row saying why
    // it was not switched: 409; a form with the reason at its field: 422) is swapped in like
    // any answer; other errors are not.
    window.htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[23]..", swap: true },
      { code: "409|422", swap: true, error: false },
      { code: "[45]..", swap: false, error: true },
      { code: "...", swap: false }
    ];
  }
});

// "Show password": a checkbox with data-shows-password="<input id>" switches that field's type.
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-shows-password]")) {
    return;
  }
  var field = document.getElementById(box.getAttribute("data-shows-password"));
  if (field) {
    field.type = box.checked ? "text" : "password";
  }
});
