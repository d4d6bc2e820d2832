// Tessera's own few lines of script (no inline scripts: the Content-Security-Policy forbids them).
"use strict";

// htmx must not add its indicator <style> element: style-src is 'self' only.
document.addEventListener("DOMContentLoaded", function () {
  if (window.htmx) {
    window.htmx.config.includeIndicatorStyles = false;
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
