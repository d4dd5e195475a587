// Autosave for the item editor: keeps what is typed on the server every few seconds, so a
// closed tab, a crash or an expired session loses nothing. The form works without it.
(() => {
  const DELAY_MS = 3000;
  const form = document.querySelector("form[data-autosave-url]");
  if (!form) {
    return;
  }
  const status = form.querySelector("[data-autosave-status]");
  const fields = ["title", "narrative", "assurance_statement", "version", "csrfmiddlewaretoken"];
  let timer = null;
  let lastSent = null;

  const say = (text) => {
    if (status) {
      status.textContent = text;
    }
  };

  const snapshot = () => {
    const data = new FormData();
    for (const name of fields) {
      const input = form.elements.namedItem(name);
      if (input) {
        data.append(name, input.value);
      }
    }
    return data;
  };

  const send = async () => {
    const data = snapshot();
    const key = ["title", "narrative", "assurance_statement"].map((n) => data.get(n)).join("\u0000");
    if (key === lastSent) {
      return;
    }
    try {
      const response = await fetch(form.dataset.autosaveUrl, {
        method: "POST",
        body: data,
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
        redirect: "manual",
      });
      if (response.ok) {
        const result = await response.json();
        lastSent = key;
        say(`Unsaved text kept at ${result.at}. Press Save to put it in the note.`);
      } else if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
        say("You are signed out. Your text is still here: press Save, sign in again, and it will be kept.");
      } else {
        say("Your text could not be kept automatically. Press Save to keep it.");
      }
    } catch (error) {
      say("No connection: your text is still here. Press Save when you are back online.");
    }
  };

  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(send, DELAY_MS);
  });
  form.addEventListener("submit", () => clearTimeout(timer));
})();
