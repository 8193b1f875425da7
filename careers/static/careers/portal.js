// The candidate portal's only script (the CSP allows no inline code; the pages work without it):
// when no time zone is stored yet, pick the browser's in the select and send it once.
(function () {
  "use strict";
  var form = document.querySelector("form.time-zone[data-guess]");
  if (!form || !window.Intl) { return; }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var select = form.querySelector("select");
  if (!zone || !select || !select.querySelector('option[value="' + zone.replace(/"/g, "") + '"]')) { return; }
  select.value = zone;
  try {
    if (window.sessionStorage.getItem("portal-zone-sent")) { return; }
    window.sessionStorage.setItem("portal-zone-sent", "1");
  } catch (e) { return; }
  form.submit();
}());
