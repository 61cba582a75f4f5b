import { HubConnectionBuilder, HubConnectionState, LogLevel } from "@microsoft/signalr";

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
}

interface Session { userName: string; party: string; roles: string[] }

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
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

/** Keeps an alert once per sequence number; true when it was new. */
function remember(alert: Alert): boolean {
  if (alerts.has(alert.sequence)) return false;
  alerts.set(alert.sequence, alert);
  while (alerts.has(contiguous + 1)) contiguous++;
  return true;
}

function add(alert: Alert) {
  if (remember(alert)) render();
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
};

function render() {
  const feed = $("feed");
  const items = [...alerts.values()].sort((a, b) => b.sequence - a.sequence).slice(0, FeedSize).map(renderAlert);
  feed.replaceChildren(...items);
  $("empty").hidden = items.length > 0;
}

/** User text only ever goes in as textContent, never as HTML. */
function renderAlert(alert: Alert): HTMLElement {
  const item = document.createElement("li");
  item.className = "alert";
  item.dataset.severity = String(alert.severity);
  item.dataset.sequence = String(alert.sequence);
  item.dataset.testid = "alert";
  item.dataset.kind = alert.kind;
  if (alert.exercise) item.append(text("span", "EXERCISE 演练", "exercise"));
  item.append(
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
  item.append(meta);
  return item;
}

function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string, className: string) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

async function start(session: Session) {
  $("login").hidden = true;
  $("who").hidden = false;
  $("feed-section").hidden = false;
  $("user").textContent = `${session.userName} · ${session.party}`;

  const connection = new HubConnectionBuilder()
    .withUrl("/hubs/alerts")
    .withAutomaticReconnect({ nextRetryDelayInMilliseconds: (c) => Math.min(10_000, 500 * 2 ** c.previousRetryCount) })
    .configureLogging(LogLevel.Warning)
    .build();
  connection.on("alert", add);
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
  await fillGaps();
}

const session = await currentSession();
if (session) await start(session);
else showLogin();
