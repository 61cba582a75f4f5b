import { L, locale } from "./language";

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** User text only ever goes in as textContent, never as HTML. */
export function text<K extends keyof HTMLElementTagNameMap>(tag: K, content: string, className: string) {
  const element = document.createElement(tag);
  element.textContent = content;
  if (className) element.className = className;
  return element;
}

const SvgNs = "http://www.w3.org/2000/svg";

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, content?: string) {
  const element = document.createElementNS(SvgNs, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  if (content !== undefined) element.textContent = content;
  return element;
}

/** A time in the viewer's zone, with UTC on hover. */
export function time(iso: string): HTMLTimeElement {
  const at = new Date(iso);
  const element = text("time", at.toLocaleString(locale), "");
  element.dateTime = iso;
  element.title = at.toISOString();
  return element;
}

/** Shows a page section with these contents and a Close button after them, and moves the focus to it. */
export function showPanel(panel: HTMLElement, children: Element[]) {
  const close = text("button", L("Close", "关闭"), "");
  close.type = "button";
  close.addEventListener("click", () => { panel.hidden = true; });
  panel.replaceChildren(...children, close);
  panel.hidden = false;
  panel.focus();
}

/** A table row of these cells: text, or elements made with text(). */
export function row(cells: (string | Node)[]): HTMLTableRowElement {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.append(cell);
    tr.append(td);
  }
  return tr;
}

/** A table with these column headers and rows. */
export function table(headers: string[], rows: (string | Node)[][] = []): HTMLTableElement {
  const element = document.createElement("table");
  const head = document.createElement("tr");
  head.append(...headers.map((h) => text("th", h, "")));
  element.createTHead().append(head);
  element.createTBody().append(...rows.map(row));
  return element;
}
