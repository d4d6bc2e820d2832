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

// "Select all" of a group on the cloud set-up page: a checkbox with data-select-all="<group id>"
// ticks or clears the site checkboxes with data-group="<group id>".
document.addEventListener("change", function (event) {
  var box = event.target;
  if (!box.matches || !box.matches("input[data-select-all]")) {
    return;
  }
  var group = box.getAttribute("data-select-all");
  document.querySelectorAll("input[data-group]").forEach(function (site) {
    if (site.getAttribute("data-group") === group) {
      site.checked = box.checked;
    }
  });
});

// A button with data-print prints the page (an invoice: the print stylesheet leaves it alone).
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button[data-print]") : null;
  if (button) {
    window.print();
  }
});
