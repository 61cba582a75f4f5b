import { problemText } from "./api";
import { L } from "./language";
import { $, text } from "./dom";

/** TLP 2.0 from least to most restricted; RED is never released, so never offered. */
const Offered = ["CLEAR", "GREEN", "AMBER", "AMBER+STRICT"];

/** The fields an officer may withhold (protocols/http-api.md, release), with their labels. */
const Withholdable: Record<string, string> = {
  harms: L("Harms", "危害"),
  impact: L("Impact", "影响"),
  indicators: L("Indicators", "指标"),
  "model.version": L("Model version", "模型版本"),
  "model.access": L("Model access", "模型访问方式"),
  "model.deploymentContext": L("Deployment context", "部署环境"),
  "model.toolAccess": L("Tool access", "工具权限"),
  "timeline.detectedAt": L("Detected at", "发现时间"),
  "timeline.containment": L("Containment", "控制措施"),
  "timeline.mitigations": L("Mitigations", "缓解措施"),
};


let reportId = "";
let toParty = "";
let previewRequest = 0;

/**
 * The release dialog: the officer chooses the TLP (no looser than the reporter's; RED not offered) and the fields to
 * withhold, and sees, before anything leaves, the very view the counterpart will get — computed by the server's
 * preview, which is the release's own code with nothing stored.
 */
export function openRelease(report: { id: string; document: { tlp: string } }, counterpart: string, released: () => void) {
  reportId = report.id;
  toParty = counterpart;
  const dialog = $("release") as HTMLDialogElement;
  $("release-to").textContent = counterpart;
  const tlp = $("release-tlp") as HTMLSelectElement;
  const reporterLevel = Math.max(0, Offered.indexOf(report.document.tlp));
  tlp.replaceChildren(...Offered.slice(reporterLevel).map((label) => {
    const option = text("option", `TLP:${label}`, "");
    option.value = label;
    return option;
  }));
  const fields = $("release-withhold");
  fields.replaceChildren(...Object.entries(Withholdable).map(([field, label]) => {
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = "withhold";
    box.value = field;
    const wrap = text("label", "", "check");
    wrap.append(box, document.createTextNode(` ${label}`));
    return wrap;
  }));
  $("release-error").textContent = "";
  $("release-form").onchange = () => void preview();
  $("release-form").onsubmit = async (event) => {
    event.preventDefault();
    if (await release()) {
      dialog.close();
      released();
    }
  };
  $("release-cancel").onclick = () => dialog.close();
  dialog.showModal();
  void preview();
}

function request() {
  const form = new FormData($("release-form") as HTMLFormElement);
  return { toParty, tlp: String(form.get("tlp")), withhold: form.getAll("withhold").map(String) };
}

async function preview() {
  const mine = ++previewRequest;
  const view = $("release-preview");
  view.textContent = "…";
  const response = await fetch(`/api/v1/reports/${encodeURIComponent(reportId)}/releases/preview`, {
    method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request()),
  });
  if (mine !== previewRequest) return; // a later choice's preview is on its way
  if (!response.ok) {
    view.textContent = "";
    $("release-error").textContent = await problemText(response);
    (document.querySelector("#release-form button[type=submit]") as HTMLButtonElement).disabled = true;
    return;
  }
  $("release-error").textContent = "";
  (document.querySelector("#release-form button[type=submit]") as HTMLButtonElement).disabled = false;
  const body = (await response.json()) as { view: unknown };
  // Exactly the document the counterpart will read, as text.
  view.textContent = JSON.stringify(body.view, null, 2);
}

/** One key per choice: pressing Release twice for the same choice makes one release. */
let key = { for: "", value: "" };

async function release(): Promise<boolean> {
  const body = JSON.stringify(request());
  if (key.for !== body) key = { for: body, value: randomKey() };
  const response = await fetch(`/api/v1/reports/${encodeURIComponent(reportId)}/releases`, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Idempotency-Key": key.value },
    body,
  });
  if (response.ok) return true;
  $("release-error").textContent = await problemText(response);
  return false;
}

/** 128 random bits in hex (crypto.randomUUID needs a secure context; an edge without TLS is not one). */
function randomKey(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}
