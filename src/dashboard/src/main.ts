import { HubConnection, HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";
import { enableAdministration } from "./admin";
import { enableAlarm, showUrgent, sound } from "./alarm";
import type { Alert, Session, Stamps } from "./api";
import { enableAudit } from "./audit";
import { $, text, time } from "./dom";
import { enableDrillControls, showDrillList } from "./drills";
import { enableInbox, refreshInbox } from "./inbox";
import { enableIncidents } from "./incident";
import { categoryLabel } from "./labels";
import { chooseLanguage, L, labelPage, language, type Language, locale } from "./language";
import { enableReports, showReport } from "./report";
import { showSecurity } from "./security";
import { showSignIn } from "./signin";

const alerts = new Map<number, Alert>();
/** Every sequence number up to this one has been received; gap-fill asks for what comes after it. */
let contiguous = 0;
let gapFillTimer: number | undefined;

async function currentSession(): Promise<Session | null> {
  const response = await fetch("/connect/session", { credentials: "same-origin" });
  return response.ok ? ((await response.json()) as Session) : null;
}

$("logout").addEventListener("click", async () => {
  await fetch("/connect/logout", { method: "POST", credentials: "same-origin" });
  location.reload();
});

const ConnectionLabels = { online: L("online", "在线"), reconnecting: L("reconnecting", "正在重连"), offline: L("offline", "离线") };

function setStatus(state: keyof typeof ConnectionLabels) {
  const status = $("status");
  status.textContent = ConnectionLabels[state];
  status.dataset.state = state;
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

/** A level 4–5 alert arrived live since the last draw: the alarm sounds once the banner shows it. */
let soundPending = false;

function add(alert: Alert) {
  if (remember(alert)) {
    if (alert.severity >= 4 && !alert.digest && !alert.stamps.acknowledged.at) soundPending = true;
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
  "report": L("Report from our labs", "本方实验室报告"),
  "report-released": L("Released by the counterpart", "对方通报"),
  "report-nullified": L("WITHDRAWN by the counterpart", "对方已撤回"),
  "communication-check": L("Communication check — acknowledge", "通信检查 — 请确认"),
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
  const leads = all.filter((a) => !a.digest && !(a.groupedUnder && held.has(a.groupedUnder))).slice(0, FeedSize);
  const items = leads.map((lead) => {
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
  showUrgent(leads.filter((a) => a.severity >= 4 && !a.stamps.acknowledged.at && a.kind !== "report-nullified"));
  if (soundPending) sound();
  soundPending = false;

  const digest = all.filter((a) => a.digest).slice(0, FeedSize);
  $("digest").hidden = digest.length === 0;
  $("digest-count").textContent = String(digest.length);
  $("digest-list").replaceChildren(...digest.map((a) => text("li", `#${a.sequence} · ${L(`Level ${a.severity}`, `${a.severity}级`)} · ${a.title}`, "")));
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
    text("span", `${L(`Level ${alert.severity}`, `${alert.severity}级`)} · ${L(alert.severityLabel.en, alert.severityLabel["zh-Hans"])}`, "severity"),
    ...renderTitle(alert),
  );
  const meta = text("span", `#${alert.sequence} · ${categoryLabel(alert.category)} · `, "meta");
  const since = text("span", "", "since");
  since.dataset.since = alert.raisedAt;
  tickSince(since, Date.now());
  meta.append(time(alert.raisedAt), " · ", since);
  const open = text("button", L("Open report", "打开报告"), "open");
  open.type = "button";
  open.addEventListener("click", () => void showReport(alert.reportId));
  card.append(meta, renderStamps(alert));
  if (alert.kind !== "communication-check") card.append(open);
  if (folded > 0) card.append(text("span", L(`${folded} more reports of this incident, below (acknowledging this one acknowledges them)`, `同一事件另有${folded}份报告（一并确认）`), "folded"));
  return item;
}

/**
 * The title in the viewer's language with the original beside it: Translation's rendering, labelled as a machine's,
 * when the viewer reads only the language it was rendered into; otherwise the original, with the rendering under it.
 */
function renderTitle(alert: Alert): HTMLElement[] {
  const rendering = alert.titleTranslations.find((t) => t.text !== null && (language === "both" || t.targetLanguage === language));
  const source = alert.titleTranslations[0]?.sourceLanguage;
  const original = text("strong", alert.title, "title");
  if (source) original.lang = source;
  if (!rendering) {
    const waiting = alert.titleTranslations.find((t) => language === "both" || t.targetLanguage === language);
    if (!waiting) return [original];
    const note = waiting.status === "pending" ? L("title translation pending", "标题翻译中") : L("title untranslated — no translation engine", "标题未翻译（无翻译引擎）");
    return [original, text("span", note, "title-note")];
  }
  const translated = text("span", rendering.text!, "title-translation");
  translated.lang = rendering.targetLanguage;
  const by = text("span", rendering.status === "glossary" ? L("agreed glossary", "约定术语表") : `${L("machine translation", "机器翻译")} — ${rendering.engine}`, "title-note");
  if (language !== "both") {
    const translatedFirst = text("strong", rendering.text!, "title translated");
    translatedFirst.lang = rendering.targetLanguage;
    const originalBeside = text("span", `${L("Original", "原文")}: ${alert.title}`, "title-original");
    if (source) originalBeside.lang = source;
    return [translatedFirst, by, originalBeside];
  }
  return [original, translated, by];
}

/** Acknowledged (by whom, when) or a button to acknowledge with a clock counting down to its limit; then the response. */
function renderStamps(alert: Alert): HTMLElement {
  const stamps = document.createElement("div");
  stamps.className = "stamps";
  const { acknowledged, responded } = alert.stamps;
  if (acknowledged.at) {
    const done = text("span", `${L("Acknowledged", "已确认")} — ${acknowledged.by}, `, "stamp done");
    done.append(time(acknowledged.at));
    stamps.append(done);
  } else {
    const ack = text("button", L("Acknowledge", "确认"), "ack");
    ack.type = "button";
    ack.addEventListener("click", () => void acknowledge(alert));
    stamps.append(ack);
    if (acknowledged.dueAt) stamps.append(countdown(["acknowledge", "确认"], acknowledged.dueAt));
  }
  if (responded.at) stamps.append(text("span", `${L("Responded", "已答复")} (${responded.kind}) — ${responded.by}`, "stamp done"));
  else if (responded.dueAt) stamps.append(countdown(["respond", "答复"], responded.dueAt));
  const notice = alert.stamps.counterpartNotified;
  if (notice?.at) stamps.append(text("span", `${L("Released to the counterpart", "已通报对方")} — ${notice.by}`, "stamp done"));
  else if (notice?.dueAt) stamps.append(countdown(["notify the counterpart", "通报对方"], notice.dueAt));
  return stamps;
}

/** A clock counting down to a stamp's limit, then up as overdue; the limit itself in the viewer's zone on hover, and UTC. */
function countdown([en, zh]: [string, string], dueAt: string): HTMLElement {
  const clock = text("span", "", "due");
  clock.dataset.what = en;
  clock.dataset.whatZh = zh;
  clock.dataset.due = dueAt;
  clock.title = `${new Date(dueAt).toLocaleString(locale)} (${dueAt})`;
  tickClock(clock, Date.now());
  return clock;
}

function tickClock(clock: HTMLElement, now: number) {
  const left = Date.parse(clock.dataset.due!) - now;
  const overdue = left < 0;
  const seconds = Math.floor(Math.abs(left) / 1000);
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const span = `${h > 0 ? `${h}:${String(m).padStart(2, "0")}` : m}:${String(s).padStart(2, "0")}`;
  clock.textContent = overdue
    ? L(`OVERDUE to ${clock.dataset.what} by ${span}`, `${clock.dataset.whatZh}已超时 ${span}`)
    : L(`${clock.dataset.what} within ${span}`, `${clock.dataset.whatZh}剩余 ${span}`);
  clock.classList.toggle("overdue", overdue);
}

/** How long ago an alert was raised, in whole minutes (hours past two). */
function tickSince(element: HTMLElement, now: number) {
  const minutes = Math.max(0, Math.floor((now - Date.parse(element.dataset.since!)) / 60_000));
  element.textContent = minutes < 120 ? L(`${minutes} min ago`, `${minutes}分钟前`) : L(`${Math.floor(minutes / 60)} h ago`, `${Math.floor(minutes / 60)}小时前`);
}

/** One timer for every clock on the page: text changes only, so no alert's element is redrawn. */
setInterval(() => {
  const now = Date.now();
  for (const clock of document.querySelectorAll<HTMLElement>("[data-due]")) tickClock(clock, now);
  for (const since of document.querySelectorAll<HTMLElement>("[data-since]")) tickSince(since, now);
}, 1000);

let connection: HubConnection | undefined;

async function acknowledge(alert: Alert) {
  try {
    alert.stamps = (await connection!.invoke("Acknowledge", alert.alertId)) as Stamps;
    render();
  } catch (error) {
    showNotice(`${L("Could not acknowledge", "确认失败")}: ${(error as Error).message}`);
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
  showNotice(L(`ESCALATION — alert #${escalation.alert.sequence} not ${escalation.stamp} since ${new Date(escalation.dueAt).toLocaleString(locale)} (step ${escalation.step + 1})`,
    `升级 — 警报 #${escalation.alert.sequence} 自 ${new Date(escalation.dueAt).toLocaleString(locale)} 起未${escalation.stamp}（第${escalation.step + 1}级）`));
  render();
}

async function start(session: Session) {
  enableReports(session, (reportId) => [...alerts.values()].filter((a) => a.reportId === reportId).sort((a, b) => a.sequence - b.sequence));
  $("login").hidden = true;
  $("who").hidden = false;
  $("user").textContent = `${session.userName} · ${session.party}`;
  $("security-open").addEventListener("click", () => showSecurity(session));
  // Until a person who needs a second factor has one, the edge gives their session no token: enrolment is all there is.
  if (session.secondFactorEnrolmentRequired) {
    $("security-open").hidden = true;
    showSecurity(session);
    return;
  }
  const has = (...roles: string[]) => roles.some((r) => session.roles.includes(r));
  if (has("admin")) enableAdministration(session);
  if (has("auditor")) enableAudit();
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
  enableAlarm((alertId) => {
    const ack = document.querySelector<HTMLElement>(`li.alert[data-alert-id="${CSS.escape(alertId)}"] .ack`);
    ack?.scrollIntoView({ block: "center" });
    ack?.focus();
  });
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
  connection.on("translated", (update: { alertId: string; titleTranslations: Alert["titleTranslations"] }) => {
    const alert = [...alerts.values()].find((a) => a.alertId === update.alertId);
    if (!alert) return;
    alert.titleTranslations = update.titleTranslations;
    render();
  });
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

labelPage();
const languageChoice = $<HTMLSelectElement>("language");
languageChoice.value = language;
languageChoice.addEventListener("change", () => chooseLanguage(languageChoice.value as Language));

const session = await currentSession();
if (session) await start(session);
else showSignIn((signedIn) => void start(signedIn));
