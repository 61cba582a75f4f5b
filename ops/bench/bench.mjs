// The platform's speed, measured against the platform as ops/start.sh runs it (through the edge, real tokens, the
// official SignalR client), beside the floor of its parts on the same machine. Figures, not tests.
//
//   node bench.mjs pipeline [--rate=75] [--seconds=30] [--connections=10]
//       files reports at a fixed rate (open loop: a slow answer does not slow the sender) as the US lab, keeps N
//       dashboard connections per party open, and measures each POST to its alert on the US dashboards; then the
//       floor: a durable insert+commit through PostgreSQL and a confirmed publish + consume through RabbitMQ, as many
//       times as a report's critical path does them.
//   node bench.mjs intake [--rate=800] [--seconds=20] [--with-pipeline=1]
//       the same sender without listeners: 201 latency and achieved rate (each 201 is a committed transaction), with
//       the services downstream of intake paused while it runs (unless --with-pipeline=1).
//   node bench.mjs connections [--count=2000]
//       opens COUNT authenticated dashboard connections (half US, half CN), reads the Alerts process's memory per
//       connection, then files a report a second for 20 s and measures how long the US party group (COUNT/2
//       connections) takes to receive each: first and last arrival.
//
// Prints a summary, writes .run/bench/<mode>-<time>.json and an HTML page with the charts beside it. The CPU and
// memory of each service (and of PostgreSQL, RabbitMQ, nginx) are sampled from /proc every second (resources.mjs).
import { HubConnectionBuilder, LogLevel } from "@microsoft/signalr";
import { readFileSync, mkdirSync, writeFileSync, existsSync } from "node:fs";
import { performance } from "node:perf_hooks";
import pg from "pg";
import amqp from "amqplib";
import { processes, sample, startSampling } from "./resources.mjs";

const edge = process.env.IX_EDGE_URL ?? "http://127.0.0.1:8080";
const root = new URL("../../", import.meta.url);
const runDir = new URL(".run/", root);
const clients = JSON.parse(readFileSync(new URL("ops/demo/clients.json", root)));
const [mode = "pipeline", ...rest] = process.argv.slice(2);
const option = (name, fallback) => Number(rest.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? fallback);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const round = (x, digits = 1) => (x === undefined || x === null || Number.isNaN(x) ? null : +x.toFixed(digits));

async function token(clientId) {
  const { clientSecret } = clients.find((c) => c.clientId === clientId);
  const response = await fetch(`${edge}/connect/token`, {
    method: "POST",
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
  if (!response.ok) throw new Error(`token for ${clientId}: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

function quantiles(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
  return sorted.length === 0
    ? { count: 0 }
    : { count: sorted.length, p50: round(at(0.5)), p90: round(at(0.9)), p99: round(at(0.99)), max: round(sorted.at(-1)), min: round(sorted[0]) };
}

// ---- a service's process (resources.mjs samples them all) ---------------------------------------------------------

function pidOf(service) {
  const file = new URL(`.run/pids/${service}.pid`, root);
  return existsSync(file) ? Number(readFileSync(file).toString().trim()) : undefined;
}

// ---- the sender ---------------------------------------------------------------------------------------------------

function report(title) {
  return JSON.stringify({
    title, summary: "Benchmark report: a jailbreak shared on a forum.", language: "en", kind: "hazard", category: "jailbreak-spread",
    timeline: { occurredAt: new Date(Date.now() - 60_000).toISOString() }, model: { name: "Frontier-1", developer: "Example US Frontier Lab" }, tlp: "GREEN",
  });
}

/** Files `rate` reports a second for `seconds`, each at its own time whatever the answers; returns every send. */
async function send(labToken, rate, seconds, tag) {
  const sends = [];
  const total = Math.round(rate * seconds);
  const start = performance.now();
  const pending = [];
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const entry = { title: `bench ${tag} ${i}`, postedAt: performance.now(), lateMs: round(performance.now() - due) };
    sends.push(entry);
    pending.push(fetch(`${edge}/api/v1/reports`, {
      method: "POST", headers: { authorization: `Bearer ${labToken}`, "content-type": "application/json" }, body: report(entry.title),
    }).then(async (response) => {
      entry.status = response.status;
      entry.answeredAt = performance.now();
      await response.arrayBuffer();
    }, (error) => { entry.status = 0; entry.error = String(error.cause?.code ?? error.message); }));
  }
  const sentIn = (performance.now() - start) / 1000;
  await Promise.all(pending);
  return { sends, sentIn };
}

async function connect(accessToken, onAlert) {
  const connection = new HubConnectionBuilder()
    .withUrl(`${edge}/hubs/alerts`, { accessTokenFactory: () => accessToken })
    .configureLogging(LogLevel.Error)
    .build();
  connection.on("alert", onAlert);
  await connection.start();
  return connection;
}

async function connectMany(count, accessToken, onAlert, parallel = 50) {
  const connections = [];
  for (let i = 0; i < count; i += parallel)
    connections.push(...await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, () => connect(accessToken, onAlert))));
  return connections;
}

// ---- the floor ----------------------------------------------------------------------------------------------------

/** One durable insert and commit through Npgsql's counterpart here (node-postgres), synchronous_commit as configured. */
async function commitFloor(times) {
  const connect = async (database) => {
    const client = new pg.Client({
      host: process.env.IX_PG_HOST ?? "127.0.0.1", port: Number(process.env.IX_PG_PORT ?? 5432), user: process.env.IX_PG_USER ?? "incidentexchange",
      password: process.env.IX_PG_PASSWORD ?? "incidentexchange", database,
    });
    await client.connect();
    return client;
  };
  // A database of its own (not ix_*: backups take those), on the same server and disk as the services'.
  const admin = await connect("postgres");
  await admin.query("DROP DATABASE IF EXISTS bench_floor");
  await admin.query("CREATE DATABASE bench_floor");
  const client = await connect("bench_floor");
  const setting = (await client.query("SHOW synchronous_commit")).rows[0].synchronous_commit;
  await client.query("CREATE TABLE floor (id uuid PRIMARY KEY, body jsonb NOT NULL)");
  const body = report("floor");
  const ms = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await client.query("BEGIN");
    await client.query("INSERT INTO floor VALUES (gen_random_uuid(), $1)", [body]);
    await client.query("COMMIT");
    ms.push(performance.now() - started);
  }
  await client.end();
  await admin.query("DROP DATABASE bench_floor");
  await admin.end();
  return { synchronousCommit: setting, ms };
}

/** One persistent publish, confirmed by a durable quorum queue, and its delivery to a consumer that acknowledges it. */
async function hopFloor(times) {
  const user = encodeURIComponent(process.env.IX_RABBIT_USER ?? "incidentexchange");
  const password = encodeURIComponent(process.env.IX_RABBIT_PASSWORD ?? "incidentexchange");
  const vhost = encodeURIComponent(process.env.IX_RABBIT_VHOST ?? "incidentexchange");
  // noDelay: without it, Nagle and delayed ACKs add ~40 ms to each small confirm (MassTransit's client sets it too).
  const connection = await amqp.connect(`amqp://${user}:${password}@${process.env.IX_RABBIT_HOST ?? "127.0.0.1"}/${vhost}`, { noDelay: true });
  const channel = await connection.createConfirmChannel();
  const queue = `ix-bench-floor-${process.pid}`;
  await channel.assertQueue(queue, { durable: true, arguments: { "x-queue-type": "quorum" } });
  const consumer = await connection.createChannel();
  let delivered;
  await consumer.consume(queue, (message) => { consumer.ack(message); delivered?.(performance.now()); });
  const body = Buffer.from(report("floor"));
  const ms = [];
  for (let i = 0; i < times; i++) {
    const arrived = new Promise((resolve) => { delivered = resolve; });
    const started = performance.now();
    await new Promise((resolve, reject) => channel.sendToQueue(queue, body, { persistent: true }, (error) => (error ? reject(error) : resolve())));
    ms.push((await arrived) - started);
  }
  await consumer.close();
  await channel.deleteQueue(queue);
  await connection.close();
  return { ms };
}

/** A report's critical path: Reports, Triage, Severity and Alerts each commit; three broker hops between them. */
const CriticalPath = { commits: 4, hops: 3 };

async function floor(times = 300) {
  const commits = await commitFloor(times);
  const hops = await hopFloor(times);
  const commit = quantiles(commits.ms), hop = quantiles(hops.ms);
  return {
    synchronousCommit: commits.synchronousCommit, criticalPath: CriticalPath, commitMs: commit, publishConfirmConsumeMs: hop,
    perReportMs: { p50: round(CriticalPath.commits * commit.p50 + CriticalPath.hops * hop.p50), p99: round(CriticalPath.commits * commit.p99 + CriticalPath.hops * hop.p99) },
  };
}

// ---- output -------------------------------------------------------------------------------------------------------

function write(name, result, charts) {
  const out = new URL("bench/", runDir);
  mkdirSync(out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "").slice(0, 17);
  writeFileSync(new URL(`${name}-${stamp}.json`, out), JSON.stringify(result, null, 2));
  const html = `<!doctype html><meta charset="utf-8"><title>IncidentExchange ${name} ${stamp}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:1rem auto}svg{background:#fafafa;border:1px solid #ccc}pre{background:#f4f4f4;padding:.5rem;overflow:auto}</style>
<h1>${name} — ${result.measuredAt}</h1>${charts}<h2>Figures</h2><pre>${JSON.stringify({ ...result, samples: undefined }, null, 2).replace(/</g, "&lt;")}</pre>`;
  writeFileSync(new URL(`${name}-${stamp}.html`, out), html);
  console.log(`\nwritten: .run/bench/${name}-${stamp}.json and .html`);
}

/** Latency of each report against the time it was sent: an SVG scatter with the p50 and p99 lines. */
function scatter(points, title, q) {
  if (points.length === 0) return "";
  const width = 900, height = 300, pad = 40;
  const maxX = Math.max(...points.map((p) => p.x), 1), maxY = Math.max(...points.map((p) => p.y), 1);
  const x = (v) => pad + (v / maxX) * (width - 2 * pad), y = (v) => height - pad - (v / maxY) * (height - 2 * pad);
  const dots = points.map((p) => `<circle cx="${x(p.x).toFixed(1)}" cy="${y(p.y).toFixed(1)}" r="1.5" fill="#0b2545"/>`).join("");
  const line = (v, label, colour) => `<line x1="${pad}" x2="${width - pad}" y1="${y(v)}" y2="${y(v)}" stroke="${colour}"/><text x="${width - pad}" y="${y(v) - 3}" text-anchor="end" font-size="11" fill="${colour}">${label} ${v} ms</text>`;
  return `<h2>${title}</h2><svg viewBox="0 0 ${width} ${height}" width="${width}">${dots}${line(q.p50, "p50", "#1b7f3b")}${line(q.p99, "p99", "#b00020")}
<text x="${pad}" y="${height - 10}" font-size="11">0 s</text><text x="${width - pad}" y="${height - 10}" font-size="11" text-anchor="end">${maxX.toFixed(0)} s since the first send</text>
<text x="4" y="${pad}" font-size="11">${maxY.toFixed(0)} ms</text></svg>`;
}

// ---- modes --------------------------------------------------------------------------------------------------------

async function pipeline() {
  const rate = option("rate", 75), seconds = option("seconds", 30), perParty = option("connections", 10);
  const floorResult = await floor(); // the parts alone, before the load
  const labToken = await token("us-lab-demo");
  const arrivals = new Map();
  const onUs = (alert) => { if (!arrivals.has(alert.title)) arrivals.set(alert.title, performance.now()); };
  const us = await connectMany(perParty, await token("us-ncp-demo"), onUs);
  const cn = await connectMany(perParty, await token("cn-ncp-demo"), () => {});
  await send(labToken, 5, 2, `warmup-${Date.now()}`); // connections, JIT and pools warm before the measured run
  await sleep(2000);

  const stop = await startSampling(root), sampledFrom = performance.now();
  const tag = `${Date.now()}`;
  const { sends, sentIn } = await send(labToken, rate, seconds, tag);
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline && sends.some((s) => s.status === 201 && !arrivals.has(s.title))) await sleep(200);
  const resources = await stop(), sampledMs = performance.now() - sampledFrom;
  await Promise.all([...us, ...cn].map((c) => c.stop()));

  const accepted = sends.filter((s) => s.status === 201);
  const latencies = accepted.filter((s) => arrivals.has(s.title)).map((s) => arrivals.get(s.title) - s.postedAt);
  const total = quantiles(latencies);
  const result = {
    mode: "pipeline", measuredAt: new Date().toISOString(), edge, targetRate: rate, seconds, connectionsPerParty: perParty,
    achievedSendRate: round(sends.length / sentIn, 1), acceptedRate: round(accepted.length / sentIn, 1),
    errors: sends.length - accepted.length, errorStatuses: countBy(sends.filter((s) => s.status !== 201).map((s) => s.error ?? s.status)),
    acceptedWithoutAlertIn30s: accepted.length - latencies.length,
    postToAlertMs: total, postTo201Ms: quantiles(accepted.map((s) => s.answeredAt - s.postedAt)),
    senderLateMs: quantiles(sends.map((s) => Math.max(0, s.lateMs))), floor: floorResult,
    ratioToFloor: { p50: round(total.p50 / floorResult.perReportMs.p50, 2), p99: round(total.p99 / floorResult.perReportMs.p99, 2) },
    // CPU of every service, PostgreSQL, RabbitMQ and nginx over the run (not the bench's), per accepted report.
    platformCpuMsPerReport: round(Object.entries(resources).filter(([n]) => !n.startsWith("bench"))
      .reduce((sum, [, r]) => sum + r.cpuPercent / 100 * sampledMs, 0) / Math.max(1, accepted.length)),
    resources,
  };
  print(result);
  write("pipeline", result, scatter(accepted.filter((s) => arrivals.has(s.title)).map((s) => ({ x: (s.postedAt - sends[0].postedAt) / 1000, y: arrivals.get(s.title) - s.postedAt })), "POST → alert on the US dashboard", total));
}

async function intake() {
  const rate = option("rate", 800), seconds = option("seconds", 20), withPipeline = option("with-pipeline", 0) === 1;
  const labToken = await token("us-lab-demo");
  await send(labToken, 20, 2, `warmup-${Date.now()}`);
  // Intake alone: the services downstream of the reports' bus event are paused (SIGSTOP) while the reports are filed,
  // so that they do not take the cores intake is measured on; what was filed waits in their queues and is processed
  // once they go on (SIGCONT, also if the bench is interrupted). --with-pipeline=1 leaves them running.
  const paused = withPipeline ? [] : ["triage", "translation", "severity", "alerts"].filter((name) => pidOf(name));
  const resume = () => paused.forEach((name) => { try { process.kill(pidOf(name), "SIGCONT"); } catch { /* gone */ } });
  process.once("exit", resume);
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));
  paused.forEach((name) => process.kill(pidOf(name), "SIGSTOP"));
  const stop = await startSampling(root);
  const { sends, sentIn } = await send(labToken, rate, seconds, `${Date.now()}`).finally(resume);
  const resources = await stop();
  const accepted = sends.filter((s) => s.status === 201);
  const latency = quantiles(accepted.map((s) => s.answeredAt - s.postedAt));
  const result = {
    mode: "intake", measuredAt: new Date().toISOString(), edge, targetRate: rate, seconds, downstreamPaused: paused, achievedSendRate: round(sends.length / sentIn, 1),
    acceptedRate: round(accepted.length / ((Math.max(...accepted.map((s) => s.answeredAt)) - sends[0].postedAt) / 1000), 1),
    errors: sends.length - accepted.length, errorStatuses: countBy(sends.filter((s) => s.status !== 201).map((s) => s.error ?? s.status)),
    postTo201Ms: latency, senderLateMs: quantiles(sends.map((s) => Math.max(0, s.lateMs))), resources,
  };
  print(result);
  write("intake", result, scatter(accepted.map((s) => ({ x: (s.postedAt - sends[0].postedAt) / 1000, y: s.answeredAt - s.postedAt })), "POST → 201", latency));
}

async function connections() {
  const count = option("count", 2000);
  const alertsPid = processes(root).alerts?.[0];
  const rss = () => round(sample([alertsPid]).pssKb / 1024);
  const before = rss();
  const [usToken, cnToken, labToken] = [await token("us-ncp-demo"), await token("cn-ncp-demo"), await token("us-lab-demo")];
  const arrivals = new Map(); // title -> [times]
  const onUs = (alert) => { (arrivals.get(alert.title) ?? arrivals.set(alert.title, []).get(alert.title)).push(performance.now()); };
  const steps = [];
  const all = [];
  const openStarted = performance.now();
  for (let opened = 0; opened < count;) {
    const batch = Math.min(500, count - opened);
    all.push(...await connectMany(Math.ceil(batch / 2), usToken, onUs), ...await connectMany(Math.floor(batch / 2), cnToken, () => {}));
    opened += batch;
    await sleep(500);
    steps.push({ connections: opened, alertsPssMb: rss() });
    console.log(`  ${opened} connections open, Alerts PSS ${steps.at(-1).alertsPssMb} MB`);
  }
  const openSeconds = (performance.now() - openStarted) / 1000;
  const usConnections = Math.ceil(count / 2);
  // Alerts flowing: reports filed one a second to a US group of every US connection; first and last arrival.
  const stop = await startSampling(root);
  const broadcasts = [];
  for (let i = 0; i < 20; i++) {
    const title = `bench broadcast ${Date.now()} ${i}`;
    const posted = performance.now();
    await fetch(`${edge}/api/v1/reports`, { method: "POST", headers: { authorization: `Bearer ${labToken}`, "content-type": "application/json" }, body: report(title) });
    const deadline = performance.now() + 20_000;
    while ((arrivals.get(title)?.length ?? 0) < usConnections && performance.now() < deadline) await sleep(20);
    const times = arrivals.get(title) ?? [];
    broadcasts.push({ received: times.length, firstMs: times.length ? times[0] - posted : null, lastMs: times.length ? times.at(-1) - posted : null });
    await sleep(Math.max(0, 1000 - (performance.now() - posted)));
  }
  const resources = await stop();
  const after = rss();
  await Promise.all(all.map((c) => c.stop().catch(() => {})));
  const result = {
    mode: "connections", measuredAt: new Date().toISOString(), edge, connections: count, usGroup: usConnections, openSeconds: round(openSeconds),
    alertsPssMb: { before, withConnections: steps.at(-1).alertsPssMb, afterAlerts: after }, steps,
    kbPerConnection: round(((steps.at(-1).alertsPssMb - before) * 1024) / count, 1),
    broadcastToGroup: {
      group: usConnections, complete: broadcasts.filter((b) => b.received === usConnections).length, of: broadcasts.length,
      postToFirstMs: quantiles(broadcasts.filter((b) => b.firstMs !== null).map((b) => b.firstMs)),
      postToLastMs: quantiles(broadcasts.filter((b) => b.lastMs !== null).map((b) => b.lastMs)),
    },
    resources,
  };
  print(result);
  write("connections", result, "");
}

function countBy(values) {
  const counts = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

function print(result) {
  console.log(JSON.stringify(result, null, 2));
}

const modes = { pipeline, intake, connections };
if (!modes[mode]) {
  console.error(`usage: node bench.mjs ${Object.keys(modes).join("|")} [--options]`);
  process.exit(2);
}
await modes[mode]();
process.exit(0);
