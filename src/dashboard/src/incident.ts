import { $, text, time } from "./dom";
import { categoryLabel } from "./labels";

/** GET /api/v1/incidents/{id} (protocols/http-api.md, Incidents). */
interface IncidentView {
  id: string;
  title: string;
  category: string;
  exercise: boolean;
  createdAt: string;
  updatedAt: string;
  mergedInto: string | null;
  reportCount: number;
  reports: { reportId: string; title: string; state: string; score: number | null; reason: string; linkedAt: string; decidedBy: string | null }[];
  decisions: { decision: string; reportId: string | null; otherIncidentId: string | null; decidedBy: string; decidedAt: string }[];
}

interface Problem { title?: string; detail?: string; errors?: Record<string, string[]> }

const States: Record<string, string> = {
  opened: "Opened it · 首报",
  proposed: "Proposed by triage · 分诊建议",
  confirmed: "Confirmed · 已确认",
};

let openReport: (id: string) => void = () => {};
let mayDecide = false;

/** Where the incident page opens reports from, and whether this person may decide links (ncp-officer). */
export function enableIncidents(open: (id: string) => void, decides: boolean) {
  openReport = open;
  mayDecide = decides;
}

/** The incident a report belongs to, as a button for the report panel; null when triage has not linked it yet. */
export async function incidentButton(reportId: string): Promise<HTMLElement | null> {
  const response = await fetch(`/api/v1/incidents?reportId=${encodeURIComponent(reportId)}`, { credentials: "same-origin" });
  if (!response.ok) return null;
  const [incident] = ((await response.json()) as { incidents: { id: string; title: string; reports: number }[] }).incidents;
  if (!incident) return null;
  const button = text("button", `Incident · 事件: ${incident.title} (${incident.reports} reports · 份报告)`, "incident-open");
  button.type = "button";
  button.addEventListener("click", () => void showIncident(incident.id));
  return button;
}

export async function showIncident(id: string) {
  const response = await fetch(`/api/v1/incidents/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  const panel = $("incident");
  if (!response.ok) {
    panel.replaceChildren(text("p", `Incident not available · 无法查看事件 (${response.status})`, "error"));
    panel.hidden = false;
    return;
  }
  draw((await response.json()) as IncidentView);
}

function draw(incident: IncidentView) {
  const panel = $("incident");
  panel.dataset.incidentId = incident.id;
  const children: HTMLElement[] = [];
  if (incident.exercise) children.push(text("p", "EXERCISE 演练", "exercise banner"));
  children.push(text("h2", incident.title, ""));
  const meta = text("p", `${categoryLabel(incident.category)} · ${incident.reportCount} reports · 份报告 · updated · 更新 `, "meta");
  meta.append(time(incident.updatedAt));
  children.push(meta);
  if (incident.mergedInto) {
    const to = text("button", "Merged into another incident — open it · 已合并，打开", "");
    to.type = "button";
    to.addEventListener("click", () => void showIncident(incident.mergedInto!));
    children.push(to);
  }
  const error = text("p", "", "error");
  error.setAttribute("role", "alert");

  const table = document.createElement("table");
  table.className = "links";
  const head = table.createTHead().insertRow();
  for (const label of ["", "Report · 报告", "Link · 关联", "Score · 分数", "Why · 依据", "Decide · 决定"]) head.append(text("th", label, ""));
  const body = table.createTBody();
  for (const link of incident.reports) {
    const row = body.insertRow();
    row.dataset.reportId = link.reportId;
    row.dataset.state = link.state;
    const pick = document.createElement("input");
    pick.type = "checkbox";
    pick.value = link.reportId;
    pick.setAttribute("aria-label", `Select · 选择 ${link.title}`);
    pick.disabled = !mayDecide;
    row.insertCell().append(pick);
    const open = text("button", link.title, "link");
    open.type = "button";
    open.addEventListener("click", () => openReport(link.reportId));
    row.insertCell().append(open);
    row.insertCell().append(text("span", `${States[link.state] ?? link.state}${link.decidedBy ? ` — ${link.decidedBy}` : ""}`, "state"));
    row.insertCell().append(text("span", link.score === null ? "—" : link.score.toFixed(2), ""));
    row.insertCell().append(text("span", link.reason, "reason"));
    const actions = row.insertCell();
    if (mayDecide && link.state === "proposed")
      actions.append(action("Confirm · 确认", `/reports/${link.reportId}/confirm`, null, incident.id, error));
    if (mayDecide && incident.reports.length > 1)
      actions.append(action("Not this incident · 不属于此事件", `/reports/${link.reportId}/reject`, null, incident.id, error));
  }
  children.push(table);

  if (mayDecide && !incident.mergedInto) {
    const tools = document.createElement("div");
    tools.className = "incident-tools";
    const split = text("button", "Split the selected into a new incident · 拆分所选", "");
    split.type = "button";
    split.addEventListener("click", () => {
      const reportIds = [...table.querySelectorAll<HTMLInputElement>("tbody input:checked")].map((box) => box.value);
      void decide(`/split`, { reportIds }, incident.id, error);
    });
    const into = document.createElement("input");
    into.name = "into";
    into.placeholder = "incident id · 事件编号";
    into.setAttribute("aria-label", "Merge into incident · 合并至事件");
    into.maxLength = 36;
    const merge = text("button", "Merge into · 合并至", "");
    merge.type = "button";
    merge.addEventListener("click", () => void decide(`/merge`, { into: into.value.trim() }, incident.id, error));
    tools.append(split, into, merge);
    children.push(tools);
  }
  children.push(error);

  if (incident.decisions.length > 0) {
    const list = document.createElement("ol");
    list.className = "decisions";
    for (const d of incident.decisions) {
      const item = text("li", `${d.decision} — ${d.decidedBy}, `, "");
      item.append(time(d.decidedAt));
      list.append(item);
    }
    children.push(text("h3", "Decisions · 决定记录", ""), list);
  }
  const close = text("button", "Close · 关闭", "");
  close.type = "button";
  close.addEventListener("click", () => { panel.hidden = true; });
  children.push(close);
  panel.replaceChildren(...children);
  panel.hidden = false;
  panel.focus();
}

function action(label: string, path: string, body: unknown, incidentId: string, error: HTMLElement): HTMLButtonElement {
  const button = text("button", label, "");
  button.type = "button";
  button.addEventListener("click", () => void decide(path, body, incidentId, error));
  return button;
}

/** A decision, then the incident it answers with (the one to look at next: the same, the new one, or the merged-into). */
async function decide(path: string, body: unknown, incidentId: string, error: HTMLElement) {
  const response = await fetch(`/api/v1/incidents/${encodeURIComponent(incidentId)}${path}`, {
    method: "POST", credentials: "same-origin",
    headers: body === null ? {} : { "Content-Type": "application/json" },
    body: body === null ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    const errors = Object.values(problem.errors ?? {}).flat();
    error.textContent = errors.length > 0 ? errors.join(" ") : problem.detail ?? problem.title ?? `HTTP ${response.status}`;
    return;
  }
  draw((await response.json()) as IncidentView);
}
