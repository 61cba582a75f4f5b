import qrcode from "qrcode-generator";
import { problemText, send, type Session } from "./api";
import { $, svg, text } from "./dom";
import { L } from "./language";

/**
 * The person's own second factor (RFC 6238): set up an authenticator app from a QR code or the key as text, turn it on
 * with a first code, and keep the ten recovery codes, shown once. A session that must enrol sees nothing else: the
 * edge gives it no token for any API until it has.
 */
export function showSecurity(session: Session) {
  const section = $("security");
  const heading = text("h2", L("Second factor", "双重验证"), "");
  heading.id = "security-heading";
  const parts: Element[] = [heading];
  if (session.secondFactor) {
    parts.push(text("p", L("On: signing in asks for a code from your authenticator app.", "已开启：登录时需要验证器应用中的代码。"), ""));
  } else {
    if (session.secondFactorEnrolmentRequired)
      parts.push(text("p", L("Your roles need a second factor. Set it up before you go on.", "您的角色需要双重验证，请先完成设置。"), "error"));
    const start = text("button", L("Set up an authenticator app", "设置验证器应用"), "");
    start.type = "button";
    start.addEventListener("click", () => void enrol(section, start));
    parts.push(text("p", L("Any authenticator app will do (time-based codes, RFC 6238).", "任何基于时间的验证器应用均可（RFC 6238）。"), "muted"), start);
  }
  if (!session.secondFactorEnrolmentRequired) {
    const close = text("button", L("Close", "关闭"), "");
    close.type = "button";
    close.addEventListener("click", () => { section.hidden = true; });
    parts.push(close);
  }
  section.replaceChildren(...parts);
  section.hidden = false;
  section.focus();
}

async function enrol(section: HTMLElement, start: HTMLButtonElement) {
  const error = text("p", "", "error");
  error.setAttribute("role", "alert");
  const response = await send("POST", "/connect/second-factor/enrol");
  if (!response.ok) {
    error.textContent = await problemText(response);
    start.after(error);
    return;
  }
  const { sharedKey, otpauthUri } = (await response.json()) as { sharedKey: string; otpauthUri: string };
  const key = text("code", sharedKey.replace(/(.{4})(?=.)/g, "$1 "), "shared-key");
  key.dataset.key = sharedKey;
  const form = document.createElement("form");
  form.className = "second-factor-confirm";
  const label = text("label", L("Code the app shows now", "应用当前显示的代码"), "");
  const input = document.createElement("input");
  input.name = "code";
  input.inputMode = "numeric";
  input.autocomplete = "one-time-code";
  input.maxLength = 16;
  input.required = true;
  label.append(" ", input);
  const submit = text("button", L("Turn on", "开启"), "");
  submit.type = "submit";
  form.append(label, submit, error);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const confirmed = await send("POST", "/connect/second-factor/confirm", { code: input.value });
    if (!confirmed.ok) {
      error.textContent = await problemText(confirmed);
      return;
    }
    const { recoveryCodes } = (await confirmed.json()) as { recoveryCodes: string[] };
    showRecoveryCodes(section, recoveryCodes);
  });
  start.replaceWith(
    text("p", L("Scan this with the app, or type the key into it:", "用应用扫描此码，或手动输入密钥："), ""),
    qr(otpauthUri), key, form);
  input.focus();
}

function showRecoveryCodes(section: HTMLElement, codes: string[]) {
  const list = document.createElement("ol");
  list.className = "recovery-codes";
  list.append(...codes.map((code) => text("li", code, "")));
  const done = text("button", L("I have stored these codes", "我已保存这些恢复码"), "");
  done.type = "button";
  // The session changed (the second factor is on); the page starts again with it.
  done.addEventListener("click", () => location.reload());
  section.replaceChildren(
    text("h2", L("Second factor on", "双重验证已开启"), ""),
    text("p", L("Recovery codes: each signs you in once if the app is lost. They are shown now and never again.",
      "恢复码：手机丢失时每个可登录一次。仅此一次显示。"), ""),
    list, done);
  section.focus();
}

/** The otpauth URI as a QR code, drawn as SVG from the code's modules. */
function qr(data: string): SVGSVGElement {
  const code = qrcode(0, "M");
  code.addData(data);
  code.make();
  const size = code.getModuleCount(), margin = 4, side = size + 2 * margin;
  let path = "";
  for (let row = 0; row < size; row++)
    for (let column = 0; column < size; column++)
      if (code.isDark(row, column)) path += `M${column + margin} ${row + margin}h1v1h-1z`;
  const image = svg("svg", { viewBox: `0 0 ${side} ${side}`, width: 200, height: 200, role: "img", "aria-label": L("QR code of the key", "密钥二维码") });
  image.append(svg("rect", { width: side, height: side, fill: "#fff" }), svg("path", { d: path, fill: "#000" }));
  return image;
}
