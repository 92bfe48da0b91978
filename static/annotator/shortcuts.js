// Keyboard shortcuts as a map from a key's name to an action. A key typed into a form field belongs to the field,
// never to a shortcut, so a note or a comment can hold any letter.

// "a", "A" (Shift is in the letter itself), "Ctrl+z" (Ctrl or ⌘), "Alt+x", "Ctrl+Alt+x".
export function keyName(event) {
  return `${event.ctrlKey || event.metaKey ? "Ctrl+" : ""}${event.altKey ? "Alt+" : ""}${event.key}`;
}

// A checkbox or radio button (a switch) takes no letters, so with one focused the keys stay shortcuts.
export function isTyping(event) {
  const field = event.target.closest?.("input, textarea, select");
  return Boolean(field) && !["checkbox", "radio"].includes(field.type);
}

// `keys`: {name: action}, or a function name → action (or nothing) for maps that depend on the page's state.
// A key with an action has its default (scrolling, typing) prevented.
export function bindKeys(target, keys) {
  const lookup = typeof keys === "function" ? keys : (name) => (Object.hasOwn(keys, name) ? keys[name] : null);
  const listener = (event) => {
    if (isTyping(event)) return;
    const action = lookup(keyName(event));
    if (!action) return;
    event.preventDefault();
    action(event);
  };
  target.addEventListener("keydown", listener);
  return () => target.removeEventListener("keydown", listener);
}
