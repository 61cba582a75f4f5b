/** The shapes of the APIs the dashboard reads (protocols/http-api.md). */

export interface Stamp { at: string | null; by: string | null; dueAt: string | null }

/** The three stamps of an alert (protocols/http-api.md, "Stamps"). */
export interface Stamps {
  delivered: Stamp;
  acknowledged: Stamp;
  responded: Stamp & { kind: string | null; text: string | null };
  /** Own reports the rule set says must go to the counterpart: by when, and when released. */
  counterpartNotified: Stamp | null;
}

/** An alert as the hub pushes it and GET /api/v1/alerts lists it (protocols/http-api.md). */
export interface Alert {
  alertId: string;
  sequence: number;
  kind: string;
  reportId: string;
  reportVersion: number;
  party: string;
  severity: number;
  severityLabel: { en: string; "zh-Hans": string };
  title: string;
  category: string;
  exercise: boolean;
  raisedAt: string;
  stamps: Stamps;
  incidentId: string | null;
  /** Storm control: folded under this earlier alert of the same incident. */
  groupedUnder: string | null;
  /** Storm control: a low level the party sends to its digest rather than alerting live. */
  digest: boolean;
  /** The title in the other language, for exactly this title (Translation's rendering; text null while pending or without engine). */
  titleTranslations: TitleTranslation[];
}

/** A title's rendering as an alert carries it: a report field's translation without review, staleness or notes. */
export type TitleTranslation = Pick<Translation, "sourceLanguage" | "targetLanguage" | "text" | "status" | "engine" | "model" | "translatedAt">;

export interface Session {
  userName: string;
  party: string;
  organisation: string;
  roles: string[];
  /** The session may do nothing but enrol a second factor (roles other than reporter, outside demo mode). */
  secondFactorEnrolmentRequired: boolean;
  /** The person has a second factor on. */
  secondFactor: boolean;
}

/** RFC 9457 problem details as every API answers an error. */
export interface Problem { title?: string; detail?: string; errors?: Record<string, string[]> }

/** What a refused request says, for the person: each field's error, else the detail, else the title. */
export async function problemText(response: Response): Promise<string> {
  const problem = (await response.json().catch(() => ({}))) as Problem;
  const errors = Object.values(problem.errors ?? {}).flat();
  return errors.length > 0 ? errors.join(" ") : problem.detail ?? problem.title ?? `HTTP ${response.status}`;
}

/** A JSON request with the session cookie; the edge turns the cookie into a token. */
export function send(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(url, {
    method,
    credentials: "same-origin",
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** One field's rendering in another language, as GET /api/v1/reports/{id} gives it (protocols/http-api.md). */
export interface Translation {
  field: string;
  sourceLanguage: string;
  targetLanguage: string;
  text: string | null;
  status: "glossary" | "machine" | "pending" | "untranslated" | "human";
  engine: string;
  model: string | null;
  translatedAt: string | null;
  reviewedBy: string | null;
  stale: boolean;
  glossaryNotes: string[];
}

/** A legal reporting regime that applies, with its clock (home side only). */
export interface Regime {
  id: string;
  name: { en: string; "zh-Hans": string };
  source: string;
  expedited: boolean;
  basis: string;
  deadline: string;
}

export interface ReportView {
  id: string;
  party: string;
  /** Home side: the current version's number; the counterpart sees the released one (release.version). */
  version?: number;
  release?: { version: number; tlp: string; releasedAt: string };
  updatedAtSource?: boolean;
  exercise: boolean;
  document: Record<string, unknown> & { title: string; language: string; tlp: string };
  translations: Translation[];
  regimes?: Regime[];
  /** Home side: every release made of the report. */
  releases?: { id: string; version: number; toParty: string; tlp: string; withheld: string[]; releasedAt: string }[];
}


/** The difference of one version from the one before (GET …/versions/{n}/diff). */
export interface VersionDiff { from: number; to: number; changes: { path: string; before: unknown; after: unknown }[] }

export interface ThreadMessage { id: string; authorParty: string; author: string; body: string; language: string; createdAt: string; translations: Translation[] }

/** A follow-up thread on a report (GET …/threads). */
export interface Thread { id: string; with: "counterpart" | "lab"; counterpartParty: string | null; createdAt: string; messages: ThreadMessage[] }

/** The stamps of the alerts the other party received about our releases of a report (GET /api/v1/alerts/sent). */
export interface SentAlert { alertId: string; party: string; kind: string; reportVersion: number; exercise: boolean; stamps: Stamps }
