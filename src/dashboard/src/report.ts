import { problemText, type Alert, type ReportView, type SentAlert, type Session, type Stamps, type Thread, type Translation, type VersionDiff } from "./api";
import { $, showPanel, text, time } from "./dom";
import { incidentButton } from "./incident";
import { refreshInbox } from "./inbox";
import { L, language, locale } from "./language";
import { openRelease } from "./release";

/**
 * The report page: every field with its translation beside it, the TLP banner, legal deadlines, the incident, the
 * stamps of our alert and of the counterpart's receipt, releases, versions with their differences, and the follow-up
 * threads. What the caller may see is the server's decision (protocols/http-api.md); this page only shows it.
 */

let session: Session | undefined;
let alertsOf: (reportId: string) => Alert[] = () => [];

export function enableReports(signedIn: Session, heldAlerts: (reportId: string) => Alert[]) {
  session = signedIn;
  alertsOf = heldAlerts;
}

const FieldLabels: Record<string, string> = {
  title: L("Title", "标题"),
  summary: L("Summary", "摘要"),
  category: L("Category", "类别"),
  kind: L("Kind", "类型"),
  "timeline.mitigations": L("Mitigations", "缓解措施"),
};

const LanguageNames: Record<string, string> = { en: "English", "zh-Hans": "中文（简体）" };

/** Says where a translation came from, so that nobody takes a machine's rendering for what the reporter wrote. */
function provenance(t: Translation): string {
  const at = t.translatedAt ? `, ${new Date(t.translatedAt).toLocaleString(locale)}` : "";
  switch (t.status) {
    case "human": return `${L(`Reviewed by ${t.reviewedBy}`, `人工审校：${t.reviewedBy}`)}${at}`;
    case "machine": return `${L("Machine translation", "机器翻译")} — ${t.engine}${t.model ? ` (${t.model})` : ""}${at}`;
    case "glossary": return L("Agreed glossary", "约定术语表");
    case "pending": return L("Translation pending", "翻译中");
    default: return L("Untranslated — no translation engine", "未翻译");
  }
}

/** A rendering with where it came from, so that nobody takes a machine's text for what the author wrote. */
function translationBlock(t: Translation): HTMLElement {
  const block = document.createElement("div");
  block.dataset.status = t.status;
  if (t.text !== null) {
    const rendered = text("p", t.text, "text");
    rendered.lang = t.targetLanguage;
    block.append(rendered);
  }
  block.append(text("p", `${LanguageNames[t.targetLanguage] ?? t.targetLanguage} · ${provenance(t)}`, "provenance"));
  if (t.stale) block.append(text("p", L("STALE — made from an earlier text", "已过时：依据旧文本"), "stale"));
  for (const note of t.glossaryNotes) block.append(text("p", `${L("Glossary", "术语")}: ${note}`, "note"));
  return block;
}

function valueOf(document: Record<string, unknown>, field: string): string | undefined {
  let node: unknown = document;
  for (const part of field.split(".")) node = node && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined;
  return typeof node === "string" ? node : undefined;
}

/** The report with each translated field beside its original, each side labelled with its language and source. */
export async function showReport(id: string) {
  const panel = $("report");
  const response = await fetch(`/api/v1/reports/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  if (!response.ok) {
    showPanel(panel, [text("p", `${L("Report not available", "无法查看报告")} (${response.status})`, "error")]);
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
  for (const label of [L("Field", "字段"), `Original · 原文 (${LanguageNames[doc.language] ?? doc.language})`, L("Translation", "译文")])
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
      cell.append(translationBlock(t));
    }
    row.append(cell);
  }
  if (report.regimes?.length) {
    const list = document.createElement("ul");
    list.className = "regimes";
    for (const regime of report.regimes) {
      const item = text("li", `${L(regime.name.en, regime.name["zh-Hans"])}: ${regime.basis} — ${L("deadline", "截止")} `, regime.expedited ? "expedited" : "");
      const deadline = text("time", new Date(regime.deadline).toLocaleString(locale), "");
      deadline.dateTime = regime.deadline;
      deadline.title = `${regime.deadline} — ${regime.source}`;
      item.append(deadline);
      list.append(item);
    }
    children.push(text("h3", L("Legal reporting deadlines", "法定报告时限"), ""), list);
  }
  children.push(table);
  const home = report.party === session?.party;
  const [incident, sent, versions, threads] = await Promise.all([
    incidentButton(id).catch(() => null),
    home && report.releases?.length ? getJson<{ alerts: SentAlert[] }>(`/api/v1/alerts/sent?reportId=${encodeURIComponent(id)}`) : null,
    home && (report.version ?? 1) > 1 ? versionDiffs(id, report.version!) : null,
    getJson<Thread[]>(`/api/v1/reports/${encodeURIComponent(id)}/threads`),
  ]);
  if (incident) children.push(incident);
  children.push(...stampsSection(alertsOf(id), sent?.alerts ?? []));
  if (report.releases?.length) {
    const list = document.createElement("ul");
    list.className = "releases";
    for (const r of report.releases) {
      const item = text("li", `${L(`Version ${r.version} released to ${r.toParty} as`, `第${r.version}版已通报${r.toParty}，标记`)} TLP:${r.tlp}${r.withheld.length ? `, ${L("withheld", "未提供")}: ${r.withheld.join(", ")}` : ""} — `, "");
      item.append(time(r.releasedAt));
      list.append(item);
    }
    children.push(text("h3", L("Releases", "通报记录"), ""), list);
  }
  if (!home && report.updatedAtSource)
    children.push(text("p", L("The reporting side has a newer version it has not released.", "报告方有尚未通报的新版本。"), "note"));
  if (versions) children.push(...versionsSection(versions));
  children.push(...threadsSection(report, threads ?? [], home));
  // The home party's officers release their own reports to the counterpart, after seeing exactly what it will get.
  if (session && home && session.roles.includes("ncp-officer") && doc.tlp !== "RED") {
    const counterpart = session.party === "US" ? "CN" : "US";
    const release = text("button", L(`Release to ${counterpart}…`, "通报对方…"), "release-open");
    release.type = "button";
    release.addEventListener("click", () => openRelease(report, counterpart, () => {
      refreshInbox();
      void showReport(id);
    }));
    children.push(release);
  }
  showPanel(panel, children);
}

async function getJson<T>(url: string): Promise<T | null> {
  const response = await fetch(url, { credentials: "same-origin" });
  return response.ok ? ((await response.json()) as T) : null;
}

/** Each version's difference from the one before, newest first (the last ten). */
async function versionDiffs(id: string, current: number): Promise<VersionDiff[]> {
  const numbers = [];
  for (let n = current; n >= 2 && numbers.length < 10; n--) numbers.push(n);
  const diffs = await Promise.all(numbers.map((n) => getJson<VersionDiff>(`/api/v1/reports/${encodeURIComponent(id)}/versions/${n}/diff`)));
  return diffs.filter((d): d is VersionDiff => d !== null);
}

function versionsSection(diffs: VersionDiff[]): HTMLElement[] {
  const list = document.createElement("div");
  list.className = "versions";
  for (const diff of diffs) {
    const table = document.createElement("table");
    table.className = "diff";
    table.dataset.version = String(diff.to);
    table.createCaption().textContent = L(`Version ${diff.to}, against version ${diff.from}`, `第${diff.to}版与第${diff.from}版的差异`);
    const head = table.createTHead().insertRow();
    for (const label of [L("Field", "字段"), L("Before", "修改前"), L("After", "修改后")]) head.append(text("th", label, ""));
    const body = table.createTBody();
    for (const change of diff.changes) {
      const row = body.insertRow();
      row.dataset.path = change.path;
      row.append(text("th", change.path, ""), text("td", shown(change.before), "before"), text("td", shown(change.after), "after"));
    }
    list.append(table);
  }
  return [text("h3", L("Versions", "版本"), ""), list];
}

/** A value of a report as text: strings as they are, anything else as JSON; absent as a dash. */
function shown(value: unknown): string {
  return value === null || value === undefined ? "—" : typeof value === "string" ? value : JSON.stringify(value, null, 1);
}

/** Our alerts about the report (from the feed) and, home side, the counterpart's receipt of our releases. */
function stampsSection(ours: Alert[], theirs: SentAlert[]): HTMLElement[] {
  if (ours.length === 0 && theirs.length === 0) return [];
  const list = document.createElement("ul");
  list.className = "report-stamps";
  for (const alert of ours) list.append(stampLine(L(`Our alert #${alert.sequence}`, `本方警报 #${alert.sequence}`), alert.stamps, "ours"));
  for (const alert of theirs) list.append(stampLine(L(`${alert.party} received version ${alert.reportVersion}`, `${alert.party}收到第${alert.reportVersion}版`), alert.stamps, "theirs"));
  return [text("h3", L("Stamps", "回执"), ""), list];
}

function stampLine(label: string, stamps: Stamps, side: string): HTMLElement {
  const item = text("li", `${label}: `, "");
  item.dataset.side = side;
  const parts: [string, { at: string | null; by: string | null; dueAt: string | null }][] = [
    [L("delivered", "已送达"), stamps.delivered],
    [L("acknowledged", "已确认"), stamps.acknowledged],
    [L("responded", "已答复"), stamps.responded],
  ];
  parts.forEach(([name, stamp], i) => {
    if (i > 0) item.append("; ");
    const part = text("span", stamp.at ? `${name}${stamp.by ? ` — ${stamp.by}` : ""} ` : `${L("not yet", "尚未")} ${name}`, stamp.at ? "stamp done" : "stamp pending");
    if (stamp.at) part.append(time(stamp.at));
    else if (stamp.dueAt) part.append(` (${L("due", "截止")} `, time(stamp.dueAt), ")");
    item.append(part);
  });
  return item;
}

/** The follow-up threads the caller is part of, each message with its translation, and forms to reply and to ask. */
function threadsSection(report: ReportView, threads: Thread[], home: boolean): HTMLElement[] {
  const section = document.createElement("div");
  section.className = "threads";
  for (const thread of threads) {
    const block = document.createElement("article");
    block.className = "thread";
    block.dataset.threadId = thread.id;
    block.append(text("h4", thread.with === "lab" ? L("With the reporting lab", "与报告实验室") : L(`Between the contact points (${report.party} · ${thread.counterpartParty})`, `双方联络点之间（${report.party} · ${thread.counterpartParty}）`), ""));
    const messages = document.createElement("ol");
    for (const message of thread.messages) {
      const item = document.createElement("li");
      item.className = "message";
      const meta = text("p", `${message.authorParty} · ${message.author} — `, "meta");
      meta.append(time(message.createdAt));
      const body = text("p", message.body, "body");
      body.lang = message.language;
      item.append(meta, body);
      for (const t of message.translations) item.append(translationBlock(t));
      messages.append(item);
    }
    block.append(messages, messageForm(L("Reply", "回复"), `/api/v1/reports/${encodeURIComponent(report.id)}/threads/${encodeURIComponent(thread.id)}/messages`, {}, report.id));
    section.append(block);
  }
  const asks: [string, string][] = [];
  const contactPoint = session?.roles.some((r) => r === "ncp-officer" || r === "ncp-duty") ?? false;
  if (contactPoint && (!home || (report.releases?.length ?? 0) > 0) && !threads.some((t) => t.with === "counterpart"))
    asks.push(["counterpart", L("Ask the other contact point", "向对方联络点提问")]);
  if (home && !threads.some((t) => t.with === "lab")) asks.push(["lab", L("Ask the reporting lab", "向报告实验室提问")]);
  for (const [withWhom, label] of asks)
    section.append(messageForm(label, `/api/v1/reports/${encodeURIComponent(report.id)}/threads`, { with: withWhom }, report.id));
  return [text("h3", L("Follow-up questions", "后续问题"), ""), section];
}

/** A message box with its language; on success the report is shown again with the message in its thread. */
function messageForm(label: string, url: string, extra: Record<string, string>, reportId: string): HTMLFormElement {
  const form = document.createElement("form");
  form.className = "message-form";
  const box = document.createElement("textarea");
  box.name = "body";
  box.required = true;
  box.maxLength = 10_000;
  box.rows = 3;
  box.setAttribute("aria-label", label);
  const languageChoice = document.createElement("select");
  languageChoice.setAttribute("aria-label", L("Language of the message", "消息语言"));
  for (const [value, name] of [["en", "English"], ["zh-Hans", "中文"]]) {
    const option = text("option", name, "");
    option.value = value;
    languageChoice.append(option);
  }
  languageChoice.value = language === "zh-Hans" ? "zh-Hans" : "en";
  const send = text("button", label, "");
  send.type = "submit";
  const error = text("p", "", "error");
  error.setAttribute("role", "alert");
  form.append(box, languageChoice, send, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...extra, body: box.value, language: languageChoice.value }),
    });
    send.disabled = false;
    if (!response.ok) {
      error.textContent = await problemText(response);
      return;
    }
    void showReport(reportId);
  });
  return form;
}
