import { problemText, send } from "./api";
import { $, row, table, text, time } from "./dom";
import { L } from "./language";

/** Identity's trail: sign-ins, second factors, tokens issued, administration (GET /connect/audit). */
interface AuditEvent { id: number; at: string; actor: string; action: string; target: string | null; outcome: string; address: string | null }
/** Reports' record of reads across the parties' line (GET /api/v1/reports/access-log). */
interface CrossPartyRead {
  id: number; at: string; readerParty: string; reader: string | null; readerName: string | null; reportId: string; reportParty: string; what: string; address: string | null;
}

/** The auditor's pages: newest first, a hundred at a time, older on request. */
export function enableAudit() {
  const section = $("audit-section");
  const heading = text("h2", L("Audit", "审计"), "");
  heading.id = "audit-heading";
  section.replaceChildren(heading,
    trail<AuditEvent>(L("Sign-ins, tokens and administration", "登录、令牌与管理"), "/connect/audit", "events",
      [L("When", "时间"), L("Who", "操作者"), L("Action", "操作"), L("Target", "对象"), L("Outcome", "结果"), L("From", "来源")],
      (e) => [time(e.at), e.actor, e.action, e.target ?? "", e.outcome, e.address ?? ""]),
    trail<CrossPartyRead>(L("Reads across the parties' line", "跨方读取"), "/api/v1/reports/access-log", "reads",
      [L("When", "时间"), L("Reader", "读取者"), L("Report", "报告"), L("What", "内容"), L("From", "来源")],
      (r) => [time(r.at), r.reader ? `${r.readerName ?? r.reader} (${r.readerParty})` : L(`${r.readerParty} contact point`, `${r.readerParty} 联络点`), `${r.reportId} (${r.reportParty})`, r.what, r.address ?? ""]));
  section.hidden = false;
}

function trail<T extends { id: number }>(title: string, url: string, key: string, headers: string[], cells: (row: T) => (string | Node)[]): HTMLElement {
  const part = text("section", "", "audit-part");
  const rows = table(headers);
  const more = text("button", L("Older", "更早"), "");
  more.type = "button";
  const error = text("p", "", "error");
  let before: number | undefined;
  const load = async () => {
    const response = await send("GET", `${url}?limit=100${before === undefined ? "" : `&before=${before}`}`);
    if (!response.ok) {
      error.textContent = await problemText(response);
      return;
    }
    const page = ((await response.json()) as Record<string, T[]>)[key];
    rows.tBodies[0].append(...page.map((item) => row(cells(item))));
    before = page.at(-1)?.id ?? before;
    more.hidden = page.length < 100;
  };
  more.addEventListener("click", () => void load());
  void load();
  part.append(text("h3", title, ""), rows, more, error);
  return part;
}
