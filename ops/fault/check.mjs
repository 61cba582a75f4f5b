// Reads a fault-test run (OUT_DIR: ledger.jsonl, alerts.jsonl, events.txt) and checks that every report that got
// a 201 reached the duty officer's client exactly once; prints recovery times. Exit 1 on a missing or double alert.
import { readFileSync, existsSync, writeFileSync } from "node:fs";

const out = process.argv[2];
const lines = (file) => existsSync(`${out}/${file}`) ? readFileSync(`${out}/${file}`, "utf8").split("\n").filter(Boolean) : [];
const ledger = lines("ledger.jsonl").map((l) => JSON.parse(l));
const alerts = lines("alerts.jsonl").map((l) => JSON.parse(l));
const events = lines("events.txt").map((l) => { const [at, ...rest] = l.split(" "); return { at: Number(at), event: rest.join(" ") }; });

const alertIdsByReport = new Map();
const firstSeen = new Map();
for (const a of alerts) {
  if (!alertIdsByReport.has(a.reportId)) alertIdsByReport.set(a.reportId, new Set());
  alertIdsByReport.get(a.reportId).add(a.alertId);
  if (!firstSeen.has(a.reportId)) firstSeen.set(a.reportId, a.at);
}
const missing = ledger.filter((r) => !alertIdsByReport.has(r.id)).map((r) => r.id);
const doubled = ledger.filter((r) => (alertIdsByReport.get(r.id)?.size ?? 0) > 1).map((r) => r.id);

const windows = [];
for (const stop of events.filter((e) => e.event.startsWith("stop "))) {
  const what = stop.event.slice(5);
  const recovered = events.find((e) => e.event === `recovered ${what}` && e.at >= stop.at);
  if (!recovered) continue;
  const accepted = ledger.filter((r) => r.at >= stop.at && r.at <= recovered.at);
  const after = alerts.filter((a) => a.at >= recovered.at).map((a) => a.at);
  const backlogSeen = accepted.map((r) => firstSeen.get(r.id)).filter((t) => t !== undefined);
  windows.push({
    what,
    downMs: recovered.at - stop.at,
    acceptedWhileDown: accepted.length,
    recoveryToFirstAlertMs: after.length ? Math.min(...after) - recovered.at : null,
    recoveryToLastBacklogAlertMs: backlogSeen.length ? Math.max(...backlogSeen) - recovered.at : null,
  });
}
const latencies = ledger.map((r) => firstSeen.get(r.id) - r.sent).filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
const summary = {
  accepted: ledger.length,
  alertedOnClient: ledger.length - missing.length,
  missing: missing.length,
  alertedTwice: doubled.length,
  postToAlertMs: { median: latencies[Math.floor(latencies.length / 2)] ?? null, max: latencies.at(-1) ?? null },
  windows,
  missingIds: missing.slice(0, 20),
  doubledIds: doubled.slice(0, 20),
};
writeFileSync(`${out}/summary.json`, JSON.stringify(summary, null, 2));
console.log(`accepted (201): ${summary.accepted}; alerted on the client: ${summary.alertedOnClient}; missing: ${summary.missing}; alerted twice: ${summary.alertedTwice}`);
console.log(`POST→alert over the whole run (faults included): median ${summary.postToAlertMs.median} ms, max ${summary.postToAlertMs.max} ms`);
for (const w of windows)
  console.log(`${w.what.padEnd(22)} down ${String(w.downMs).padStart(6)} ms, accepted meanwhile ${String(w.acceptedWhileDown).padStart(4)}, recovery→first alert ${w.recoveryToFirstAlertMs ?? "n/a"} ms, recovery→last backlog alert ${w.recoveryToLastBacklogAlertMs ?? "n/a"} ms`);
process.exit(summary.missing === 0 && summary.alertedTwice === 0 ? 0 : 1);
