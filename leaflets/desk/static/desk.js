// Progressive help for the desk: results while typing, and copying the record line.
// Every page works without it.
"use strict";

function liveSearch(input) {
  const target = document.getElementById(input.dataset.results);
  const address = input.dataset.liveSearch;
  let timer = null;
  let asked = 0;
  async function search() {
    const number = ++asked;
    const query = input.value;
    const response = await fetch(`${address}?q=${encodeURIComponent(query)}`, {
      credentials: "same-origin",
    });
    if (!response.ok || number !== asked) return;
    target.innerHTML = await response.text();
    const url = query ? `/?q=${encodeURIComponent(query)}` : "/";
    history.replaceState(null, "", url);
  }
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  // Typed while the page was still loading, before this script ran: show those results too.
  if (input.value !== input.defaultValue) search();
}

function copyButton(button) {
  const source = document.getElementById(button.dataset.copy);
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = source.textContent.trim();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      const range = document.createRange();
      range.selectNodeContents(source);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      document.execCommand("copy");
    }
    button.textContent = button.dataset.copied;
    setTimeout(() => { button.textContent = label; }, 2000);
  });
}

// A form that came back with an error: the eyes go to the message, also on a tablet.
function showError(alert) {
  alert.scrollIntoView({ block: "center" });
  alert.focus({ preventScroll: true });
}

// A basket item's edition or language is saved as soon as it is chosen, without leaving the
// page (the focus stays where it was); a new language reloads, for the title in that language.
function autosave(form) {
  const save = form.querySelector("[data-save]");
  save.hidden = true;
  form.addEventListener("change", async (event) => {
    const response = await fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      credentials: "same-origin",
    }).catch(() => null);
    if (!response || !response.ok) {
      save.hidden = false;
      return;
    }
    if (event.target.tagName === "SELECT") location.reload();
  });
}

document.querySelectorAll("[data-live-search]").forEach(liveSearch);
document.querySelectorAll("form[data-autosave]").forEach(autosave);
const formError = document.querySelector(".alert[tabindex='-1']");
if (formError) showError(formError);
document.querySelectorAll("[data-copy]").forEach(copyButton);
