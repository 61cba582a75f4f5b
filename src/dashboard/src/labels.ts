import { L } from "./language";
import glossary from "../../../protocols/glossary/glossary.json";

/** The agreed English and Chinese labels of the glossary (protocols/glossary), by term, e.g. "category:weights-leak". */
const terms = glossary.terms as Record<string, { en: string; "zh-Hans": string }>;

/** A category's agreed labels in both languages, or its code when the glossary has none. */
export function categoryLabel(code: string): string {
  const term = terms[`category:${code}`];
  return term ? L(term.en, term["zh-Hans"]) : code;
}

/** The category codes the glossary labels, in its order. */
export const categories = Object.keys(terms).filter((k) => k.startsWith("category:")).map((k) => k.slice("category:".length));

export const StatusLabels: Record<string, string> = {
  submitted: L("Submitted", "已提交"),
  triaged: L("Triaged", "已分诊"),
  assessed: L("Assessed", "已评估"),
  released: L("Released", "已通报"),
  closed: L("Closed", "已关闭"),
  nullified: L("Withdrawn", "已撤回"),
};
