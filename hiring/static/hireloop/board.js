// The pipeline board (hiring/templates/admin/hiring/job/board.html): moves posted with fetch from
// a card's buttons or by dragging it to another column. Without this script every button posts
// the card's form and the board reloads with a message. The server answers JSON: on a refusal
// the card shows the reason and goes back where it was.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  ready(function () {
    var board = document.getElementById("board");
    if (!board || !board.dataset.canMove) { return; }
    var live = document.getElementById("board-live");
    var boardStatus = board.dataset.status;

    function announce(text) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = text; }, 30);
    }

    function showError(card, text) {
      var box = card.querySelector(".board-card-error");
      box.textContent = text;
      box.hidden = false;
    }

    function clearError(card) {
      var box = card.querySelector(".board-card-error");
      box.textContent = "";
      box.hidden = true;
    }

    function column(stageId) {
      return board.querySelector('.board-column[data-stage-id="' + stageId + '"]');
    }

    function addToCount(col, delta) {
      if (!col) { return; }
      var badge = col.querySelector(".board-count");
      var n = parseInt(badge.dataset.count, 10) + delta;
      badge.dataset.count = String(n);
      badge.textContent = String(n);
    }

    // After a move: the card carries its new state, sits in its new column (or leaves the board
    // when it no longer has the status shown), and its "Move to" list offers the other stages.
    function placeCard(card, from, data) {
      var form = card.querySelector("form");
      form.elements.expected_stage_id.value = data.stage_id;
      form.elements.expected_status.value = data.status;
      if (form.elements.note) { form.elements.note.value = ""; }
      addToCount(from, -1);
      if (data.status !== boardStatus) {
        card.remove();
        return;
      }
      var to = column(data.stage_id);
      to.querySelector(".board-cards").prepend(card);
      addToCount(to, 1);
      var select = form.elements.to_stage;
      if (select) {
        Array.prototype.forEach.call(select.options, function (option) {
          option.disabled = option.value === String(data.stage_id);
        });
        select.value = "";
      }
      var advance = card.querySelector(".board-advance");
      if (advance) { advance.hidden = to === board.querySelector(".board-column:last-of-type"); }
    }

    // Post the card's form with `fields` on top; `from` is the column the card is moving from.
    function post(card, from, fields, onRefused) {
      var form = card.querySelector("form");
      var body = new FormData(form);
      Object.keys(fields).forEach(function (key) { body.set(key, fields[key]); });
      card.classList.add("board-card-moving");
      return fetch(board.dataset.moveUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": form.elements.csrfmiddlewaretoken.value }
      }).then(function (response) {
        return response.json().catch(function () {
          return { ok: false, error: "The move was not made (the server answered " + response.status + ")." };
        });
      }).catch(function () {
        return { ok: false, error: "The move was not made: the server could not be reached." };
      }).then(function (data) {
        card.classList.remove("board-card-moving");
        if (data.ok) {
          clearError(card);
          placeCard(card, from, data);
          announce(data.message);
          var link = card.querySelector("h3 a");
          if (card.isConnected && link) { link.focus(); }
        } else {
          if (onRefused) { onRefused(); }
          showError(card, data.error);
          announce(card.dataset.name + ": the move was not made. " + data.error);
        }
        return data;
      });
    }

    // Buttons (and Enter in the note field): the same form, posted with fetch.
    board.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.classList.contains("board-move")) { return; }
      event.preventDefault();
      var button = event.submitter || form.querySelector('button[name="move"]');
      var card = form.closest(".board-card");
      post(card, card.closest(".board-column"), { move: button.value });
    });

    // Drag and drop between columns.
    var dragged = null;
    board.addEventListener("dragstart", function (event) {
      var card = event.target.closest && event.target.closest('.board-card[draggable="true"]');
      if (!card) { return; }
      dragged = { card: card, parent: card.parentNode, next: card.nextSibling };
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.dataset.application);
    });
    board.addEventListener("dragend", function () {
      board.querySelectorAll(".board-column-target").forEach(function (el) { el.classList.remove("board-column-target"); });
    });
    board.addEventListener("dragover", function (event) {
      var col = event.target.closest && event.target.closest(".board-column");
      if (!dragged || !col) { return; }
      event.preventDefault();
      event.dataTransfer.dropEffect = "move";
      col.classList.add("board-column-target");
    });
    board.addEventListener("dragleave", function (event) {
      var col = event.target.closest && event.target.closest(".board-column");
      if (col && !col.contains(event.relatedTarget)) { col.classList.remove("board-column-target"); }
    });
    board.addEventListener("drop", function (event) {
      var col = event.target.closest && event.target.closest(".board-column");
      if (!dragged || !col) { return; }
      event.preventDefault();
      col.classList.remove("board-column-target");
      var moving = dragged;
      dragged = null;
      var from = moving.card.closest(".board-column");
      if (col === from) { return; }
      // Shown in the new column at once; put back where it was if the move is refused.
      col.querySelector(".board-cards").prepend(moving.card);
      post(moving.card, from, { move: "move", to_stage: col.dataset.stageId }, function () {
        moving.parent.insertBefore(moving.card, moving.next);
      });
    });
  });
})();
