// The attendance grid: search as you type, one tap or one key per person, each mark saved
// at once (fetch with the CSRF token). Without this script the same buttons post the form.
(() => {
  "use strict";

  const form = document.getElementById("attendance-form");
  if (!form) return;
  const list = document.getElementById("attendance-list");
  const search = document.querySelector("[data-grid-search]");
  const message = document.getElementById("grid-message");
  const token = form.querySelector("input[name=csrf_token]").value;
  const STATUSES = ["present", "late", "excused", "absent"];

  const fold = (text) =>
    text.toLocaleLowerCase("nb").normalize("NFD").replace(/[\u0300-\u036f]/g, "").normalize("NFC");

  const rows = () => Array.from(list.querySelectorAll(".attendance-row"));
  const visibleRows = () => rows().filter((row) => !row.hidden);

  function say(text, kind) {
    message.textContent = text;
    message.dataset.kind = kind || "";
  }

  function recount() {
    const counts = { present: 0, late: 0, excused: 0, absent: 0, unmarked: 0, total: 0 };
    for (const row of rows()) {
      counts.total += 1;
      counts[row.dataset.status || "unmarked"] += 1;
    }
    for (const [key, value] of Object.entries(counts)) {
      document.querySelectorAll(`[data-count="${key}"]`).forEach((el) => {
        el.textContent = value;
      });
    }
  }

  function show(row, status, version) {
    row.dataset.status = status || "";
    row.dataset.version = String(version);
    for (const button of row.querySelectorAll("button[name=mark]")) {
      const pressed = button.dataset.status === status;
      button.setAttribute("aria-pressed", pressed ? "true" : "false");
      button.dataset.variant = pressed ? "primary" : "secondary";
      button.value = `${row.dataset.person}:${button.dataset.status}:${version}`;
    }
    recount();
  }

  const nameOf = (row) => row.querySelector(".attendance-row__name").textContent.trim();
  const labelOf = (row, status) =>
    row.querySelector(`button[data-status="${status}"]`).textContent.trim();

  async function save(button) {
    const row = button.closest(".attendance-row");
    if (row.dataset.busy) return;
    row.dataset.busy = "1";
    row.setAttribute("aria-busy", "true");
    const body = new FormData();
    body.append("csrf_token", token);
    body.append("mark", button.value);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body,
        headers: { Accept: "application/json", "X-CSRFToken": token },
        credentials: "same-origin",
      });
      const data = await response.json().catch(() => ({}));
      if (response.ok) {
        show(row, data.status, data.version);
        say(`${nameOf(row)}: ${labelOf(row, data.status)}`, "success");
      } else if (response.status === 409 && data.current) {
        show(row, data.current.status, data.current.version);
        const who = data.current.recorded_by ? ` (${data.current.recorded_by})` : "";
        say(`${nameOf(row)}: ${data.message} ${labelOf(row, data.current.status)}${who}`,
          "warning");
      } else {
        say(`${nameOf(row)}: ${data.message || form.dataset.errorText || response.statusText}`,
          "danger");
      }
    } catch (error) {
      say(`${nameOf(row)}: ${form.dataset.offlineText}`, "danger");
    } finally {
      delete row.dataset.busy;
      row.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("click", (event) => {
    const button = event.target.closest("button[name=mark]");
    if (!button) return;
    event.preventDefault();
    save(button);
  });

  // One key per person: 1-4 set the status of the row that has focus; arrows move.
  form.addEventListener("keydown", (event) => {
    const row = event.target.closest(".attendance-row");
    if (!row || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = ["1", "2", "3", "4"].indexOf(event.key);
    if (index >= 0) {
      event.preventDefault();
      save(row.querySelector(`button[data-status="${STATUSES[index]}"]`));
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const shown = visibleRows();
      const next = shown[shown.indexOf(row) + (event.key === "ArrowDown" ? 1 : -1)];
      const column = event.target.dataset.status || "present";
      if (next) next.querySelector(`button[data-status="${column}"]`).focus();
      else if (event.key === "ArrowUp" && search) search.focus();
    }
  });

  if (search) {
    // Filter on the page as the organiser types; the search button is only for no-JS.
    document.querySelectorAll("[data-no-js]").forEach((el) => {
      el.hidden = true;
    });
    const filter = () => {
      const needle = fold(search.value.trim());
      let shown = 0;
      for (const row of rows()) {
        row.hidden = needle !== "" && !row.dataset.name.includes(needle);
        if (!row.hidden) shown += 1;
      }
      say(needle ? form.dataset.matchesText.replace("%s", shown) : "", "");
    };
    search.addEventListener("input", filter);
    search.form.addEventListener("submit", (event) => {
      event.preventDefault();
      filter();
    });
    search.addEventListener("keydown", (event) => {
      const first = visibleRows()[0];
      if ((event.key === "ArrowDown" || event.key === "Enter") && first) {
        event.preventDefault();
        first.querySelector("button[data-status=present]").focus();
      }
    });
    if (search.value) filter();
  }
})();
