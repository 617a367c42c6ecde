// The letter's QR code carries its code after "#", which browsers never send to the server (so no log
// holds it); this fills the code field with it. Without JavaScript the resident types the printed code.
(function () {
  var match = /(?:^#|&)code=([A-Za-z0-9-]{5,20})/.exec(window.location.hash);
  var field = document.querySelector("[data-code-from-fragment]");
  if (match && field && !field.value) { field.value = match[1].toUpperCase(); }
})();
