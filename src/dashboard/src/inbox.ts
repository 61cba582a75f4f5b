import { problemText } from "./api";
import { L } from "./language";
import { $, text, time } from "./dom";
import { categories, categoryLabel, StatusLabels } from "./labels";

/** One row of GET /api/v1/reports (protocols/http-api.md). */
interface InboxItem {
  id: string;
  source: "own" | "counterpart";
  party: string;
  status: string;
  title: string;
  category: string;
  kind: string;
  tlp: string;
  exercise: boolean;
  severity: number | null;
  updatedAt: string;
}

let openReport: (id: string) => void = () => {};
let reloadTimer: number | undefined;
/** The latest load: an earlier one answering after it (a slow unfiltered list) must not replace its rows. */
let latestLoad = 0;

/** The contact point's inbox: its labs' reports and those the counterpart released to it, filtered on the server. */
export function enableInbox(open: (id: string) => void) {
  openReport = open;
  const select = $("inbox-category") as HTMLSelectElement;
  for (const code of categories) {
    const option = text("option", categoryLabel(code), "");
    option.value = code;
    select.append(option);
  }
  $("inbox-filters").addEventListener("change", () => void loadInbox());
  $("inbox-filters").addEventListener("submit", (event) => { event.preventDefault(); void loadInbox(); });
  $("inbox-section").hidden = false;
  void loadInbox();
  // Status changes (triaged, assessed, released) raise no alert: a periodic reload keeps the inbox current.
  window.setInterval(() => refreshInbox(), 30_000);
}

/** Reloads the inbox soon: a burst of alerts makes one request, not one each. */
export function refreshInbox() {
  if ($("inbox-section").hidden || reloadTimer !== undefined) return;
  reloadTimer = window.setTimeout(() => { reloadTimer = undefined; void loadInbox(); }, 1000);
}

async function loadInbox() {
  const load = ++latestLoad;
  const form = new FormData($("inbox-filters") as HTMLFormElement);
  const query = new URLSearchParams({ limit: "100" });
  for (const name of ["status", "minSeverity", "category", "tlp", "exercise"]) {
    const value = form.get(name);
    if (typeof value === "string" && value !== "") query.set(name, value);
  }
  const response = await fetch(`/api/v1/reports?${query}`, { credentials: "same-origin" });
  const body = $("inbox-rows");
  if (!response.ok) {
    const problem = await problemText(response);
    if (load === latestLoad) $("inbox-error").textContent = problem;
    return;
  }
  const items = ((await response.json()) as { reports: InboxItem[] }).reports;
  if (load !== latestLoad) return;
  $("inbox-error").textContent = "";
  body.replaceChildren(...items.map(row));
  $("inbox-empty").hidden = items.length > 0;
}

/** User text only as textContent. The level and TLP are written out, never shown by colour alone. */
function row(item: InboxItem): HTMLTableRowElement {
  const tr = document.createElement("tr");
  tr.dataset.reportId = item.id;
  tr.dataset.source = item.source;
  tr.append(cell(time(item.updatedAt)));
  tr.append(cell(text("span", item.source === "own" ? L("Our labs", "本方") : L(`Counterpart (${item.party})`, `对方通报（${item.party}）`), "")));
  const level = text("span", item.severity === null ? "—" : L(`Level ${item.severity}`, `${item.severity}级`), "level");
  if (item.severity !== null) level.dataset.severity = String(item.severity);
  tr.append(cell(level));
  const tlp = text("span", `TLP:${item.tlp}`, "tlp-chip");
  tlp.dataset.tlp = item.tlp;
  tr.append(cell(tlp));
  const open = text("button", item.title, "link");
  open.type = "button";
  open.addEventListener("click", () => openReport(item.id));
  const title = cell(open);
  if (item.exercise) title.prepend(text("span", "EXERCISE 演练", "exercise"));
  tr.append(title);
  tr.append(cell(text("span", categoryLabel(item.category), "")));
  tr.append(cell(text("span", StatusLabels[item.status] ?? item.status, "")));
  return tr;
}

function cell(content: HTMLElement): HTMLTableCellElement {
  const td = document.createElement("td");
  td.append(content);
  return td;
}
