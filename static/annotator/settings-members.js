// The members table (change a role, remove) and the form that adds a member. An owner who steps down or leaves
// is sent to the project's overview, since this page is for owners only.
import { api } from "./api.js";
import { button, element } from "./dom.js";
import { fieldsIn, markInvalid, problems, rowMessage } from "./settings-form.js";
import { setStatus } from "./status.js";

export function memberSettings({ base, members: initial, username, roles, overviewUrl }) {
  let members = initial;
  const table = document.querySelector("[data-testid='members-table']");
  const status = document.getElementById("members-status");

  function row(member) {
    const body = element("tbody", { dataset: { memberRow: String(member.id) } });
    const me = member.username === username;
    const role = element("select", { name: "role", "aria-label": `Role of ${member.username}` },
      roles.map((value) => element("option", { value, textContent: value, selected: value === member.role })));
    role.addEventListener("change", () => changeRole(body, member.id, role));
    body.append(
      element("tr", {}, [
        element("td", {}, [element("span", { textContent: member.username, className: "username" }),
          ...(me ? [element("span", { textContent: " (you)", className: "muted" })] : [])]),
        element("td", {}, [role]),
        element("td", { className: "row-actions" }, [
          button("Remove", () => removeMember(body, member.id), "danger remove"),
        ]),
      ]),
      element("tr", { className: "message-row" }, [element("td", { colSpan: 3 }, [element("p", {
        className: "row-message", role: "alert" })])]),
    );
    return body;
  }

  function render() {
    for (const body of table.querySelectorAll("tbody")) body.remove();
    table.append(...members.map(row));
  }

  function leaveIfNoLongerOwner(member, role) {
    if (member.username === username && role !== "owner") window.location.assign(overviewUrl);
  }

  async function changeRole(body, id, select) {
    const member = members.find((item) => item.id === id);
    try {
      const saved = await api("PATCH", `${base}members/${id}/`, { role: select.value });
      member.role = saved.role;
      rowMessage(body, [`${saved.username} is now ${saved.role}.`], "ok");
      leaveIfNoLongerOwner(saved, saved.role);
    } catch (error) {
      select.value = member.role;
      rowMessage(body, [`Role not changed. ${problems(error).join(" ")}`], "error");
    }
  }

  async function removeMember(body, id) {
    const member = members.find((item) => item.id === id);
    try {
      await api("DELETE", `${base}members/${id}/`);
    } catch (error) {
      rowMessage(body, [`Not removed. ${problems(error).join(" ")}`], "error");
      return;
    }
    members = members.filter((item) => item.id !== id);
    body.remove();
    setStatus(status, `Removed ${member.username} from the project.`, "ok");
    leaveIfNoLongerOwner(member, null);
  }

  const form = document.getElementById("member-add");
  const formError = document.getElementById("member-add-error");

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const item = { username: form.elements.username.value.trim(), role: form.elements.role.value };
    formError.textContent = "";
    markInvalid(form, []);
    try {
      const saved = await api("POST", `${base}members/`, item);
      members.push(saved);
      table.append(row(saved));
      form.elements.username.value = "";
      setStatus(status, `Added ${saved.username} as ${saved.role}.`, "ok");
    } catch (error) {
      markInvalid(form, fieldsIn(error));
      formError.textContent = `Not added. ${problems(error).join(" ")}`;
    }
  });

  return { render };
}
