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

// A click htmx sent that was refused without a part to show again (an error page: the
// group or user of the row removed meanwhile, a right that is none) or that never reached
// the server: the reason goes into the row, as an alert, instead of nothing happening.
document.addEventListener("htmx:responseError", function (event) {
  var doc = new DOMParser().parseFromString(event.detail.xhr.responseText || "", "text/html");
  var message = doc.querySelector("section[role='alert'] p");
  showRequestError(event.detail.elt,
    message ? message.textContent : document.body.getAttribute("data-request-failed"));
});
document.addEventListener("htmx:sendError", function (event) {
  showRequestError(event.detail.elt, document.body.getAttribute("data-request-unsent"));
});
// Once a request goes through, an earlier one's alert no longer holds.
document.addEventListener("htmx:afterRequest", function (event) {
  if (event.detail.successful) {
    document.querySelectorAll("[data-request-error]").forEach(function (old) { old.remove(); });
  }
});

function showRequestError(elt, text) {
  document.querySelectorAll("[data-request-error]").forEach(function (old) { old.remove(); });
  var row = elt.closest("li, tr");
  var alert = document.createElement("p");
  alert.className = "alert";
  alert.setAttribute("role", "alert");
  alert.setAttribute("data-request-error", "");
  alert.textContent = text || "";
  if (row) {
    // In a list's row under its text, as the row's own notices are; in a table's, in its
    // last cell, beside the action.
    (row.tagName === "TR" ? row.lastElementChild : row.firstElementChild || row).appendChild(alert);
  } else {
    (elt.closest("form") || elt).insertAdjacentElement("afterend", alert);
  }
}

// An error page after a form was sent: "Back to the form" returns to it as the browser
// kept it, with what was typed (shown only with script and somewhere to go back to).
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-history-back]").forEach(function (button) {
    if (window.history.length > 1) {
      button.hidden = false;
      button.addEventListener("click", function () { window.history.back(); });
    }
  });
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

// Charts: each <figure data-chart="…" data-src="…json" data-series="a|b|…"> gets a uPlot
// chart of the daily figures the server keeps (validations, or sites per licence state).
var CHART_COLOURS = ["#0b5cd5", "#1a7f37", "#9a6700", "#cf222e"];

function drawChart(figure) {
  var plot = figure.querySelector(".chart-plot");
  if (!plot || !window.uPlot || figure.getAttribute("data-drawn")) {
    return;
  }
  figure.setAttribute("data-drawn", "pending");
  fetch(figure.getAttribute("data-src"), { credentials: "same-origin" })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var xs = data.days.map(function (d) { return Date.parse(d + "T12:00:00Z") / 1000; });
      var names = figure.getAttribute("data-series").split("|");
      var kind = figure.getAttribute("data-chart");
      var ys = kind === "validations"
        ? [data.validations]
        : ["registered", "active", "deactivated", "suspended"].map(function (s) { return data.states[s]; });
      var series = [{}].concat(ys.map(function (_, i) {
        return { label: names[i], stroke: CHART_COLOURS[i % CHART_COLOURS.length], width: 2 };
      }));
      var width = Math.max(plot.clientWidth, 200);
      new window.uPlot({ width: width, height: 200, series: series, legend: { show: true } },
        [xs].concat(ys), plot);
      figure.setAttribute("data-drawn", "yes");
    })
    .catch(function () { figure.setAttribute("data-drawn", "failed"); });
}

window.addEventListener("load", function () {
  document.querySelectorAll("figure[data-chart]").forEach(drawChart);
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

// A chosen file into a box (activation by file, keys imported in the console): an
// <input type="file" data-fills="<textarea id>"> puts the chosen file's text into that box
// (the form itself posts the box, so it also works without script).
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[type=file][data-fills]") || !input.files.length) {
    return;
  }
  var box = document.getElementById(input.getAttribute("data-fills"));
  input.files[0].text().then(function (text) {
    if (box) {
      box.value = text;
      box.setAttribute("data-filled", input.files[0].name);
    }
  });
});
