// CPU and memory of each platform process (the services, PostgreSQL, RabbitMQ, nginx), read from /proc. The sampler
// runs on a worker thread of its own: reading the PSS of PostgreSQL's backends takes 120 ms or more, and on the
// bench's only thread that held every send and every alert's arrival stamp behind it, every five seconds.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { performance } from "node:perf_hooks";

const round = (x) => +x.toFixed(1);

/** The platform's processes by component: the services from `.run/pids/`, the servers from /proc. */
export function processes(root) {
  const named = {};
  const pids = new URL(".run/pids/", root);
  if (existsSync(pids))
    for (const file of readdirSync(pids).filter((f) => f.endsWith(".pid")))
      named[file.replace(".pid", "")] = [Number(readFileSync(new URL(file, pids)).toString().trim())];
  // By reading /proc, not by pgrep: three pgreps a second took 85 ms (more under load).
  const servers = { postgres: "postgresql", "beam.smp": "rabbitmq", nginx: "nginx" };
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    let command;
    try { command = readFileSync(`/proc/${pid}/comm`, "utf8").trim(); } catch { continue; /* the process ended */ }
    if (servers[command]) (named[servers[command]] ??= []).push(Number(pid));
  }
  return named;
}

/**
 * CPU ticks per process, and (with `memory`) memory as PSS: a multi-process server's shared memory counted once,
 * shared among them. PSS is dear to read, so the sampler reads it every 5 s.
 */
export function sample(pids, memory = true) {
  const ticks = new Map();
  let pssKb = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks.set(pid, Number(fields[11]) + Number(fields[12])); // utime, stime
      if (memory) pssKb += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch { /* the process ended */ }
  }
  return { ticks, pssKb };
}

/**
 * Starts sampling every second, once the first sample is taken; gives back a function that stops it and returns each
 * component's CPU (percent of a core) and memory over the run, and the bench's own CPU (all its threads, the
 * sampler's too). A component's CPU is the ticks its processes used during the run: each process's last ticks minus
 * its ticks at the start (zero for one started meanwhile, as PostgreSQL's backends are), so a process that ends does
 * not take its earlier work with it.
 */
export async function startSampling(root) {
  const worker = new Worker(new URL(import.meta.url), { workerData: { root: root.href } });
  const next = () => new Promise((resolve, reject) => { worker.once("message", resolve); worker.once("error", reject); });
  await next(); // the baseline
  const started = performance.now(), benchStarted = process.cpuUsage();
  return async () => {
    const stopped = next();
    worker.postMessage("stop");
    const components = await stopped;
    await worker.terminate();
    const bench = process.cpuUsage(benchStarted);
    return { ...components, "bench (this process)": { cpuPercent: round(((bench.user + bench.system) / 1e6 / ((performance.now() - started) / 1000)) * 100) } };
  };
}

if (!isMainThread) {
  const root = new URL(workerData.root);
  const ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());
  const named = processes(root);
  const baseline = Object.fromEntries(Object.entries(named).map(([n, p]) => [n, sample(p, false).ticks]));
  const latest = Object.fromEntries(Object.keys(named).map((n) => [n, new Map(baseline[n])]));
  const peak = Object.fromEntries(Object.keys(named).map((n) => [n, 0]));
  const started = performance.now();
  let ticks = 0;
  const tick = () => {
    const memory = ticks++ % 5 === 0;
    for (const [n, pids] of Object.entries(processes(root))) {
      if (!latest[n]) continue;
      const s = sample(pids, memory);
      for (const [pid, t] of s.ticks) latest[n].set(pid, t);
      if (memory) peak[n] = Math.max(peak[n], s.pssKb);
    }
  };
  tick();
  const timer = setInterval(tick, 1000);
  parentPort.postMessage("started");
  parentPort.once("message", () => {
    clearInterval(timer);
    tick();
    const seconds = (performance.now() - started) / 1000;
    const current = processes(root);
    parentPort.postMessage(Object.fromEntries(Object.keys(named).map((n) => {
      let used = 0;
      for (const [pid, t] of latest[n]) used += t - (baseline[n].get(pid) ?? 0);
      return [n, { cpuPercent: round((used / ticksPerSecond / seconds) * 100), pssMb: round(sample(current[n] ?? []).pssKb / 1024), peakPssMb: round(peak[n] / 1024) }];
    })));
  });
}
