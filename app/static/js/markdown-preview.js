// Live preview of Markdown text areas: a textarea with data-preview="<id>" inside a form
// with data-preview-url shows the sanitised HTML the server renders (POST with the form's
// CSRF token). Without JavaScript the page's own "Forhåndsvis" button does the same.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("textarea[data-preview]").forEach((textarea) => {
    const form = textarea.closest("[data-preview-url]");
    const target = document.getElementById(textarea.dataset.preview);
    if (!form || !target) return;
    const token = form.querySelector("input[name=csrf_token]");
    form.querySelectorAll("[data-no-js-preview]").forEach((button) => { button.hidden = true; });
    let timer = null;
    let sent = 0;
    const refresh = async () => {
      const body = new FormData();
      body.append("text", textarea.value);
      const number = ++sent;
      try {
        const response = await fetch(form.dataset.previewUrl, {
          method: "POST",
          body,
          headers: token ? { "X-CSRFToken": token.value } : {},
          credentials: "same-origin",
        });
        if (!response.ok || number !== sent) return;
        const data = await response.json();
        // The server sanitised this HTML (markdown-it without raw HTML, then nh3).
        target.innerHTML = data.html;
      } catch (error) {
        // The preview is a convenience; saving still works without it.
      }
    };
    textarea.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    });
  });
});
