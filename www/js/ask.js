// ask.js: a question the page asks before it does anything that could lose work (reset a cell or
// the lab, open a link's code over local work, import a file). A modal <dialog> with one button
// per choice; Escape picks the last choice, which is always the safe one ("Keep my work").

/**
 * @param {{title: string, text: string, choices: {label: string, value: string}[]}} question
 *   the first choice is the action, the last the safe way out
 * @returns {Promise<string>} the chosen value
 */
export function ask({ title, text, choices }, doc = document) {
  const dialog = doc.createElement("dialog");
  dialog.className = "ask";
  const heading = doc.createElement("h2");
  heading.textContent = title;
  heading.id = `ask-${Date.now()}`;
  dialog.setAttribute("aria-labelledby", heading.id);
  const body = doc.createElement("p");
  body.textContent = text;
  const buttons = doc.createElement("div");
  buttons.className = "buttons";
  dialog.append(heading, body, buttons);
  const safe = choices[choices.length - 1].value;
  return new Promise((resolve) => {
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    choices.forEach((choice, i) => {
      const button = doc.createElement("button");
      button.type = "button";
      button.textContent = choice.label;
      button.dataset.choice = choice.value;
      if (i > 0) button.className = "secondary";
      button.addEventListener("click", () => close(choice.value));
      buttons.append(button);
    });
    dialog.addEventListener("cancel", (event) => {
      event.preventDefault();
      close(safe);
    });
    doc.body.append(dialog);
    dialog.showModal();
    buttons.lastElementChild.focus(); // the safe choice has the focus: Enter never loses work
  });
}
