// Drag and drop onto the file input's label, and a size check before sending.
// Without JavaScript the plain file input works the same way.
(function () {
  "use strict";
  var form = document.getElementById("upload-form");
  var input = document.getElementById("video");
  var zone = document.getElementById("dropzone");
  var chosen = document.getElementById("chosen");
  var sizeError = document.getElementById("size-error");
  var maxBytes = Number(form.dataset.maxBytes);

  function mb(bytes) {
    var value = bytes / 1e6;
    return value.toFixed(value < 10 ? 1 : 0) + " MB";
  }

  function check() {
    var file = input.files && input.files[0];
    chosen.textContent = file ? file.name + " (" + mb(file.size) + ")" : "";
    zone.classList.toggle("has-file", Boolean(file));
    var tooBig = Boolean(file) && file.size > maxBytes;
    sizeError.hidden = !tooBig;
    sizeError.textContent = tooBig ? "This video is " + mb(file.size) + "; the limit is " +
      mb(maxBytes) + ". Trim the clip to 20-30 s." : "";
    return !tooBig;
  }

  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (e) { e.preventDefault(); zone.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function () { zone.classList.remove("over"); });
  });
  zone.addEventListener("drop", function (e) {
    e.preventDefault();
    if (e.dataTransfer && e.dataTransfer.files.length) {
      input.files = e.dataTransfer.files;
      check();
    }
  });
  input.addEventListener("change", check);
  form.addEventListener("submit", function (e) {
    if (!check()) { e.preventDefault(); return; }
    var button = document.getElementById("submit");
    button.disabled = true;
    button.textContent = "Uploading…";
  });
  check();
})();
