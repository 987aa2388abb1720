// The pages' only script besides htmx: loaded from a file, so the Content-Security-Policy
// can refuse every inline script.
"use strict";

// A filter <select data-autosubmit> applies as soon as a value is chosen.
document.addEventListener("change", function (event) {
  var select = event.target.closest("select[data-autosubmit]");
  if (select && select.form) select.form.submit();
});

// A barcode scanner types the code and presses Enter: in a field marked data-scan, Enter
// moves to the next scan field of the form instead of submitting it.
document.addEventListener("keydown", function (event) {
  var input = event.target.closest && event.target.closest("input[data-scan]");
  if (!input || event.key !== "Enter" || !input.form) return;
  var fields = Array.from(input.form.querySelectorAll("input[data-scan]"));
  var next = fields[fields.indexOf(input) + 1];
  if (next) {
    event.preventDefault();
    next.focus();
  }
});
