import { problemText, send, type Session } from "./api";
import { $, table, text, time } from "./dom";
import { L } from "./language";

/** The shapes of Identity's administration API (protocols/http-api.md, "People and organisations", "Clients"). */
interface Organisation { id: string; code: string; name: string; kind: string }
interface Person { id: string; userName: string; organisationId: string; roles: string[]; secondFactor: boolean; disabled: boolean; lockedOutUntil: string | null }
interface Invitation { id: string; organisationId: string; roles: string[]; createdBy: string; createdAt: string; expiresAt: string; acceptedAt: string | null }
interface Secret { id: string; createdAt: string; revokedAt: string | null }
interface Client { clientId: string; organisationId: string; roles: string[]; createdAt: string; revokedAt: string | null; secrets: Secret[] }

const RoleLabels: Record<string, string> = {
  reporter: L("reporter", "报告人"),
  "ncp-officer": L("contact-point officer", "联络点官员"),
  "ncp-duty": L("duty officer", "值班人员"),
  coordinator: L("coordinator", "协调员"),
  auditor: L("auditor", "审计员"),
  admin: L("administrator", "管理员"),
};
const KindLabels: Record<string, string> = { "contact-point": L("contact point", "联络点"), lab: L("lab", "实验室") };

let self = "";
let party = "";

/**
 * A party's administrator: its organisations, people (roles, disabling), invitations and machine clients. Everything
 * listed is the administrator's own party's; the API decides again on every request. Codes and secrets appear once,
 * in the answer that made them.
 */
export function enableAdministration(session: Session) {
  self = session.userName;
  party = session.party;
  void refresh();
}

async function refresh(shownOnce?: HTMLElement) {
  const section = $("admin-section");
  section.hidden = false;
  const heading = text("h2", L(`Administration — ${party}`, `管理 — ${party}`), "");
  heading.id = "admin-heading";
  const answers = await Promise.all(
    ["/connect/organisations", "/connect/users", "/connect/invitations", "/connect/clients"].map((url) => send("GET", url)));
  const refused = answers.find((answer) => !answer.ok);
  if (refused) {
    section.replaceChildren(heading, text("p", await problemText(refused), "error"));
    return;
  }
  const [{ organisations }, { users }, { invitations }, { clients }] = (await Promise.all(answers.map((a) => a.json()))) as [
    { organisations: Organisation[] }, { users: Person[] }, { invitations: Invitation[] }, { clients: Client[] }];
  const code = (id: string) => organisations.find((o) => o.id === id)?.code ?? id;
  section.replaceChildren(heading, ...(shownOnce ? [shownOnce] : []),
    organisationsPart(organisations), peoplePart(users, code), invitationsPart(invitations, organisations, code), clientsPart(clients, organisations, code));
  shownOnce?.focus();
}

/** A code or secret, in the only answer that will ever hold it. */
function once(title: string, value: string, note: string): HTMLElement {
  const box = text("div", "", "shown-once");
  box.tabIndex = -1;
  box.setAttribute("role", "status");
  const secret = text("code", value, "secret");
  box.append(text("strong", title, ""), secret, text("p", note, ""));
  return box;
}

function organisationsPart(organisations: Organisation[]): HTMLElement {
  const part = subsection(L("Organisations", "机构"), [L("Code", "代码"), L("Name", "名称"), L("Kind", "类型")],
    organisations.map((o) => [o.code, o.name, KindLabels[o.kind] ?? o.kind]));
  const kind = select("kind", Object.entries(KindLabels));
  part.append(form(L("Add organisation", "添加机构"), [field(L("Code", "代码"), input("code", 64)), field(L("Name", "名称"), input("name", 200)), field(L("Kind", "类型"), kind)],
    async (data) => {
      const response = await send("POST", "/connect/organisations", { code: data.get("code"), name: data.get("name"), kind: data.get("kind") });
      return { response, after: () => refresh() };
    }));
  return part;
}

function peoplePart(people: Person[], code: (id: string) => string): HTMLElement {
  return subsection(L("People", "人员"), [L("User name", "用户名"), L("Organisation", "机构"), L("Roles", "角色"), L("State", "状态"), ""],
    people.map((person) => {
      const state = [
        person.secondFactor ? L("second factor on", "已开启双重验证") : L("no second factor", "未开启双重验证"),
        ...(person.disabled ? [L("DISABLED", "已停用")] : []),
        ...(person.lockedOutUntil ? [L(`locked until ${new Date(person.lockedOutUntil).toLocaleTimeString()}`, `锁定至 ${new Date(person.lockedOutUntil).toLocaleTimeString()}`)] : []),
      ].join(" · ");
      const actions = text("div", "", "row-actions");
      if (person.userName !== self && !person.disabled) {
        const roles = roleChoice(person.roles);
        const save = form(L("Set roles", "设置角色"), [roles], async () => {
          const chosen = checked(roles);
          return { response: await send("PUT", `/connect/users/${encodeURIComponent(person.id)}/roles`, { roles: chosen }), after: () => refresh() };
        });
        const disable = text("button", L("Disable", "停用"), "danger");
        disable.type = "button";
        disable.addEventListener("click", async () => {
          if (!confirm(L(`Disable ${person.userName}? Their sessions end and they cannot sign in.`, `停用 ${person.userName}？其会话将结束且无法登录。`))) return;
          const response = await send("POST", `/connect/users/${encodeURIComponent(person.id)}/disable`);
          if (response.ok) await refresh();
          else actions.append(text("p", await problemText(response), "error"));
        });
        const change = document.createElement("details");
        change.append(text("summary", L("Change roles", "更改角色"), ""), save);
        actions.append(change, disable);
      }
      return [person.userName, code(person.organisationId), person.roles.map((r) => RoleLabels[r] ?? r).join(", "), state, actions];
    }));
}

function invitationsPart(invitations: Invitation[], organisations: Organisation[], code: (id: string) => string): HTMLElement {
  const now = Date.now();
  const part = subsection(L("Invitations", "邀请"), [L("Organisation", "机构"), L("Roles", "角色"), L("Made", "创建"), L("Expires", "过期"), L("State", "状态")],
    invitations.map((i) => [code(i.organisationId), i.roles.map((r) => RoleLabels[r] ?? r).join(", "), time(i.createdAt), time(i.expiresAt),
      i.acceptedAt ? L("accepted", "已接受") : Date.parse(i.expiresAt) < now ? L("expired", "已过期") : L("open", "待接受")]));
  const roles = roleChoice([]);
  const hours = input("expiresInHours", 3);
  Object.assign(hours, { type: "number", min: "1", max: "168", value: "72" });
  part.append(form(L("Invite a person", "邀请人员"),
    [field(L("Organisation", "机构"), organisationChoice(organisations)), roles, field(L("Valid for (hours)", "有效期（小时）"), hours)],
    async (data) => {
      const response = await send("POST", "/connect/invitations", {
        organisationId: data.get("organisationId"), roles: checked(roles), expiresInHours: Number(data.get("expiresInHours")),
      });
      if (!response.ok) return { response };
      const made = (await response.json()) as { code: string; expiresAt: string };
      const link = `${location.origin}/#invitation=${made.code}`;
      return {
        response,
        after: () => refresh(once(L("Invitation code", "邀请码"), made.code,
          L(`Pass it to the person by a channel you trust, with the link ${link}. It works once, until ${new Date(made.expiresAt).toLocaleString()}, and is shown only now.`,
            `请通过可信渠道交给对方（链接 ${link}）。仅可使用一次，有效至 ${new Date(made.expiresAt).toLocaleString()}，仅此一次显示。`))),
      };
    }));
  return part;
}

function clientsPart(clients: Client[], organisations: Organisation[], code: (id: string) => string): HTMLElement {
  const part = subsection(L("Machine clients", "系统客户端"), [L("Client", "客户端"), L("Organisation", "机构"), L("Roles", "角色"), L("Secrets", "密钥"), ""],
    clients.map((client) => {
      const secrets = text("ul", "", "secrets");
      for (const secret of client.secrets) {
        const item = text("li", L(`made ${new Date(secret.createdAt).toLocaleString()}`, `创建于 ${new Date(secret.createdAt).toLocaleString()}`), "");
        if (secret.revokedAt) item.append(L(" · revoked", " · 已撤销"));
        else if (!client.revokedAt) item.append(" ", action(L("Revoke", "撤销"), "DELETE", `/connect/clients/${encodeURIComponent(client.clientId)}/secrets/${encodeURIComponent(secret.id)}`));
        secrets.append(item);
      }
      const actions = text("div", "", "row-actions");
      if (client.revokedAt) actions.append(L("REVOKED", "已撤销"));
      else actions.append(
        action(L("New secret", "新密钥"), "POST", `/connect/clients/${encodeURIComponent(client.clientId)}/secrets`, client.clientId),
        action(L("Revoke client", "撤销客户端"), "POST", `/connect/clients/${encodeURIComponent(client.clientId)}/revoke`));
      return [client.clientId, code(client.organisationId), client.roles.map((r) => RoleLabels[r] ?? r).join(", "), secrets, actions];
    }));
  const roles = roleChoice([]);
  part.append(form(L("Add a client", "添加客户端"),
    [field(L("Client id", "客户端标识"), input("clientId", 64)), field(L("Organisation", "机构"), organisationChoice(organisations)), roles],
    async (data) => {
      const response = await send("POST", "/connect/clients", { clientId: data.get("clientId"), organisationId: data.get("organisationId"), roles: checked(roles) });
      if (!response.ok) return { response };
      const made = (await response.json()) as { clientId: string; secret: string };
      return { response, after: () => refresh(secretShown(made)) };
    }));
  return part;
}

function secretShown(made: { clientId: string; secret: string }): HTMLElement {
  return once(L(`Secret of ${made.clientId}`, `${made.clientId} 的密钥`), made.secret,
    L("Put it into the client's configuration now: it is stored only as a hash and shown only now.", "请立即配置到客户端：系统只保存其哈希值，仅此一次显示。"));
}

/** A button for one change; a new secret is shown once, anything else redraws the lists. */
function action(label: string, method: string, url: string, secretFor?: string): HTMLButtonElement {
  const button = text("button", label, method === "POST" && !secretFor ? "danger" : "");
  button.type = "button";
  button.addEventListener("click", async () => {
    if (!secretFor && !confirm(`${label}?`)) return;
    const response = await send(method, url);
    if (!response.ok) {
      button.after(text("span", ` ${await problemText(response)}`, "error"));
      return;
    }
    await refresh(secretFor ? secretShown((await response.json()) as { clientId: string; secret: string }) : undefined);
  });
  return button;
}

function subsection(title: string, headers: string[], rows: (string | Node)[][]): HTMLElement {
  const part = text("section", "", "admin-part");
  part.append(text("h3", title, ""), table(headers, rows));
  return part;
}

type Outcome = { response: Response; after?: () => Promise<void> };

function form(submitLabel: string, fields: HTMLElement[], submit: (data: FormData) => Promise<Outcome>): HTMLFormElement {
  const element = document.createElement("form");
  element.className = "admin-form";
  const button = text("button", submitLabel, "");
  button.type = "submit";
  const error = text("p", "", "error");
  error.setAttribute("role", "alert");
  element.append(...fields, button, error);
  element.addEventListener("submit", async (event) => {
    event.preventDefault();
    button.disabled = true;
    const { response, after } = await submit(new FormData(element));
    button.disabled = false;
    if (!response.ok) error.textContent = await problemText(response);
    else await after?.();
  });
  return element;
}

function field(label: string, control: HTMLElement): HTMLLabelElement {
  const element = text("label", label, "");
  element.append(" ", control);
  return element;
}

function input(name: string, maxLength: number): HTMLInputElement {
  const element = document.createElement("input");
  element.name = name;
  element.maxLength = maxLength;
  element.required = true;
  return element;
}

function select(name: string, options: [string, string][]): HTMLSelectElement {
  const element = document.createElement("select");
  element.name = name;
  element.append(...options.map(([value, label]) => {
    const option = text("option", label, "");
    option.value = value;
    return option;
  }));
  return element;
}

function organisationChoice(organisations: Organisation[]): HTMLSelectElement {
  return select("organisationId", organisations.map((o) => [o.id, `${o.code} — ${o.name}`]));
}

function roleChoice(current: string[]): HTMLFieldSetElement {
  const set = document.createElement("fieldset");
  set.className = "roles";
  set.append(text("legend", L("Roles", "角色"), ""));
  for (const [role, label] of Object.entries(RoleLabels)) {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = role;
    box.checked = current.includes(role);
    const item = text("label", "", "");
    item.append(box, ` ${label}`);
    set.append(item);
  }
  return set;
}

function checked(set: HTMLFieldSetElement): string[] {
  return [...set.querySelectorAll<HTMLInputElement>("input[type=checkbox]:checked")].map((box) => box.value);
}
