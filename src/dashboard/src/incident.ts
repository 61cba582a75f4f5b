import { problemText, send } from "./api";
import { L } from "./language";
import { $, showPanel, text, time } from "./dom";
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


const States: Record<string, string> = {
  opened: L("Opened it", "首报"),
  proposed: L("Proposed by triage", "分诊建议"),
  confirmed: L("Confirmed", "已确认"),
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
  const button = text("button", `${L("Incident", "事件")}: ${incident.title} (${incident.reports} ${L("reports", "份报告")})`, "incident-open");
  button.type = "button";
  button.addEventListener("click", () => void showIncident(incident.id));
  return button;
}

export async function showIncident(id: string) {
  const response = await fetch(`/api/v1/incidents/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  const panel = $("incident");
  if (!response.ok) {
    showPanel(panel, [text("p", `${L("Incident not available", "无法查看事件")} (${response.status})`, "error")]);
    return;
  }
  const incident = (await response.json()) as IncidentView;
  draw(incident, await mergeTargets(incident));
}

/** The party's most recently changed incidents of the same kind (real or exercise): where an officer may merge one. */
async function mergeTargets(incident: IncidentView): Promise<{ id: string; title: string; reports: number }[]> {
  if (!mayDecide || incident.mergedInto) return [];
  const response = await fetch(`/api/v1/incidents?exercise=${incident.exercise}&limit=50`, { credentials: "same-origin" });
  return response.ok ? ((await response.json()) as { incidents: { id: string; title: string; reports: number }[] }).incidents : [];
}

function draw(incident: IncidentView, others: { id: string; title: string; reports: number }[]) {
  const panel = $("incident");
  panel.dataset.incidentId = incident.id;
  const children: HTMLElement[] = [];
  if (incident.exercise) children.push(text("p", "EXERCISE 演练", "exercise banner"));
  children.push(text("h2", incident.title, ""));
  const meta = text("p", `${categoryLabel(incident.category)} · ${incident.reportCount} ${L("reports", "份报告")} · ${L("updated", "更新")} `, "meta");
  meta.append(time(incident.updatedAt));
  children.push(meta);
  if (incident.mergedInto) {
    const to = text("button", L("Merged into another incident — open it", "已合并，打开"), "");
    to.type = "button";
    to.addEventListener("click", () => void showIncident(incident.mergedInto!));
    children.push(to);
  }
  const error = text("p", "", "error");
  error.setAttribute("role", "alert");

  const table = document.createElement("table");
  table.className = "links";
  const head = table.createTHead().insertRow();
  for (const label of ["", L("Report", "报告"), L("Link", "关联"), L("Score", "分数"), L("Why", "依据"), L("Decide", "决定")]) head.append(text("th", label, ""));
  const body = table.createTBody();
  for (const link of incident.reports) {
    const row = body.insertRow();
    row.dataset.reportId = link.reportId;
    row.dataset.state = link.state;
    const pick = document.createElement("input");
    pick.type = "checkbox";
    pick.value = link.reportId;
    pick.setAttribute("aria-label", `${L("Select", "选择")} ${link.title}`);
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
      actions.append(action(L("Confirm", "确认"), `/reports/${link.reportId}/confirm`, null, incident.id, error));
    if (mayDecide && incident.reports.length > 1)
      actions.append(action(L("Not this incident", "不属于此事件"), `/reports/${link.reportId}/reject`, null, incident.id, error));
  }
  children.push(table);

  if (mayDecide && !incident.mergedInto) {
    const tools = document.createElement("div");
    tools.className = "incident-tools";
    const split = text("button", L("Split the selected into a new incident", "拆分所选"), "");
    split.type = "button";
    split.addEventListener("click", () => {
      const reportIds = [...table.querySelectorAll<HTMLInputElement>("tbody input:checked")].map((box) => box.value);
      void decide(`/split`, { reportIds }, incident.id, error);
    });
    // The party's recently changed incidents of the same kind (real or exercise), this one left out.
    const into = document.createElement("select");
    into.name = "into";
    into.setAttribute("aria-label", L("Merge into incident", "合并至事件"));
    for (const other of others.filter((o) => o.id !== incident.id)) {
      const option = text("option", `${other.title} (${other.reports} ${L("reports", "份报告")})`, "");
      option.value = other.id;
      into.append(option);
    }
    const merge = text("button", L("Merge into", "合并至"), "");
    merge.type = "button";
    merge.disabled = into.options.length === 0;
    merge.addEventListener("click", () => void decide(`/merge`, { into: into.value }, incident.id, error));
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
    children.push(text("h3", L("Decisions", "决定记录"), ""), list);
  }
  showPanel(panel, children);
}

function action(label: string, path: string, body: unknown, incidentId: string, error: HTMLElement): HTMLButtonElement {
  const button = text("button", label, "");
  button.type = "button";
  button.addEventListener("click", () => void decide(path, body, incidentId, error));
  return button;
}

/** A decision, then the incident it answers with (the one to look at next: the same, the new one, or the merged-into). */
async function decide(path: string, body: unknown, incidentId: string, error: HTMLElement) {
  const response = await send("POST", `/api/v1/incidents/${encodeURIComponent(incidentId)}${path}`, body ?? undefined);
  if (!response.ok) {
    error.textContent = await problemText(response);
    return;
  }
  const incident = (await response.json()) as IncidentView;
  draw(incident, await mergeTargets(incident));
}
