// Progressive help for the desk: results while typing, and copying the record line.
// Every page works without it.
"use strict";

function liveSearch(input) {
  const target = document.getElementById(input.dataset.results);
  const address = input.dataset.liveSearch;
  let timer = null;
  let asked = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const number = ++asked;
      const query = input.value;
      const response = await fetch(`${address}?q=${encodeURIComponent(query)}`, {
        credentials: "same-origin",
      });
      if (!response.ok || number !== asked) return;
      target.innerHTML = await response.text();
      const url = query ? `/?q=${encodeURIComponent(query)}` : "/";
      history.replaceState(null, "", url);
    }, 120);
  });
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

document.querySelectorAll("[data-live-search]").forEach(liveSearch);
const formError = document.querySelector(".alert[tabindex='-1']");
if (formError) showError(formError);
document.querySelectorAll("[data-copy]").forEach(copyButton);
