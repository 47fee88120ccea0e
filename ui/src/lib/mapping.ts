// Pure helpers behind the mapping editor: building and changing drafts without
// mutating them, describing transform steps in words, and sorting validation
// problems onto the field rows they belong to. No IPC, no DOM: unit-tested.
import type {
  ConflictPolicy,
  ConnectionSummary,
  DeletePolicy,
  FieldRule,
  FieldSpec,
  FieldType,
  MappingDraft,
  MatchKind,
  Otherwise,
  Problem,
  ProviderId,
  Rounding,
  Step,
  SyncDirection,
  SyncRule,
} from "./backend";

/** Providers whose connections hold records a mapping can read or write. */
export const RECORD_PROVIDERS: readonly ProviderId[] = ["salesforce", "hubspot", "quickbooks"];

export function isRecordConnection(connection: Pick<ConnectionSummary, "provider">): boolean {
  return RECORD_PROVIDERS.includes(connection.provider);
}

export type StepOp = Step["op"];

export const SYNC_RULE_LABELS: Record<SyncRule, string> = {
  prefer_source_unless_blank: "Source, unless blank",
  always_source: "Always source",
  two_way: "Both ways",
  dont_sync: "Don't sync",
};

export const DIRECTION_OPTIONS: Record<SyncDirection, string> = {
  one_way: "One way (source → target)",
  two_way: "Two way (source ⇄ target)",
};

export const MATCH_KIND_LABELS: Record<MatchKind, string> = {
  email: "E-mail address",
  external_id: "External id",
  field: "A unique field",
};

export const CONFLICT_LABELS: Record<ConflictPolicy, string> = {
  source_wins: "Source wins",
  target_wins: "Target wins",
  newest_wins: "Newest change wins",
  review: "Ask me (review queue)",
};

export const DELETE_LABELS: Record<DeletePolicy, string> = {
  ignore: "Ignore deletions",
  propagate: "Delete in the target too",
  review: "Ask me (review queue)",
};

export const OTHERWISE_LABELS: Record<Otherwise, string> = {
  keep: "Keep the value",
  blank: "Leave blank",
  error: "Fail the record",
};

export const ROUNDING_LABELS: Record<Rounding, string> = {
  half_even: "Half to even",
  half_up: "Half up",
  down: "Toward zero",
};

export const FIELD_TYPE_LABELS: Record<FieldType, string> = {
  id: "id",
  reference: "reference",
  text: "text",
  long_text: "long text",
  email: "email",
  phone: "phone",
  url: "URL",
  picklist: "picklist",
  multi_picklist: "multi-picklist",
  bool: "yes/no",
  int: "integer",
  number: "number",
  currency: "currency",
  percent: "percent",
  date: "date",
  date_time: "date & time",
};

/** Every step the engine knows, in the order the "Add step" menu offers them. */
export const STEP_OPS: readonly { op: StepOp; label: string }[] = [
  { op: "trim", label: "Trim spaces" },
  { op: "lowercase", label: "Lowercase" },
  { op: "uppercase", label: "Uppercase" },
  { op: "email", label: "Clean e-mail address" },
  { op: "phone", label: "Phone number (E.164)" },
  { op: "split_name", label: "Part of a full name" },
  { op: "concat", label: "Join fields" },
  { op: "default", label: "Default when blank" },
  { op: "constant", label: "Constant value" },
  { op: "map_values", label: "Map values" },
  { op: "to_date", label: "To date" },
  { op: "to_datetime", label: "To date & time" },
  { op: "format_date", label: "Format date as text" },
  { op: "number", label: "Round number" },
  { op: "to_text", label: "To text" },
  { op: "to_number", label: "To number" },
  { op: "to_bool", label: "To yes/no" },
];

const OP_LABELS = Object.fromEntries(STEP_OPS.map((s) => [s.op, s.label])) as Record<StepOp, string>;

/** A new step of `op` with sensible starting parameters. */
export function newStep(op: StepOp): Step {
  switch (op) {
    case "constant":
    case "default":
      return { op, value: "" };
    case "concat":
      return { op, fields: [], separator: " " };
    case "split_name":
      return { op, part: "first" };
    case "phone":
      return { op, defaultRegion: "US" };
    case "to_date":
      return { op, zone: null };
    case "format_date":
      return { op, format: "%Y-%m-%d" };
    case "map_values":
      return { op, map: {}, otherwise: "keep" };
    case "number":
      return { op, decimals: 2, rounding: "half_even" };
    default:
      return { op } as Step;
  }
}

const quoted = (text: string) => `“${text}”`;

/** One line saying what a step does with its parameters: `Default when blank: “[not provided]”`. */
export function stepLabel(step: Step): string {
  const name = OP_LABELS[step.op] ?? step.op;
  switch (step.op) {
    case "constant":
    case "default":
      return `${name}: ${quoted(step.value)}`;
    case "concat":
      return step.fields.length === 0
        ? `${name}: no fields yet`
        : `${name}: ${step.fields.join(" + ")} (separator ${quoted(step.separator ?? "")})`;
    case "split_name":
      return `${step.part === "first" ? "First" : "Last"} name of a full name`;
    case "phone":
      return step.defaultRegion.trim() === ""
        ? `${name}, only numbers written with +`
        : `${name}, local numbers read as ${step.defaultRegion.toUpperCase()}`;
    case "to_date":
      return step.zone ? `${name} at ${step.zone}` : `${name} (UTC)`;
    case "format_date":
      return `${name}: ${step.format}`;
    case "map_values": {
      const count = Object.keys(step.map).length;
      const other = OTHERWISE_LABELS[step.otherwise ?? "keep"].toLowerCase();
      return `${name}: ${count} ${count === 1 ? "value" : "values"}, others: ${other}`;
    }
    case "number":
      return step.decimals === null || step.decimals === undefined
        ? `${name}: as it is`
        : `${name} to ${step.decimals} ${step.decimals === 1 ? "decimal" : "decimals"} (${ROUNDING_LABELS[step.rounding ?? "half_even"].toLowerCase()})`;
    default:
      return name;
  }
}

/** A draft with nothing chosen yet. */
export function emptyDraft(): MappingDraft {
  return {
    name: "",
    sourceConnectionId: "",
    sourceObject: "",
    targetConnectionId: "",
    targetObject: "",
    direction: "one_way",
    matchRule: { kind: "email", sourceField: "", targetField: "" },
    conflictPolicy: "source_wins",
    deletePolicy: "ignore",
    fields: [],
  };
}

/** Both objects are picked, so the draft can be validated, suggested or previewed. */
export function hasBothObjects(draft: MappingDraft): boolean {
  return (
    draft.sourceConnectionId !== "" &&
    draft.sourceObject !== "" &&
    draft.targetConnectionId !== "" &&
    draft.targetObject !== ""
  );
}

export function newRow(targetField = ""): FieldRule {
  return { sourceField: null, targetField, transform: [], syncRule: "always_source" };
}

/** A copy of `items` with the item at `from` moved to `to` (clamped); the same array when nothing moves. */
export function move<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return [...items];
  const copy = [...items];
  const [item] = copy.splice(from, 1);
  copy.splice(target, 0, item);
  return copy;
}

export function replaceAt<T>(items: readonly T[], index: number, item: T): T[] {
  return items.map((existing, i) => (i === index ? item : existing));
}

export function removeAt<T>(items: readonly T[], index: number): T[] {
  return items.filter((_, i) => i !== index);
}

/** Problems sorted by where they show: on a row, or at the top for the mapping as a whole. */
export interface GroupedProblems {
  general: Problem[];
  byRow: Map<number, Problem[]>;
}

/** Groups problems by row; a row index the draft no longer has goes to `general`. */
export function groupProblems(problems: readonly Problem[], rowCount: number): GroupedProblems {
  const general: Problem[] = [];
  const byRow = new Map<number, Problem[]>();
  for (const problem of problems) {
    if (problem.row === null || problem.row < 0 || problem.row >= rowCount) {
      general.push(problem);
      continue;
    }
    const list = byRow.get(problem.row) ?? [];
    list.push(problem);
    byRow.set(problem.row, list);
  }
  return { general, byRow };
}

/** A problem's message as the row shows it: a row with no target yet gets words, not "has no field ." */
export function problemMessage(problem: Problem, row?: FieldRule): string {
  if (problem.code === "unknown_field" && row && row.targetField === "" && (problem.field ?? "") === "") {
    return "Pick the target field this row fills.";
  }
  return problem.message;
}

/** "No problems", "1 problem", "3 problems". */
export function problemSummary(count: number): string {
  if (count === 0) return "No problems: this mapping can run.";
  return `${count} ${count === 1 ? "problem" : "problems"} to fix before this mapping can run.`;
}

/** Does a field match what the user typed (label or API name, any case, words in any order)? */
export function fieldMatches(field: Pick<FieldSpec, "name" | "label">, query: string): boolean {
  const words = query.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const haystack = `${field.label} ${field.name}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** A target field a row can write: createable or updateable, and not the record id. */
export function isWritable(field: FieldSpec): boolean {
  return (field.createable || field.updateable) && field.type !== "id";
}

/** Required target fields first, then by label, for the target picker. */
export function sortTargetFields(fields: readonly FieldSpec[]): FieldSpec[] {
  return [...fields].sort((a, b) => {
    const req = Number(b.required && b.createable) - Number(a.required && a.createable);
    return req !== 0 ? req : a.label.localeCompare(b.label);
  });
}

/** The map of a map_values step as editable rows, and back (blank sources dropped, last one wins). */
export type MapEntry = { from: string; to: string };

export function mapToEntries(map: Record<string, string>): MapEntry[] {
  return Object.entries(map).map(([from, to]) => ({ from, to }));
}

export function entriesToMap(entries: readonly MapEntry[]): Record<string, string> {
  const map: Record<string, string> = {};
  for (const { from, to } of entries) {
    if (from.trim() !== "") map[from] = to;
  }
  return map;
}

/** The draft's rows that fill a target field, by index: used to mark required fields as covered. */
export function targetsInUse(draft: MappingDraft): Set<string> {
  return new Set(draft.fields.filter((f) => f.syncRule !== "dont_sync").map((f) => f.targetField));
}
