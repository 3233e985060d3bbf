// Taking a quiz: keep answers on this device until the server has them, and show the time
// left. The page works without this script; it only guards against a dropped connection.
(() => {
  const form = document.querySelector("form[data-attempt]");
  const done = document.querySelector("[data-quiz-done]");
  if (done) {
    localStorage.removeItem("kurs-attempt-" + done.dataset.quizDone);
  }
  if (form) {
    const key = "kurs-attempt-" + form.dataset.attempt;
    const fields = () => Array.from(form.querySelectorAll("input[name^='q-'], select[name^='q-']"));
    const read = () => {
      const values = {};
      for (const el of fields()) {
        if (el.type === "radio" || el.type === "checkbox") {
          values[el.id] = el.checked;
        } else {
          values[el.id] = el.value;
        }
      }
      return values;
    };
    let stored = {};
    try {
      stored = JSON.parse(localStorage.getItem(key) || "{}");
    } catch (e) {
      stored = {};
    }
    // Restore what the server does not have: answers given on this device before the
    // connection dropped, for the questions the server shows no saved answer for.
    let restored = false;
    for (const fieldset of form.querySelectorAll("fieldset.question:not([data-saved])")) {
      for (const el of fieldset.querySelectorAll("input[name^='q-'], select[name^='q-']")) {
        if (!(el.id in stored)) continue;
        if (el.type === "radio" || el.type === "checkbox") {
          if (el.checked !== stored[el.id]) {
            el.checked = stored[el.id];
            restored = true;
          }
        } else if (el.value !== stored[el.id] && stored[el.id] !== "") {
          el.value = stored[el.id];
          restored = true;
        }
      }
    }
    if (restored) {
      const note = form.querySelector(".quiz-restored");
      if (note) note.hidden = false;
    }
    const save = () => {
      try {
        localStorage.setItem(key, JSON.stringify(Object.assign(stored, read())));
      } catch (e) {
        // Private browsing or a full storage: the server copy is all there is.
      }
    };
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", save);
  }

  const deadline = document.querySelector("[data-deadline]");
  if (deadline) {
    const end = new Date(deadline.dataset.deadline).getTime();
    const out = deadline.querySelector(".quiz-timer");
    const lang = document.documentElement.lang === "en" ? "en" : "nb";
    const tick = () => {
      const left = Math.max(0, Math.round((end - Date.now()) / 1000));
      const m = Math.floor(left / 60);
      const s = String(left % 60).padStart(2, "0");
      out.textContent = lang === "en" ? `(${m}:${s} left)` : `(${m}:${s} igjen)`;
      if (left > 0) setTimeout(tick, 1000);
    };
    tick();
  }
})();
