import glossary from "../../../protocols/glossary/glossary.json";

/** The agreed English and Chinese labels of the glossary (protocols/glossary), by term, e.g. "category:weights-leak". */
const terms = glossary.terms as Record<string, { en: string; "zh-Hans": string }>;

/** A category's agreed labels in both languages, or its code when the glossary has none. */
export function categoryLabel(code: string): string {
  const term = terms[`category:${code}`];
  return term ? `${term.en} · ${term["zh-Hans"]}` : code;
}

/** The category codes the glossary labels, in its order. */
export const categories = Object.keys(terms).filter((k) => k.startsWith("category:")).map((k) => k.slice("category:".length));

export const StatusLabels: Record<string, string> = {
  submitted: "Submitted · 已提交",
  triaged: "Triaged · 已分诊",
  assessed: "Assessed · 已评估",
  released: "Released · 已通报",
  closed: "Closed · 已关闭",
  nullified: "Withdrawn · 已撤回",
};
