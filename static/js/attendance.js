// The attendance form: choosing a known person fills in their usual role and initials, which
// stay editable. Without this script the server fills an empty role in the same way.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-attendance-form]");
  const data = document.getElementById("known-people");
  if (!form || !data) {
    return;
  }
  const people = JSON.parse(data.textContent);
  const person = form.querySelector("select[name=person]");
  const fields = {
    role: form.querySelector("input[name=role]"),
    initials: form.querySelector("input[name=initials]"),
  };
  if (!person) {
    return;
  }
  // What the script last filled in: a value the user typed is never replaced.
  const filled = { role: "", initials: "" };
  person.addEventListener("change", () => {
    const known = people[person.value] || { role: "", initials: "" };
    for (const [name, input] of Object.entries(fields)) {
      if (input && (input.value === "" || input.value === filled[name])) {
        input.value = known[name] || "";
        filled[name] = input.value;
      }
    }
  });
});
