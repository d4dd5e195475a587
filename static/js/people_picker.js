// The owners of an action: a text box taking one name or initials a line, which works as it
// is. This script adds a type-ahead field (the browser's own list of the people known) and an
// "Add owner" button that appends the chosen person as the next line, and says so.
document.addEventListener("DOMContentLoaded", () => {
  for (const owners of document.querySelectorAll("textarea[data-people-picker]")) {
    const list = document.getElementById(owners.dataset.peoplePicker);
    if (!list) {
      continue;
    }
    const wrapper = document.createElement("div");
    wrapper.className = "people-picker mb-2";
    const id = `${owners.id}-picker`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.className = "form-label";
    label.textContent = "Find an owner by name or initials";
    const row = document.createElement("div");
    row.className = "d-flex flex-wrap gap-2";
    const input = document.createElement("input");
    input.type = "text";
    input.id = id;
    input.className = "form-control people-picker-input";
    input.setAttribute("list", list.id);
    input.autocomplete = "off";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-outline-secondary";
    button.textContent = "Add owner";
    const status = document.createElement("p");
    status.className = "small mb-0";
    status.setAttribute("aria-live", "polite");
    const add = () => {
      const chosen = input.value.trim();
      if (!chosen) {
        return;
      }
      const lines = owners.value.split("\n").map((line) => line.trim()).filter(Boolean);
      if (lines.includes(chosen)) {
        status.textContent = `${chosen} is already an owner.`;
      } else {
        lines.push(chosen);
        owners.value = lines.join("\n");
        status.textContent = `${chosen} added as owner ${lines.length}.`;
      }
      input.value = "";
      input.focus();
    };
    button.addEventListener("click", add);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        add();
      }
    });
    row.append(input, button);
    wrapper.append(label, row, status);
    owners.parentElement.insertBefore(wrapper, owners);
  }
});
