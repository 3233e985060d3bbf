// The QR projector page: fetch the current code when the minute turns and swap the image,
// without reloading the page (the page reloads itself only when scripts are off).
(() => {
  "use strict";

  const root = document.querySelector("[data-projector]");
  if (!root) return;
  const image = document.getElementById("checkin-qr");
  const closed = document.getElementById("checkin-closed");
  const link = document.getElementById("checkin-url");
  const count = root.querySelector("[data-checked-in]");
  const EVERY = 15; // seconds between refreshes of the count, at most

  async function refresh() {
    let wait = EVERY;
    try {
      const response = await fetch(root.dataset.stateUrl, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (response.ok) {
        const state = await response.json();
        if (state.open && state.qr && image.getAttribute("src") !== state.qr) {
          image.setAttribute("src", state.qr);
        }
        image.hidden = !state.open;
        closed.hidden = state.open;
        closed.textContent = state.message;
        link.href = state.url;
        link.textContent = state.url;
        count.textContent = state.checked_in;
        wait = Math.min(EVERY, state.next_change_in);
      }
    } catch (error) {
      wait = 5; // the network hiccuped; try again soon
    }
    window.setTimeout(refresh, wait * 1000);
  }

  window.setTimeout(refresh, Math.min(EVERY, Number(root.dataset.next) || EVERY) * 1000);
})();
