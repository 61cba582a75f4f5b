import { problemText, send, type Session } from "./api";
import { $ } from "./dom";
import { L } from "./language";

/**
 * Signing in: the password, then — for a person with a second factor — a code from the authenticator app or one
 * recovery code. A person with an invitation code makes their account here (the administrator passes the code on, or a
 * link ending in #invitation=CODE; the fragment never reaches a server's log).
 */
export function showSignIn(signedIn: (session: Session) => void) {
  const login = $<HTMLFormElement>("login");
  const second = $<HTMLFormElement>("second-factor");
  const accept = $<HTMLFormElement>("accept-invitation");
  login.hidden = false;

  login.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(login);
    const response = await send("POST", "/connect/login", { userName: form.get("userName"), password: form.get("password") });
    if (!response.ok) {
      $("login-error").textContent = await problemText(response);
      return;
    }
    $("login-error").textContent = "";
    const answer = (await response.json()) as Session | { secondFactorRequired: true };
    if ("secondFactorRequired" in answer) {
      login.hidden = true;
      second.hidden = false;
      second.querySelector("input")!.focus();
      return;
    }
    signedIn(answer);
  });

  second.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(second);
    const code = String(form.get("code") ?? "").trim();
    const recoveryCode = String(form.get("recoveryCode") ?? "").trim();
    const response = await send("POST", "/connect/login/second-factor", code ? { code } : { recoveryCode });
    if (!response.ok) {
      $("second-factor-error").textContent = await problemText(response);
      second.reset();
      return;
    }
    second.hidden = true;
    signedIn((await response.json()) as Session);
  });

  const showAccept = (code: string) => {
    login.hidden = true;
    accept.hidden = false;
    (accept.elements.namedItem("code") as HTMLInputElement).value = code;
    (accept.elements.namedItem(code ? "userName" : "code") as HTMLInputElement).focus();
  };
  $("invitation-open").addEventListener("click", () => showAccept(""));
  $("invitation-cancel").addEventListener("click", () => {
    accept.hidden = true;
    login.hidden = false;
  });
  accept.addEventListener("submit", async (event) => {
    event.preventDefault();
    const form = new FormData(accept);
    if (form.get("password") !== form.get("repeat")) {
      $("accept-error").textContent = L("The two passwords differ.", "两次输入的密码不一致。");
      return;
    }
    const response = await send("POST", "/connect/invitations/accept", {
      code: form.get("code"), userName: form.get("userName"), password: form.get("password"),
    });
    if (!response.ok) {
      $("accept-error").textContent = await problemText(response);
      return;
    }
    const accepted = (await response.json()) as { userName: string };
    accept.reset();
    accept.hidden = true;
    login.hidden = false;
    $("accept-error").textContent = "";
    $("login-notice").textContent = L(`Your account ${accepted.userName} is ready: sign in.`, `账户 ${accepted.userName} 已创建，请登录。`);
    (login.elements.namedItem("userName") as HTMLInputElement).value = accepted.userName;
    (login.elements.namedItem("password") as HTMLInputElement).focus();
  });

  const invitation = /^#invitation=([A-Za-z0-9-]{1,64})$/.exec(location.hash);
  if (invitation) {
    history.replaceState(null, "", location.pathname + location.search);
    showAccept(invitation[1]);
  }
}
