// Measures the time from a lab's POST /api/v1/reports to the alert arriving on its contact point's hub
// connection, through the edge, with real tokens and the official SignalR client. Reports one at a time.
// Usage: node post-to-alert.mjs [count=20]   (IX_EDGE_URL, default http://127.0.0.1:8080)
// Prints each time and the summary; writes .run/bench/post-to-alert.json. A figure, not a test.
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { readFileSync, mkdirSync, writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";

const edge = process.env.IX_EDGE_URL ?? "http://127.0.0.1:8080";
const count = Number(process.argv[2] ?? 20);
const root = new URL("../../", import.meta.url);
const clients = JSON.parse(readFileSync(new URL("ops/demo/clients.json", root)));

async function token(clientId) {
  const { clientSecret } = clients.find((c) => c.clientId === clientId);
  const response = await fetch(`${edge}/connect/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
  if (!response.ok) throw new Error(`token for ${clientId}: ${response.status}`);
  return (await response.json()).access_token;
}

const labToken = await token("us-lab-demo");
const ncpToken = await token("us-ncp-demo");
const waiting = new Map(); // title -> resolve
const connection = new HubConnectionBuilder()
  .withUrl(`${edge}/hubs/alerts`, { accessTokenFactory: () => ncpToken })
  .configureLogging(LogLevel.Warning)
  .build();
connection.on("alert", (alert) => waiting.get(alert.title)?.(performance.now()));
await connection.start();

async function once(i) {
  const title = `bench ${Date.now()} ${i}`;
  const arrived = new Promise((resolve) => waiting.set(title, resolve));
  const started = performance.now();
  const response = await fetch(`${edge}/api/v1/reports`, {
    method: "POST",
    headers: { authorization: `Bearer ${labToken}`, "content-type": "application/json" },
    body: JSON.stringify({
      title, summary: "Benchmark report: a jailbreak shared on a forum.", language: "en",
      kind: "hazard", category: "jailbreak-spread", timeline: { occurredAt: new Date().toISOString() },
      model: { name: "Frontier-1", developer: "Example US Frontier Lab" }, tlp: "GREEN",
    }),
  });
  if (response.status !== 201) throw new Error(`POST ${response.status}: ${await response.text()}`);
  const accepted = performance.now();
  const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error(`no alert for ${title} in 10 s`)), 10_000));
  const received = await Promise.race([arrived, timeout]);
  waiting.delete(title);
  return { postMs: accepted - started, postToAlertMs: received - started };
}

const warmUp = await once(0);
const runs = [];
for (let i = 1; i <= count; i++) runs.push(await once(i));
await connection.stop();

const sorted = runs.map((r) => r.postToAlertMs).sort((a, b) => a - b);
const at = (q) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
const summary = {
  edge, count, measuredAt: new Date().toISOString(),
  warmUpMs: +warmUp.postToAlertMs.toFixed(1),
  postToAlertMs: { median: +at(0.5).toFixed(1), p90: +at(0.9).toFixed(1), max: +sorted.at(-1).toFixed(1), min: +sorted[0].toFixed(1) },
  postAloneMs: { median: +runs.map((r) => r.postMs).sort((a, b) => a - b)[Math.floor(count / 2)].toFixed(1) },
  runs: runs.map((r) => ({ postMs: +r.postMs.toFixed(1), postToAlertMs: +r.postToAlertMs.toFixed(1) })),
};
runs.forEach((r, i) => console.log(`#${String(i + 1).padStart(2)}  POST ${r.postMs.toFixed(1).padStart(6)} ms   POST→alert ${r.postToAlertMs.toFixed(1).padStart(6)} ms`));
console.log(`\nwarm-up (not counted): ${summary.warmUpMs} ms`);
console.log(`POST→alert over ${count}: median ${summary.postToAlertMs.median} ms, p90 ${summary.postToAlertMs.p90} ms, slowest ${summary.postToAlertMs.max} ms, fastest ${summary.postToAlertMs.min} ms`);
const out = new URL(".run/bench/", root);
mkdirSync(out, { recursive: true });
writeFileSync(new URL("post-to-alert.json", out), JSON.stringify(summary, null, 2));
