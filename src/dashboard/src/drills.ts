import { problemText } from "./api";
import { L } from "./language";
import { $, showPanel, svg, text, time } from "./dom";

/** The after-action report as GET /api/v1/drills/{id} gives it (protocols/http-api.md, "Drills"). */
interface Measure { party: string; stamp: string; at: string; seconds: number; by: string | null }
interface Expectation { party: string; role: string; action: string; withinMinutes: number; deadline: string | null; at: string | null; seconds: number | null; outcome: string }
interface Inject { sequence: number; offsetMinutes: number; party: string; lab: string; title: string; status: string; filedAt: string | null; reportId: string | null; error: string | null; measures: Measure[]; expectations: Expectation[] }
interface Check { id: string; party: string; sentAt: string; acknowledgeWithinMinutes: number; measures: Measure[]; expectation: Expectation }
interface Score { expected: number; met: number; late: number; missed: number; pending: number; score: number | null; medianAcknowledgeSeconds: number | null }
interface Drill {
  id: string; name: string; scenario: string | null; parties: string[]; status: string; exercise: boolean; createdParty: string;
  startsAt: string; startedAt: string | null; endedAt: string | null; elapsedSeconds: number;
  injects: Inject[]; checks: Check[]; scores: Record<string, Score>;
}
interface DrillItem { id: string; name: string; scenario: string | null; parties: string[]; status: string; startsAt: string; endedAt: string | null }
interface TrendPoint { drillId: string; name: string; startedAt: string | null; score: Score }

const StampLabels: Record<string, string> = {
  delivered: L("Delivered", "已送达"),
  acknowledged: L("Acknowledged", "已确认"),
  responded: L("Responded", "已答复"),
  released: L("Released", "已通报"),
};
/** Each stamp has its own shape and letter on the chart, so that nothing is told by colour alone. */
const StampMarks: Record<string, string> = { delivered: "D", acknowledged: "A", responded: "R", released: "S" };
const StampRows: Record<string, number> = { delivered: -21, acknowledged: -7, released: 7, responded: 21 };
const OutcomeLabels: Record<string, string> = {
  met: L("met", "达成"), late: L("LATE", "超时"), missed: L("MISSED", "未完成"), pending: L("pending", "进行中"), "not-filed": L("not filed", "未发出"),
};

function minutes(seconds: number): string {
  return seconds < 60 ? `${Math.round(seconds)} s` : `${(seconds / 60).toFixed(1)} min`;
}

/** Coordinators start drills: a scenario of the protocol, or a communication check to both contact points. */
export async function enableDrillControls(party: string) {
  runningParty = party;
  const form = $<HTMLFormElement>("new-drill");
  const response = await fetch("/api/v1/drills/scenarios", { credentials: "same-origin" });
  if (!response.ok) return;
  const scenarios = (await response.json()) as { id: string; title: { en: string; "zh-Hans": string } }[];
  $("drill-scenario").replaceChildren(...scenarios.map((s) => {
    const option = text("option", L(s.title.en, s.title["zh-Hans"]), "");
    option.value = s.id;
    return option;
  }));
  form.hidden = false;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const kind = ((event as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
    const body = kind === "check"
      ? { communicationCheck: { parties: ["US", "CN"], acknowledgeWithinMinutes: Number($<HTMLInputElement>("check-minutes").value) } }
      : { scenario: $<HTMLSelectElement>("drill-scenario").value };
    const created = await fetch("/api/v1/drills", {
      method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    if (!created.ok) {
      $("new-drill-error").textContent = await problemText(created);
      return;
    }
    $("new-drill-error").textContent = "";
    await showDrillList();
    await showAfterAction(((await created.json()) as Drill).id);
  });
}

/** Pause, resume or stop: the buttons a drill's status allows (the API checks again who may). */
function controls(drill: Drill): HTMLElement {
  const bar = text("p", "", "drill-controls");
  const allowed: Record<string, string[]> = { scheduled: ["stop"], running: ["pause", "stop"], paused: ["resume", "stop"] };
  const labels: Record<string, string> = { pause: L("Pause", "暂停"), resume: L("Resume", "继续"), stop: L("Stop", "结束") };
  for (const action of allowed[drill.status] ?? []) {
    const button = text("button", labels[action], "");
    button.type = "button";
    button.addEventListener("click", async () => {
      const response = await fetch(`/api/v1/drills/${encodeURIComponent(drill.id)}/${action}`, { method: "POST", credentials: "same-origin" });
      if (!response.ok) {
        bar.append(text("span", ` ${await problemText(response)}`, "error"));
        return;
      }
      await showAfterAction(drill.id);
      await showDrillList();
    });
    bar.append(button);
  }
  return bar;
}

/** The drills the signed-in person may see, newest first, each opening its after-action report. */
export async function showDrillList() {
  const response = await fetch("/api/v1/drills", { credentials: "same-origin" });
  const list = $("drill-list");
  if (!response.ok) {
    list.replaceChildren(text("li", `${L("Drills not available", "无法查看演练")} (${response.status})`, "error"));
    return;
  }
  const drills = (await response.json()) as DrillItem[];
  list.replaceChildren(...drills.map((d) => {
    const item = text("li", "", "drill-item");
    item.dataset.drillId = d.id;
    item.append(text("span", "EXERCISE 演练", "exercise"), text("strong", d.name, ""),
      text("span", ` ${d.parties.join(" · ")} · ${d.status} · `, "meta"), time(d.startsAt));
    const open = text("button", L("After-action report", "演练评估报告"), "open");
    open.type = "button";
    open.addEventListener("click", () => void showAfterAction(d.id));
    item.append(open);
    return item;
  }));
  $("drills-empty").hidden = drills.length > 0;
}

/** The party whose coordinator is signed in: it runs the drills its party created. */
let runningParty: string | null = null;

export async function showAfterAction(id: string) {
  const panel = $("drill");
  const response = await fetch(`/api/v1/drills/${encodeURIComponent(id)}`, { credentials: "same-origin" });
  if (!response.ok) {
    showPanel(panel, [text("p", `${L("Drill not available", "无法查看演练")} (${response.status})`, "error")]);
    return;
  }
  const drill = (await response.json()) as Drill;
  const children: Element[] = [
    text("p", L("EXERCISE — NOT A REAL INCIDENT", "演练 — 非真实事件"), "exercise banner"),
    text("h2", `${L("After-action report", "演练评估报告")} — ${drill.name}`, ""),
  ];
  const facts = text("p", `${drill.parties.join(" · ")} · ${drill.status} · ${L("drill time", "演练时长")} ${minutes(drill.elapsedSeconds)} · ${L("started", "开始")} `, "meta");
  if (drill.startedAt) facts.append(time(drill.startedAt));
  const legend = text("p", [L("D delivered", "D 送达"), L("A acknowledged", "A 确认"), L("S released to the counterpart", "S 通报"), L("R responded", "R 答复"), `| ${L("red bar: a limit", "红线：时限")}`, L("dashed: an inject filed", "虚线：注入")].join("   "), "legend");
  if (runningParty === drill.createdParty) children.push(controls(drill));
  children.push(facts, scoreTable(drill), timeline(drill), legend, measureTable(drill));

  const downloads = text("p", `${L("Export", "导出")}: `, "downloads");
  for (const format of ["json", "csv"]) {
    const link = text("a", format.toUpperCase(), "");
    link.href = `/api/v1/drills/${encodeURIComponent(drill.id)}/report.${format}`;
    link.setAttribute("download", `drill-${drill.id}.${format}`);
    downloads.append(link, " ");
  }
  children.push(downloads);
  for (const party of Object.keys(drill.scores)) children.push(await trend(party));
  showPanel(panel, children);
}

function scoreTable(drill: Drill): HTMLElement {
  const table = document.createElement("table");
  table.className = "scores";
  const head = table.createTHead().insertRow();
  for (const label of [L("Party", "参与方"), L("Score", "得分"), L("Met", "达成"), L("Late", "超时"), L("Missed", "未完成"), L("Pending", "进行中"), L("Median to acknowledge", "确认中位时间")])
    head.append(text("th", label, ""));
  const body = table.createTBody();
  for (const [party, s] of Object.entries(drill.scores)) {
    const row = body.insertRow();
    row.dataset.party = party;
    row.append(text("th", party, ""), text("td", s.score === null ? "—" : `${s.score}%`, "score"), text("td", `${s.met} / ${s.expected}`, ""),
      text("td", String(s.late), ""), text("td", String(s.missed), ""), text("td", String(s.pending), ""),
      text("td", s.medianAcknowledgeSeconds === null ? "—" : minutes(s.medianAcknowledgeSeconds), ""));
  }
  return table;
}

/** Injects and every party's responses on one time axis (minutes from the drill's start), one lane per party. */
function timeline(drill: Drill): SVGElement {
  const start = Date.parse(drill.startedAt ?? drill.startsAt);
  const events: { party: string; at: number; mark: string; label: string }[] = [];
  const starts: { at: number; label: string }[] = [];
  for (const inject of drill.injects) {
    if (inject.filedAt) starts.push({ at: Date.parse(inject.filedAt), label: `Inject ${inject.sequence} (${inject.party})` });
    for (const m of inject.measures) events.push({ party: m.party, at: Date.parse(m.at), mark: m.stamp, label: `Inject ${inject.sequence}: ${StampLabels[m.stamp] ?? m.stamp}${m.by ? ` — ${m.by}` : ""} (+${minutes(m.seconds)})` });
    for (const e of inject.expectations) if (e.deadline) events.push({ party: e.party, at: Date.parse(e.deadline), mark: "deadline", label: `${L("Inject", "注入")} ${inject.sequence}: ${e.action} ${L("due", "截止")} (${OutcomeLabels[e.outcome] ?? e.outcome})` });
  }
  for (const check of drill.checks) {
    starts.push({ at: Date.parse(check.sentAt), label: `Check (${check.party})` });
    for (const m of check.measures) events.push({ party: m.party, at: Date.parse(m.at), mark: m.stamp, label: `Check: ${StampLabels[m.stamp] ?? m.stamp}${m.by ? ` — ${m.by}` : ""} (+${minutes(m.seconds)})` });
    if (check.expectation.deadline) events.push({ party: check.party, at: Date.parse(check.expectation.deadline), mark: "deadline", label: `${L("Check: acknowledge due", "检查：确认截止")} (${OutcomeLabels[check.expectation.outcome]})` });
  }
  const lanes = Object.keys(drill.scores);
  const end = Math.max(start + 60_000, start + drill.elapsedSeconds * 1000, ...events.map((e) => e.at), ...starts.map((s) => s.at));
  const width = 900, left = 60, right = 20, top = 30, lane = 70;
  const height = top + lanes.length * lane + 40;
  const x = (at: number) => left + ((at - start) / (end - start)) * (width - left - right);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "timeline", role: "img", "aria-label": L("Timeline of injects and responses", "演练时间线") });
  chart.append(svg("title", {}, L("Timeline of injects and responses", "演练时间线")));
  const axisY = top + lanes.length * lane + 5;
  chart.append(svg("line", { x1: left, y1: axisY, x2: width - right, y2: axisY, class: "axis" }));
  const totalMinutes = (end - start) / 60_000;
  const step = [1, 5, 10, 15, 30, 60, 120].find((s) => totalMinutes / s <= 10) ?? 240;
  for (let m = 0; m <= totalMinutes; m += step) {
    chart.append(svg("line", { x1: x(start + m * 60_000), y1: axisY, x2: x(start + m * 60_000), y2: axisY + 5, class: "axis" }));
    chart.append(svg("text", { x: x(start + m * 60_000), y: axisY + 18, class: "tick" }, `${m} min`));
  }
  lanes.forEach((party, i) => {
    const y = top + i * lane + lane / 2;
    chart.append(svg("text", { x: 5, y: y + 4, class: "lane" }, party));
    chart.append(svg("line", { x1: left, y1: y, x2: width - right, y2: y, class: "lane-line" }));
    for (const e of events.filter((e) => e.party === party)) {
      const group = svg("g", { class: `mark ${e.mark}` });
      group.append(svg("title", {}, e.label));
      if (e.mark === "deadline") group.append(svg("line", { x1: x(e.at), y1: y - 28, x2: x(e.at), y2: y + 28 }));
      else {
        // Each stamp on its own row of the lane, so that stamps close in time do not hide one another.
        const row = y + (StampRows[e.mark] ?? 0);
        group.append(svg("circle", { cx: x(e.at), cy: row, r: 7 }));
        group.append(svg("text", { x: x(e.at), y: row + 4 }, StampMarks[e.mark] ?? "?"));
      }
      chart.append(group);
    }
  });
  for (const s of starts) {
    const group = svg("g", { class: "inject" });
    group.append(svg("title", {}, s.label));
    group.append(svg("line", { x1: x(s.at), y1: top - 10, x2: x(s.at), y2: axisY }));
    group.append(svg("text", { x: x(s.at) + 3, y: top - 14 }, s.label));
    chart.append(group);
  }
  return chart;
}

function measureTable(drill: Drill): HTMLElement {
  const table = document.createElement("table");
  table.className = "measures";
  const head = table.createTHead().insertRow();
  for (const label of [L("Item", "项目"), L("Party", "参与方"), L("Expected", "预期"), L("Limit", "时限"), L("Took", "用时"), L("Outcome", "结果")]) head.append(text("th", label, ""));
  const body = table.createTBody();
  const rows: [string, Expectation][] = [
    ...drill.injects.flatMap((i) => i.expectations.map((e) => [`Inject ${i.sequence} (${i.party}): ${i.title}`, e] as [string, Expectation])),
    ...drill.checks.map((c) => [`${L("Communication check", "通信检查")} (${c.party})`, c.expectation] as [string, Expectation]),
  ];
  for (const [item, e] of rows) {
    const row = body.insertRow();
    row.dataset.outcome = e.outcome;
    row.append(text("td", item, ""), text("td", `${e.party} (${e.role})`, ""), text("td", e.action, ""), text("td", `${e.withinMinutes} min`, ""),
      text("td", e.seconds === null ? "—" : minutes(e.seconds), ""), text("td", OutcomeLabels[e.outcome] ?? e.outcome, "outcome"));
  }
  return table;
}

/** A party's score over its ended drills, oldest first. */
async function trend(party: string): Promise<Element> {
  const response = await fetch(`/api/v1/drills/trend?party=${encodeURIComponent(party)}`, { credentials: "same-origin" });
  if (!response.ok) return text("p", "", "");
  const points = ((await response.json()) as { drills: TrendPoint[] }).drills.filter((p) => p.score.score !== null);
  const figure = document.createElement("figure");
  figure.className = "trend";
  figure.append(text("figcaption", `${party}: ${L("score over its drills", "历次演练得分")} (${points.length})`, ""));
  if (points.length === 0) return figure;
  const width = 420, height = 120, pad = 24;
  const x = (i: number) => pad + (points.length === 1 ? 0 : (i / (points.length - 1)) * (width - 2 * pad));
  const y = (score: number) => height - pad - (score / 100) * (height - 2 * pad);
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": `${party} score trend` });
  chart.append(svg("line", { x1: pad, y1: y(0), x2: width - pad, y2: y(0), class: "axis" }), svg("text", { x: 2, y: y(100) + 4, class: "tick" }, "100%"),
    svg("text", { x: 2, y: y(0) + 4, class: "tick" }, "0%"));
  chart.append(svg("polyline", { points: points.map((p, i) => `${x(i)},${y(p.score.score!)}`).join(" "), class: "trend-line" }));
  points.forEach((p, i) => {
    const dot = svg("circle", { cx: x(i), cy: y(p.score.score!), r: 4 });
    dot.append(svg("title", {}, `${p.name}: ${p.score.score}%`));
    chart.append(dot);
  });
  figure.append(chart);
  return figure;
}
