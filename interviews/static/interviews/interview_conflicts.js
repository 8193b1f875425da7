// The scheduling form: while the time or the interviewers change, list the other interviews of
// the ticked interviewers at that time (asked of the admin's conflicts view). Progressive: without
// it the form still saves and warns afterwards.
(function () {
  "use strict";

  function value(name) {
    var field = document.querySelector('[name="' + name + '"]');
    return field ? field.value.trim() : "";
  }

  function moment(prefix) {
    var date = value(prefix + "_0");
    var time = value(prefix + "_1");
    if (!date || !time) return "";
    var parts = time.split(":");
    var hh = ("0" + (parts[0] || "0")).slice(-2);
    var mm = ("0" + (parts[1] || "0")).slice(-2);
    return date + " " + hh + ":" + mm;
  }

  function setup() {
    var boxes = document.querySelectorAll('input[name="panel"][data-conflicts-url]');
    if (!boxes.length) return;
    var url = boxes[0].getAttribute("data-conflicts-url");
    var row = boxes[0].closest(".form-row") || boxes[0].parentNode;
    var out = document.createElement("div");
    out.className = "hl-conflicts help";
    out.id = "interview-conflicts";
    out.setAttribute("role", "status");
    out.setAttribute("aria-live", "polite");
    row.appendChild(out);
    var match = window.location.pathname.match(/\/(\d+)\/change\/$/);
    var pending = 0;

    function show(conflicts) {
      out.textContent = "";
      out.classList.toggle("is-busy", conflicts.length > 0);
      if (!conflicts.length) {
        out.textContent = "No other interview of these interviewers at this time.";
        return;
      }
      var title = document.createElement("strong");
      title.textContent = "Already booked at this time:";
      out.appendChild(title);
      var list = document.createElement("ul");
      conflicts.forEach(function (c) {
        var item = document.createElement("li");
        item.textContent = c.interviewer + ": " + c.kit + ", " + c.starts_at + "–" + c.ends_at + " (" + c.time_zone + ")";
        list.appendChild(item);
      });
      out.appendChild(list);
    }

    function check() {
      var ids = Array.prototype.filter.call(
        document.querySelectorAll('input[name="panel"]'), function (b) { return b.checked; }
      ).map(function (b) { return b.value; });
      var start = moment("starts_at");
      if (!ids.length || !start) {
        out.textContent = "";
        out.classList.remove("is-busy");
        return;
      }
      var params = new URLSearchParams({
        interviewers: ids.join(","),
        start: start,
        end: moment("ends_at"),
        timezone: value("timezone"),
        kit: value("kit")
      });
      if (match) params.set("interview", match[1]);
      var ticket = ++pending;
      fetch(url + "?" + params.toString(), { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : { conflicts: [] }; })
        .then(function (data) { if (ticket === pending) show(data.conflicts || []); })
        .catch(function () { out.textContent = ""; });
    }

    var form = boxes[0].form;
    form.addEventListener("change", check);
    form.addEventListener("input", function (e) {
      if (/^(starts_at|ends_at)_/.test(e.target.name || "")) check();
    });
    // The admin's calendar and clock widgets set the value without an input event.
    form.addEventListener("click", function (e) {
      if (e.target.closest(".datetimeshortcuts, .calendarbox, .clockbox")) window.setTimeout(check, 0);
    });
    check();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
  else setup();
})();
