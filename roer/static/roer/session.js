// The presenter view's keys: the slide's own links do the work, so without this script every slide is
// still reached by its links. Arrow keys and Page Up/Down move, Home/End jump, Escape leaves.
(function () {
  "use strict";
  var keys = {
    ArrowRight: "next", PageDown: "next", ArrowLeft: "previous", PageUp: "previous",
    Home: "first", End: "last", Escape: "leave"
  };
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey || event.defaultPrevented) return;
    var target = event.target;
    if (target && target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
    var name = keys[event.key];
    var link = name && document.querySelector('a[data-session="' + name + '"]');
    if (!link) return;
    event.preventDefault();
    window.location.assign(link.href);
  });
})();
