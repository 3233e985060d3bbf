// The coverage matrix's unit tree: rows below the first level fold away behind a button on
// their parent row. Without this script every row is shown and each unit links to its own
// subtree, so nothing depends on it.
document.addEventListener("DOMContentLoaded", () => {
  const table = document.querySelector("table[data-tree]");
  if (!table) return;
  const rows = Array.from(table.querySelectorAll("tbody tr[data-unit]"));
  const childrenOf = (id) => rows.filter((r) => r.dataset.parent === id);
  const roots = rows.filter((r) => r.dataset.level === "1");
  const openLevel = roots.length === 1 ? 2 : 1;

  function setOpen(row, open) {
    const button = row.querySelector("button[data-toggle]");
    if (button) button.setAttribute("aria-expanded", String(open));
    for (const child of childrenOf(row.dataset.unit)) {
      child.hidden = !open;
      if (!open) setOpen(child, false);
    }
  }

  for (const row of rows) {
    if (!row.hasAttribute("data-has-children")) continue;
    const header = row.querySelector("th");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "tree-toggle";
    button.dataset.toggle = "";
    button.setAttribute("aria-label", (table.dataset.toggleLabel || "Vis underenheter") + ": " + header.textContent.trim());
    button.textContent = "▸";
    button.addEventListener("click", () => {
      setOpen(row, button.getAttribute("aria-expanded") !== "true");
    });
    header.prepend(button);
  }
  for (const row of rows) {
    if (Number(row.dataset.level) < openLevel) setOpen(row, true);
    else if (Number(row.dataset.level) === openLevel) setOpen(row, false);
  }
});
