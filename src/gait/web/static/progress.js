// Poll the job's JSON status and show stage and percent; open the report when done.
(function () {
  "use strict";
  var box = document.getElementById("progress");
  if (!box) { return; }
  var url = box.dataset.statusUrl;
  function update() {
    fetch(url, { headers: { "Accept": "application/json" }, cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (s.status === "done" || s.status === "failed") { window.location.reload(); return; }
        var text = s.stage_text;
        if (s.status === "queued" && s.queue_position > 0) {
          text += ": " + s.queue_position + (s.queue_position === 1 ? " analysis" : " analyses") +
            " ahead";
        }
        document.getElementById("stage").textContent = text;
        document.getElementById("worker-stopped").hidden = s.worker_running !== false;
        document.getElementById("bar").value = s.percent;
        document.getElementById("percent").textContent = s.percent;
        window.setTimeout(update, 1000);
      })
      .catch(function () { window.setTimeout(update, 3000); });
  }
  window.setTimeout(update, 1000);
})();
