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

// A bare letter's other case: legends print keys as capitals ("A accept") and Caps Lock flips every letter, so a
// letter with no action of its own answers for its other case. Only bare letters: Ctrl+Shift+Z (redo) must never
// run Ctrl+z (undo).
function otherCase(name) {
  if (name.length !== 1) return null;
  const other = name === name.toLowerCase() ? name.toUpperCase() : name.toLowerCase();
  return other !== name && other.length === 1 ? other : null;
}

// `keys`: {name: action}, or a function name → action (or nothing) for maps that depend on the page's state.
// The exact name is looked up first, so a map may still give "a" and "A" different actions.
// A key with an action has its default (scrolling, typing) prevented.
export function bindKeys(target, keys) {
  const lookup = typeof keys === "function" ? keys : (name) => (Object.hasOwn(keys, name) ? keys[name] : null);
  const listener = (event) => {
    if (isTyping(event)) return;
    const name = keyName(event);
    const other = otherCase(name);
    const action = lookup(name) || (other && lookup(other));
    if (!action) return;
    event.preventDefault();
    action(event);
  };
  target.addEventListener("keydown", listener);
  return () => target.removeEventListener("keydown", listener);
}
