// Load for the fault tests. Files reports at a fixed rate as us-lab-demo and records every 201 in ledger.jsonl;
// listens on the hub as us-ncp-demo (reconnecting forever, filling gaps after each reconnect) and records every
// alert in alerts.jsonl. SIGUSR1: stop filing, keep listening. SIGTERM: stop.
// Usage: node load.mjs OUT_DIR [rate=20]
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { readFileSync, appendFileSync } from "node:fs";

const [out, rateArg] = process.argv.slice(2);
const rate = Number(rateArg ?? 20);
const edge = process.env.IX_EDGE_URL ?? "http://127.0.0.1:8080";
const clients = JSON.parse(readFileSync(new URL("../demo/clients.json", import.meta.url)));
const now = () => Date.now();
const log = (file, value) => appendFileSync(`${out}/${file}`, JSON.stringify(value) + "\n");

async function token(clientId) {
  const { clientSecret } = clients.find((c) => c.clientId === clientId);
  for (;;) {
    try {
      const response = await fetch(`${edge}/connect/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
      });
      if (response.ok) return (await response.json()).access_token;
    } catch { /* identity or edge away: try again */ }
    await new Promise((r) => setTimeout(r, 500));
  }
}

const tokens = { lab: await token("us-lab-demo"), ncp: await token("us-ncp-demo") };
setInterval(async () => { tokens.lab = await token("us-lab-demo"); tokens.ncp = await token("us-ncp-demo"); }, 4 * 60_000).unref();

// The listener: what a duty officer's dashboard would have shown.
// Gap-fill from the last contiguous sequence, and whenever a hole appears: a push can be lost between the alert's
// commit and its push (the process killed), or arrive after a later one.
let lastSequence = 0, gapFillTimer;
const seen = new Set();
function record(alert, via) {
  log("alerts.jsonl", { at: now(), via, alertId: alert.alertId, reportId: alert.reportId, sequence: alert.sequence });
  seen.add(alert.sequence);
  while (seen.has(lastSequence + 1)) seen.delete(++lastSequence);
  if (alert.sequence > lastSequence + 1 && !gapFillTimer)
    gapFillTimer = setTimeout(() => { gapFillTimer = undefined; fillGaps(); }, 1000);
}
async function fillGaps() {
  for (;;) {
    try {
      const response = await fetch(`${edge}/api/v1/alerts?after=${lastSequence}&limit=500`, { headers: { authorization: `Bearer ${tokens.ncp}` } });
      if (!response.ok) throw new Error(String(response.status));
      const { alerts } = await response.json();
      alerts.forEach((a) => record(a, "gap-fill"));
      if (alerts.length < 500) return;
    } catch {
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
const connection = new HubConnectionBuilder()
  .withUrl(`${edge}/hubs/alerts`, { accessTokenFactory: () => tokens.ncp })
  .withAutomaticReconnect({ nextRetryDelayInMilliseconds: () => 1000 })
  .configureLogging(LogLevel.None)
  .build();
connection.on("alert", (alert) => record(alert, "push"));
connection.onreconnected(() => { log("events.jsonl", { at: now(), event: "hub reconnected" }); fillGaps(); });
connection.onclose(() => { log("events.jsonl", { at: now(), event: "hub closed" }); startHub(); });
async function startHub() {
  for (;;) {
    try { await connection.start(); break; } catch { await new Promise((r) => setTimeout(r, 1000)); }
  }
  await fillGaps();
}
// Start from the current end of the party's sequence, so that earlier alerts are not counted. The newest alert gives
// it at once (paging through a long-used party's history took longer than the faults wait for the load to start).
lastSequence = (await (await fetch(`${edge}/api/v1/alerts?latest=true&limit=1`, { headers: { authorization: `Bearer ${tokens.ncp}` } })).json())
  .alerts.at(-1)?.sequence ?? 0;
await startHub();

// The lab: one POST every 1/rate seconds, without waiting for the previous one.
let filing = true, n = 0;
const outcomes = {};
const timer = setInterval(async () => {
  if (!filing) return;
  const i = ++n;
  const sent = now();
  let status = "network-error";
  try {
    const response = await fetch(`${edge}/api/v1/reports`, {
      method: "POST",
      headers: { authorization: `Bearer ${tokens.lab}`, "content-type": "application/json" },
      body: JSON.stringify({
        title: `fault-test ${i}`, summary: "Fault-test report: a jailbreak shared on a forum.", language: "en",
        kind: "hazard", category: "jailbreak-spread", timeline: { occurredAt: new Date().toISOString() },
        model: { name: "Frontier-1", developer: "Example US Frontier Lab" }, tlp: "GREEN",
      }),
      signal: AbortSignal.timeout(10_000),
    });
    status = response.status;
    if (status === 201) log("ledger.jsonl", { at: now(), sent, id: (await response.json()).id });
  } catch { /* counted below */ }
  outcomes[status] = (outcomes[status] ?? 0) + 1;
}, 1000 / rate);

process.on("SIGUSR1", () => { filing = false; clearInterval(timer); log("events.jsonl", { at: now(), event: "filing stopped", outcomes }); });
process.on("SIGTERM", async () => { await connection.stop().catch(() => {}); process.exit(0); });
