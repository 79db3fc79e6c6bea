// Behaviour that pages declare with data- attributes, so no template needs an inline handler
// (the Content-Security-Policy refuses inline scripts).
//   <select data-autosubmit>                     submits its form when changed
//   <select data-autosubmit data-clear="town">   also empties the form's field "town" first
//   <select data-navigate>                       goes to the chosen option's value (a URL)
//   <button data-print>                          prints the page
document.addEventListener("change", function (event) {
  var el = event.target;
  if (!el.matches || !el.matches("[data-autosubmit]") || !el.form) return;
  var clear = el.getAttribute("data-clear");
  if (clear && el.form.elements[clear]) el.form.elements[clear].value = "";
  el.form.submit();
});

document.addEventListener("change", function (event) {
  var el = event.target;
  if (el.matches && el.matches("[data-navigate]") && el.value) window.location.href = el.value;
});

document.addEventListener("click", function (event) {
  var el = event.target.closest ? event.target.closest("[data-print]") : null;
  if (el) window.print();
});
