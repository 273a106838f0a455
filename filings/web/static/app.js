// Improvements only: every page works without this file (the progress page refreshes itself,
// the preview has its Show button).
"use strict";

function follow(element, onMessage, eventName) {
  if (!element || !window.EventSource) return;
  const source = new EventSource(element.dataset.events);
  source.addEventListener(eventName, (event) => onMessage(event, source));
}

// The render's progress bar, moved by server-sent events; on to the results when it is done.
const progress = document.getElementById("progress");
follow(progress, (event, source) => {
  const state = JSON.parse(event.data);
  const bar = document.getElementById("bar");
  const count = document.getElementById("count");
  if (state.total) {
    bar.max = state.total;
    bar.value = state.done;
    count.textContent = `${state.done} of ${state.total}`;
  }
  if (state.finished) {
    source.close();
    window.location.assign(progress.dataset.next);
  }
}, "message");

// The live preview: render again when a template file changes.
follow(document.getElementById("preview"), (event, source) => {
  source.close();
  window.location.reload();
}, "change");
