import { $ } from "./dom";
import { L } from "./language";

/**
 * Level 4–5 alerts cannot be missed: a banner stays while any of them is unacknowledged, and a sound plays when one
 * arrives and again every minute while they wait. The sound can be muted; the choice is remembered in this browser. The
 * banner is never muted.
 */
export interface Urgent { alertId: string; sequence: number; severity: number; title: string; exercise: boolean }

const MutedKey = "ix.alarm.muted";
const RepeatMs = 60_000;

let muted = localStorage.getItem(MutedKey) === "true";
let waiting: Urgent[] = [];
let context: AudioContext | undefined;
let repeat: number | undefined;

export function enableAlarm(goTo: (alertId: string) => void) {
  const mute = $("alarm-mute");
  const label = () => {
    mute.textContent = muted ? L("Sound off — turn on", "声音已关闭 — 打开") : L("Mute sound", "静音");
    mute.setAttribute("aria-pressed", String(muted));
  };
  label();
  mute.addEventListener("click", () => {
    muted = !muted;
    localStorage.setItem(MutedKey, String(muted));
    label();
  });
  $("alarm-go").addEventListener("click", () => { if (waiting[0]) goTo(waiting[0].alertId); });
  // A browser lets a page play sound only after a person has used it: the first click or key unlocks it.
  const unlock = () => void context?.resume();
  document.addEventListener("click", unlock);
  document.addEventListener("keydown", unlock);
}

/** Shows the unacknowledged level 4–5 alerts held, newest first; keeps the minute's reminder going while there are any. */
export function showUrgent(urgent: Urgent[]) {
  waiting = urgent;
  const banner = $("alarm");
  banner.hidden = urgent.length === 0;
  if (urgent.length === 0) {
    window.clearInterval(repeat);
    repeat = undefined;
    return;
  }
  const top = Math.max(...urgent.map((u) => u.severity));
  banner.dataset.level = String(top);
  const newest = urgent[0];
  $("alarm-text").textContent = `${L(`LEVEL ${top} — ${urgent.length} unacknowledged`, `${top}级 — ${urgent.length}条未确认`)}: `
    + `#${newest.sequence} ${newest.exercise ? "EXERCISE 演练 — " : ""}${newest.title}`;
  repeat ??= window.setInterval(sound, RepeatMs);
}

/** Three rising two-tone beeps, unless muted. Counted on the banner (data-played) so that a test can see it played. */
export function sound() {
  if (muted || waiting.length === 0) return;
  context ??= new AudioContext();
  if (context.state !== "running") void context.resume();
  const start = context.currentTime + 0.05;
  for (let i = 0; i < 3; i++) {
    for (const [offset, frequency] of [[0, 880], [0.18, 1320]]) {
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.frequency.value = frequency;
      gain.gain.setValueAtTime(0.2, start + i * 0.5 + offset);
      gain.gain.exponentialRampToValueAtTime(0.001, start + i * 0.5 + offset + 0.16);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(start + i * 0.5 + offset);
      oscillator.stop(start + i * 0.5 + offset + 0.17);
    }
  }
  const banner = $("alarm");
  banner.dataset.played = String(Number(banner.dataset.played ?? 0) + 1);
}
