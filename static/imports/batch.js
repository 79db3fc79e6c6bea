// The import's progress bar: polls the batch's small JSON endpoint and shows the result page when done.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var bar = box.querySelector(".progress-bar"), done = document.getElementById("done"),
      total = document.getElementById("total"), state = document.getElementById("state");
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        var pct = p.total ? Math.round(100 * p.done / p.total) : 0;
        bar.style.width = pct + "%";
        box.querySelector(".progress").setAttribute("aria-valuenow", p.done);
        done.textContent = p.done; total.textContent = p.total; state.textContent = p.state_label;
        if (p.finished) { window.location.href = p.result_url; } else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  poll();
})();
