import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { $, text, time } from "./dom";
import { enableDrillControls, showDrillList } from "./drills";
import { enableIncidents, incidentButton } from "./incident";
import { enableInbox, refreshInbox } from "./inbox";
import { openRelease } from "./release";

interface Stamp { at: string | null; by: string | null; dueAt: string | null }

/** The three stamps of an alert (protocols/http-api.md, "Stamps"). */
interface Stamps {
  delivered: Stamp;
  acknowledged: Stamp;
  responded: Stamp & { kind: string | null; text: string | null };
  /** Own reports the rule set says must go to the counterpart: by when, and when released. */
  counterpartNotified: Stamp | null;
}

/** An alert as the hub pushes it and GET /api/v1/alerts lists it (protocols/http-api.md). */
interface Alert {
  alertId: string;
  sequence: number;
  kind: string;
  reportId: string;
  reportVersion: number;
  party: string;
  severity: number;
  severityLabel: { en: string; "zh-Hans": string };
  title: string;
  category: string;
  exercise: boolean;
  raisedAt: string;
  stamps: Stamps;
  incidentId: string | null;
  /** Storm control: folded under this earlier alert of the same incident. */
  groupedUnder: string | null;
  /** Storm control: a low level the party sends to its digest rather than alerting live. */
  digest: boolean;
}

interface Session { userName: string; party: string; roles: string[] }

/** One field's rendering in another language, as GET /api/v1/reports/{id} gives it (protocols/http-api.md). */
interface Translation {
  field: string;
  sourceLanguage: string;
  targetLanguage: string;
  text: string | null;
  status: "glossary" | "machine" | "pending" | "untranslated" | "human";
  engine: string;
  model: string | null;
  translatedAt: string | null;
  reviewedBy: string | null;
  stale: boolean;
  glossaryNotes: string[];
}

/** A legal reporting regime that applies, with its clock (home side only). */
interface Regime {
  id: string;
  name: { en: string; "zh-Hans": string };
  source: string;
  expedited: boolean;
  basis: string;
  deadline: string;
}

interface ReportView {
  id: string;
  party: string;
  exercise: boolean;
  document: Record<string, unknown> & { title: string; language: string; tlp: string };
  translations: Translation[];
  regimes?: Regime[];
  /** Home side: every release made of the report. */
  releases?: { id: string; version: number; toParty: string; tlp: string; withheld: string[]; releasedAt: string }[];
}

const alerts = new Map<number, Alert>();
/** Every sequence number up to this one has been received; gap-fill asks for what comes after it. */
let contiguous = 0;
let gapFillTimer: number | undefined;

async function currentSession(): Promise<Session | null> {
  const response = await fetch("/connect/session", { credentials: "same-origin" });
  return response.ok ? ((await response.json()) as Session) : null;
}

function showLogin() {
  $("login").hidden = false;
  $("who").hidden = true;
  $("feed-section").hidden = true;
}

$("login").addEventListener("submit", async (event) => {
  event.preventDefault();
  const form = new FormData(event.target as HTMLFormElement);
  const response = await fetch("/connect/login", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userName: form.get("userName"), password: form.get("password") }),
  });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({ title: "Sign-in failed" }));
    $("login-error").textContent = problem.detail ?? problem.title;
    return;
  }
  $("login-error").textContent = "";
  await start((await response.json()) as Session);
});

$("logout").addEventListener("click", async () => {
  await fetch("/connect/logout", { method: "POST", credentials: "same-origin" });
  location.reload();
});

function setStatus(state: "online" | "reconnecting" | "offline") {
  const status = $("status");
  status.textContent = state;
  status.className = `status ${state}`;
}

/**
 * Fetches every alert after the last contiguous one we hold. Sequences have no gaps on the server, so a hole here
 * means a push was lost (a restart between commit and push, or a dropped connection), not that nothing happened.
 */
async function fillGaps() {
  for (;;) {
    const after = contiguous;
    const response = await fetch(`/api/v1/alerts?after=${after}&limit=500`, { credentials: "same-origin" });
    if (!response.ok) return;
    const page = (await response.json()) as { alerts: Alert[] };
    let added = false;
    for (const alert of page.alerts) added = remember(alert) || added;
    if (added) render();
    if (page.alerts.length < 500) return;
  }
}

/**
 * Where the dashboard starts: the party's newest alerts, not its whole history (a party with tens of thousands of alerts
 * made the first page load, and every redraw, take minutes). Gap-filling goes on from the newest.
 */
async function loadLatest() {
  const response = await fetch(`/api/v1/alerts?latest=true&limit=${FeedSize}`, { credentials: "same-origin" });
  if (!response.ok) return;
  const page = (await response.json()) as { alerts: Alert[] };
  if (page.alerts.length > 0 && contiguous === 0) contiguous = page.alerts[0].sequence - 1;
  for (const alert of page.alerts) remember(alert);
  render();
}

/** How many alerts the page holds at most: the feed shows the newest; older ones are in the inbox. */
const MaxHeld = 4 * 200;

/** Keeps an alert once per sequence number; true when it was new. Forgets the oldest beyond what the feed can show. */
function remember(alert: Alert): boolean {
  if (alerts.has(alert.sequence)) return false;
  alerts.set(alert.sequence, alert);
  while (alerts.has(contiguous + 1)) contiguous++;
  if (alerts.size > MaxHeld) {
    const oldest = [...alerts.keys()].sort((a, b) => a - b).slice(0, alerts.size - MaxHeld / 2);
    for (const sequence of oldest) if (sequence <= contiguous) alerts.delete(sequence);
  }
  return true;
}

function add(alert: Alert) {
  if (remember(alert)) {
    render();
    refreshInbox();
  }
  // A hole before this alert: give the missing push a moment to arrive, then ask the server for it.
  if (alert.sequence > contiguous + 1 && gapFillTimer === undefined)
    gapFillTimer = window.setTimeout(() => { gapFillTimer = undefined; void fillGaps(); }, 1000);
}

/** The feed shows the newest alerts; older ones stay reachable through the inbox (dashboard issue). */
const FeedSize = 200;

/** What an alert is about, in both languages: a report of one's own labs, or one the counterpart released or withdrew. */
const KindLabels: Record<string, string> = {
  "report": "Report from our labs · 本方实验室报告",
  "report-released": "Released by the counterpart · 对方通报",
  "report-nullified": "WITHDRAWN by the counterpart · 对方已撤回",
  "communication-check": "Communication check — acknowledge · 通信检查 — 请确认",
};

/** The feed's items as last drawn, by lead alert, with what they showed: an unchanged alert keeps its element. */
let drawn = new Map<string, { key: string; item: HTMLElement }>();
let renderPending = false;

/**
 * Redraws the feed once for a burst of changes, reusing the element of every alert that did not change — so that during a
 * storm of alerts the button an officer is about to press stays where it is.
 */
function render() {
  if (renderPending) return;
  renderPending = true;
  // A timer, not requestAnimationFrame: a dashboard in a background tab gets no frames, and must still keep up.
  setTimeout(() => { renderPending = false; draw(); }, 0);
}

function draw() {
  const all = [...alerts.values()].sort((a, b) => b.sequence - a.sequence);
  const held = new Set(all.map((a) => a.alertId));
  const members = new Map<string, Alert[]>();
  for (const alert of all) {
    if (!alert.groupedUnder) continue;
    const group = members.get(alert.groupedUnder);
    if (group) group.push(alert);
    else members.set(alert.groupedUnder, [alert]);
  }
  const next = new Map<string, { key: string; item: HTMLElement }>();
  const items = all.filter((a) => !a.digest && !(a.groupedUnder && held.has(a.groupedUnder))).slice(0, FeedSize).map((lead) => {
    const folded = members.get(lead.alertId) ?? [];
    const key = JSON.stringify([lead, folded]);
    const earlier = drawn.get(lead.alertId);
    if (earlier?.key === key) {
      next.set(lead.alertId, earlier);
      return earlier.item;
    }
    const item = renderAlert(lead, folded.length);
    if (folded.length > 0) {
      const list = document.createElement("ol");
      list.className = "folded-list";
      list.append(...folded.map((m) => renderAlert(m, 0)));
      item.append(list);
    }
    next.set(lead.alertId, { key, item });
    return item;
  });
  drawn = next;
  // Only what changed moves: unchanged items stay attached (replaceChildren would detach them for a moment).
  const feed = $("feed");
  items.forEach((item, i) => { if (feed.children[i] !== item) feed.insertBefore(item, feed.children[i] ?? null); });
  while (feed.children.length > items.length) feed.lastElementChild!.remove();
  $("empty").hidden = items.length > 0;

  const digest = all.filter((a) => a.digest).slice(0, FeedSize);
  $("digest").hidden = digest.length === 0;
  $("digest-count").textContent = String(digest.length);
  $("digest-list").replaceChildren(...digest.map((a) => text("li", `#${a.sequence} · Level ${a.severity} · ${a.title}`, "")));
}

/** User text only ever goes in as textContent, never as HTML. */
function renderAlert(alert: Alert, folded: number): HTMLElement {
  const item = document.createElement("li");
  item.className = "alert";
  item.dataset.severity = String(alert.severity);
  item.dataset.sequence = String(alert.sequence);
  item.dataset.testid = "alert";
  item.dataset.alertId = alert.alertId;
  item.dataset.reportId = alert.reportId;
  item.dataset.kind = alert.kind;
  const card = document.createElement("div");
  card.className = "card-body";
  item.append(card);
  if (alert.exercise) card.append(text("span", "EXERCISE 演练", "exercise"));
  card.append(
    text("span", KindLabels[alert.kind] ?? alert.kind, "kind"),
    text("span", `Level ${alert.severity} · ${alert.severityLabel.en} · ${alert.severityLabel["zh-Hans"]}`, "severity"),
    text("strong", alert.title, "title"),
  );
  const raised = new Date(alert.raisedAt);
  const time = text("time", raised.toLocaleString(), "");
  time.dateTime = alert.raisedAt;
  time.title = raised.toISOString();
  const meta = text("span", `#${alert.sequence} · ${alert.category} · `, "meta");
  meta.append(time);
  const open = text("button", "Open report · 打开报告", "open");
  open.type = "button";
  open.addEventListener("click", () => void showReport(alert.reportId));
  card.append(meta, renderStamps(alert));
  if (alert.kind !== "communication-check") card.append(open);
  if (folded > 0) card.append(text("span", `${folded} more reports of this incident, below · 同一事件另有${folded}份报告 (acknowledging this one acknowledges them · 一并确认)`, "folded"));
  return item;
}

/** Acknowledged (by whom, when) or a button to acknowledge with the time it is due by; then the response. */
function renderStamps(alert: Alert): HTMLElement {
  const stamps = document.createElement("div");
  stamps.className = "stamps";
  const { acknowledged, responded } = alert.stamps;
  if (acknowledged.at) {
    stamps.append(text("span", `Acknowledged · 已确认 — ${acknowledged.by}, ${new Date(acknowledged.at).toLocaleString()}`, "stamp done"));
  } else {
    const ack = text("button", "Acknowledge · 确认", "ack");
    ack.type = "button";
    ack.addEventListener("click", () => void acknowledge(alert));
    stamps.append(ack);
    if (acknowledged.dueAt) stamps.append(text("span", `due by · 截止 ${new Date(acknowledged.dueAt).toLocaleString()}`, "due"));
  }
  if (responded.at) stamps.append(text("span", `Responded · 已答复 (${responded.kind}) — ${responded.by}`, "stamp done"));
  const notice = alert.stamps.counterpartNotified;
  if (notice?.at) stamps.append(text("span", `Released to the counterpart · 已通报对方 — ${notice.by}`, "stamp done"));
  else if (notice?.dueAt) stamps.append(text("span", `Notify the counterpart by · 须通报对方，截止 ${new Date(notice.dueAt).toLocaleString()}`, "due"));
  return stamps;
}

let connection: HubConnection | undefined;

async function acknowledge(alert: Alert) {
  try {
    alert.stamps = (await connection!.invoke("Acknowledge", alert.alertId)) as Stamps;
    render();
  } catch (error) {
    showNotice(`Could not acknowledge · 确认失败: ${(error as Error).message}`);
  }
}

function showNotice(message: string) {
  const notice = $("notice");
  notice.textContent = message;
  notice.hidden = false;
}

/** Another dashboard (or the other party) stamped an alert we hold. */
function stamped(update: { alertId: string; stamps: Stamps }) {
  const alert = [...alerts.values()].find((a) => a.alertId === update.alertId);
  if (!alert) return;
  alert.stamps = update.stamps;
  render();
}

/** A stamp is overdue and this role is on the ladder's current step: impossible to miss. */
function escalated(escalation: { alert: Alert; stamp: string; step: number; dueAt: string }) {
  remember(escalation.alert);
  showNotice(`ESCALATION · 升级 — alert #${escalation.alert.sequence} not ${escalation.stamp} since ${new Date(escalation.dueAt).toLocaleString()} (step ${escalation.step + 1})`);
  render();
}

const FieldLabels: Record<string, string> = {
  title: "Title · 标题",
  summary: "Summary · 摘要",
  category: "Category · 类别",
  kind: "Kind · 类型",
  "timeline.mitigations": "Mitigations · 缓解措施",
};

const LanguageNames: Record<string, string> = { en: "English", "zh-Hans": "中文（简体）" };

/** Says where a translation came from, so that nobody takes a machine's rendering for what the reporter wrote. */
function provenance(t: Translation): string {
  const at = t.translatedAt ? `, ${new Date(t.translatedAt).toLocaleString()}` : "";
  switch (t.status) {
    case "human": return `Reviewed by ${t.reviewedBy} · 人工审校${at}`;
    case "machine": return `Machine translation · 机器翻译 — ${t.engine}${t.model ? ` (${t.model})` : ""}${at}`;
    case "glossary": return "Agreed glossary · 约定术语表";
    case "pending": return "Translation pending · 翻译中";
    default: return "Untranslated — no translation engine · 未翻译";
  }
}

function valueOf(document: Record<string, unknown>, field: string): string | undefined {
  let node: unknown = document;
  for (const part of field.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

/** The report with each translated field beside its original, each side labelled with its language and source. */
async function showReport(id: string) {
  const panel = $("report");
  const response = await fetch(`/api/v1/reports/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  if (!response.ok) {
    panel.replaceChildren(text("p", `Report not available · 无法查看报告 (${response.status})`, "error"));
    panel.hidden = false;
    return;
  }
  const report = (await response.json()) as ReportView;
  const doc = report.document;
  const heading = text("h2", doc.title, "");
  heading.lang = doc.language;
  const banner = text("p", `TLP:${doc.tlp}`, "tlp");
  banner.dataset.tlp = doc.tlp;
  const children: HTMLElement[] = [heading, banner];
  if (report.exercise) children.push(text("p", "EXERCISE 演练", "exercise"));

  const table = document.createElement("table");
  table.className = "fields";
  const head = table.createTHead().insertRow();
  for (const label of ["Field · 字段", `Original · 原文 (${LanguageNames[doc.language] ?? doc.language})`, "Translation · 译文"])
    head.append(text("th", label, ""));
  const body = table.createTBody();
  for (const field of Object.keys(FieldLabels)) {
    const original = valueOf(doc, field);
    if (original === undefined) continue;
    const row = body.insertRow();
    row.dataset.field = field;
    row.append(text("th", FieldLabels[field], ""));
    const originalCell = text("td", original, "original");
    originalCell.lang = doc.language;
    row.append(originalCell);
    const cell = document.createElement("td");
    cell.className = "translation";
    for (const t of report.translations.filter((t) => t.field === field)) {
      const block = document.createElement("div");
      block.dataset.status = t.status;
      if (t.text !== null) {
        const rendered = text("p", t.text, "text");
        rendered.lang = t.targetLanguage;
        block.append(rendered);
      }
      block.append(text("p", `${LanguageNames[t.targetLanguage] ?? t.targetLanguage} · ${provenance(t)}`, "provenance"));
      if (t.stale) block.append(text("p", "STALE — made from an earlier text · 已过时：依据旧文本", "stale"));
      for (const note of t.glossaryNotes) block.append(text("p", `Glossary · 术语: ${note}`, "note"));
      cell.append(block);
    }
    row.append(cell);
  }
  if (report.regimes?.length) {
    const list = document.createElement("ul");
    list.className = "regimes";
    for (const regime of report.regimes) {
      const item = text("li", `${regime.name.en} · ${regime.name["zh-Hans"]}: ${regime.basis} — deadline · 截止 `, regime.expedited ? "expedited" : "");
      const deadline = text("time", new Date(regime.deadline).toLocaleString(), "");
      deadline.dateTime = regime.deadline;
      deadline.title = `${regime.deadline} — ${regime.source}`;
      item.append(deadline);
      list.append(item);
    }
    children.push(text("h3", "Legal reporting deadlines · 法定报告时限", ""), list);
  }
  const close = text("button", "Close · 关闭", "");
  close.type = "button";
  close.addEventListener("click", () => { panel.hidden = true; });
  children.push(table);
  const incident = await incidentButton(id).catch(() => null);
  if (incident) children.push(incident);
  if (report.releases?.length) {
    const list = document.createElement("ul");
    list.className = "releases";
    for (const r of report.releases) {
      const item = text("li", `Version ${r.version} released to ${r.toParty} · 已通报 as TLP:${r.tlp}${r.withheld.length ? `, withheld · 未提供: ${r.withheld.join(", ")}` : ""} — `, "");
      item.append(time(r.releasedAt));
      list.append(item);
    }
    children.push(text("h3", "Releases · 通报记录", ""), list);
  }
  // The home party's officers release their own reports to the counterpart, after seeing exactly what it will get.
  if (signedIn && report.party === signedIn.party && signedIn.roles.includes("ncp-officer") && doc.tlp !== "RED") {
    const counterpart = signedIn.party === "US" ? "CN" : "US";
    const release = text("button", `Release to ${counterpart}… · 通报对方…`, "release-open");
    release.type = "button";
    release.addEventListener("click", () => openRelease(report, counterpart, () => {
      refreshInbox();
      void showReport(id);
    }));
    children.push(release);
  }
  children.push(close);
  panel.replaceChildren(...children);
  panel.hidden = false;
  panel.focus();
}

let signedIn: Session | undefined;

async function start(session: Session) {
  signedIn = session;
  $("login").hidden = true;
  $("who").hidden = false;
  $("user").textContent = `${session.userName} · ${session.party}`;
  const has = (...roles: string[]) => roles.some((r) => session.roles.includes(r));
  // Coordinators and contact-point officers see the drills (officers their own party's results only).
  if (has("coordinator", "ncp-officer")) {
    $("drills-section").hidden = false;
    void showDrillList();
    if (has("coordinator")) void enableDrillControls(session.party);
  }
  // The live feed is for the contact point's people; the hub admits nobody else.
  if (!has("ncp-officer", "ncp-duty")) {
    setStatus("online");
    return;
  }
  $("feed-section").hidden = false;
  enableInbox((id) => void showReport(id));
  enableIncidents((id) => void showReport(id), has("ncp-officer"));

  connection = new HubConnectionBuilder()
    .withUrl("/hubs/alerts")
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(10_000, 500 * 2 ** c.previousRetryCount) })
    .configureLogging(LogLevel.Warning)
    .build();
  connection.on("alert", add);
  connection.on("stamped", stamped);
  connection.on("escalation", escalated);
  connection.on("digest", (digest: { alerts: Alert[] }) => {
    for (const alert of digest.alerts) remember(alert);
    render();
  });
  connection.onreconnecting(() => setStatus("reconnecting"));
  connection.onreconnected(async () => {
    setStatus("online");
    await fillGaps();
  });
  connection.onclose(() => setStatus("offline"));

  for (let delay = 1000; connection.state !== HubConnectionState.Connected; delay = Math.min(delay * 2, 15_000)) {
    try {
      await connection.start();
    } catch {
      setStatus("offline");
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
  setStatus("online");
  await loadLatest();
  await fillGaps();
}

const session = await currentSession();
if (session) await start(session);
else showLogin();
