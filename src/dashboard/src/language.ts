/**
 * The viewer's language for labels: both side by side (the default on a bilateral channel), English only, or Chinese
 * only; chosen in the header and remembered in this browser. Text from users is never translated here — reports carry
 * their own translations with provenance.
 */
export type Language = "both" | "en" | "zh-Hans";

const Key = "ix.language";

export const language: Language = (["both", "en", "zh-Hans"] as const).find((l) => l === localStorage.getItem(Key)) ?? "both";

/** A label in the viewer's language. */
export function L(en: string, zh: string): string {
  return language === "en" ? en : language === "zh-Hans" ? zh : `${en} · ${zh}`;
}

/** Dates and numbers in the viewer's language; the browser's own locale when showing both. */
export const locale = language === "zh-Hans" ? "zh-CN" : language === "en" ? "en-GB" : undefined;

/** Remembers the choice; the page reloads so that every label, drawn or not yet, follows it. */
export function chooseLanguage(choice: Language) {
  localStorage.setItem(Key, choice);
  location.reload();
}

/**
 * The page's static labels: each element with data-zh holds its English text and gets the label in the viewer's language
 * (index.html).
 */
export function labelPage() {
  document.documentElement.lang = language === "zh-Hans" ? "zh-Hans" : "en";
  for (const element of document.querySelectorAll<HTMLElement>("[data-zh]")) element.textContent = L(element.textContent!.trim(), element.dataset.zh!);
  for (const element of document.querySelectorAll<HTMLElement>("[data-zh-placeholder]"))
    (element as HTMLInputElement).placeholder = L((element as HTMLInputElement).placeholder, element.dataset.zhPlaceholder!);
}
