// Size the embedded report to its content so the page scrolls as one.
(function () {
  "use strict";
  var frame = document.getElementById("report");
  if (!frame) { return; }
  function fit() {
    try {
      var doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = doc.documentElement.scrollHeight + 20 + "px";
      }
    } catch (e) { /* keep the CSS height */ }
  }
  frame.addEventListener("load", fit);
  window.addEventListener("resize", fit);
})();
