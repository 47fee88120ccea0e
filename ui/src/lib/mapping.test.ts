import { describe, expect, it } from "vitest";
import type { Problem, Step } from "./backend";
import {
  emptyDraft,
  entriesToMap,
  fieldMatches,
  groupProblems,
  hasBothObjects,
  isRecordConnection,
  isWritable,
  mapToEntries,
  move,
  newStep,
  problemMessage,
  problemSummary,
  removeAt,
  replaceAt,
  sortTargetFields,
  STEP_OPS,
  stepLabel,
} from "./mapping";
import { LEAD } from "../test/mapping-fixtures";

const problem = (row: number | null, code = "x"): Problem => ({ row, field: null, code, message: code });

describe("mapping helpers", () => {
  it("offers only record-holding providers as sources and targets", () => {
    expect(isRecordConnection({ provider: "salesforce" })).toBe(true);
    expect(isRecordConnection({ provider: "quickbooks" })).toBe(true);
    expect(isRecordConnection({ provider: "slack" })).toBe(false);
    expect(isRecordConnection({ provider: "zapier" })).toBe(false);
  });

  it("moves, replaces and removes without touching the original", () => {
    const items = ["a", "b", "c"];
    expect(move(items, 0, 2)).toEqual(["b", "c", "a"]);
    expect(move(items, 2, 1)).toEqual(["a", "c", "b"]);
    expect(move(items, 0, -1)).toEqual(["a", "b", "c"]);
    expect(move(items, 2, 9)).toEqual(["a", "b", "c"]);
    expect(replaceAt(items, 1, "x")).toEqual(["a", "x", "c"]);
    expect(removeAt(items, 0)).toEqual(["b", "c"]);
    expect(items).toEqual(["a", "b", "c"]);
  });

  it("groups problems by row; row-less and out-of-range ones go to the top", () => {
    const { general, byRow } = groupProblems([problem(null, "required"), problem(0, "a"), problem(0, "b"), problem(2, "c"), problem(7, "stale")], 3);
    expect(general.map((p) => p.code)).toEqual(["required", "stale"]);
    expect(byRow.get(0)?.map((p) => p.code)).toEqual(["a", "b"]);
    expect(byRow.get(2)?.map((p) => p.code)).toEqual(["c"]);
    expect(byRow.has(1)).toBe(false);
  });

  it("words a problem on a row that has no target yet", () => {
    const empty = { row: 0, field: "", code: "unknown_field", message: "Lead has no field ." };
    expect(problemMessage(empty, { sourceField: null, targetField: "", transform: [], syncRule: "always_source" })).toBe("Pick the target field this row fills.");
    const other = { row: 0, field: "Foo", code: "unknown_field", message: "Lead has no field Foo." };
    expect(problemMessage(other, { sourceField: null, targetField: "Foo", transform: [], syncRule: "always_source" })).toBe("Lead has no field Foo.");
  });

  it("summarises the count in words", () => {
    expect(problemSummary(0)).toBe("No problems: this mapping can run.");
    expect(problemSummary(1)).toBe("1 problem to fix before this mapping can run.");
    expect(problemSummary(4)).toBe("4 problems to fix before this mapping can run.");
  });

  it("labels every step with its parameters", () => {
    expect(stepLabel({ op: "default", value: "[not provided]" })).toBe("Default when blank: “[not provided]”");
    expect(stepLabel({ op: "concat", fields: ["firstname", "lastname"], separator: " " })).toBe("Join fields: firstname + lastname (separator “ ”)");
    expect(stepLabel({ op: "split_name", part: "last" })).toBe("Last name of a full name");
    expect(stepLabel({ op: "phone", defaultRegion: "fr" })).toBe("Phone number (E.164), local numbers read as FR");
    expect(stepLabel({ op: "phone", defaultRegion: "" })).toBe("Phone number (E.164), only numbers written with +");
    expect(stepLabel({ op: "to_date" })).toBe("To date (UTC)");
    expect(stepLabel({ op: "to_date", zone: "+02:00" })).toBe("To date at +02:00");
    expect(stepLabel({ op: "map_values", map: { NEW: "Open", OPEN: "Open" }, otherwise: "blank" })).toBe("Map values: 2 values, others: leave blank");
    expect(stepLabel({ op: "number", decimals: 2, rounding: "half_up" })).toBe("Round number to 2 decimals (half up)");
    expect(stepLabel({ op: "number", decimals: null })).toBe("Round number: as it is");
    expect(stepLabel({ op: "trim" })).toBe("Trim spaces");
  });

  it("starts every step op with parameters the engine accepts", () => {
    for (const { op } of STEP_OPS) {
      const step: Step = newStep(op);
      expect(step.op).toBe(op);
      expect(stepLabel(step)).not.toMatch(/undefined|null|NaN/);
    }
    expect(newStep("map_values")).toEqual({ op: "map_values", map: {}, otherwise: "keep" });
    expect(newStep("phone")).toEqual({ op: "phone", defaultRegion: "US" });
  });

  it("turns a value map into table rows and back, dropping blank sources", () => {
    expect(mapToEntries({ NEW: "Open", LOST: "Closed" })).toEqual([
      { from: "NEW", to: "Open" },
      { from: "LOST", to: "Closed" },
    ]);
    expect(entriesToMap([{ from: "NEW", to: "Open" }, { from: " ", to: "x" }, { from: "NEW", to: "Working" }])).toEqual({ NEW: "Working" });
  });

  it("matches fields by label or API name, words in any order", () => {
    const f = { name: "hs_lead_status", label: "Lead Status" };
    expect(fieldMatches(f, "")).toBe(true);
    expect(fieldMatches(f, "status lead")).toBe(true);
    expect(fieldMatches(f, "HS_LEAD")).toBe(true);
    expect(fieldMatches(f, "email")).toBe(false);
  });

  it("lists writable target fields with the required ones first", () => {
    const writable = sortTargetFields(LEAD.fields.filter(isWritable)).map((f) => f.name);
    expect(writable).toEqual(["Company", "LastName", "Email", "FirstName", "Status", "Title"]);
    expect(writable).not.toContain("Id");
  });

  it("knows when both ends are picked", () => {
    const draft = emptyDraft();
    expect(hasBothObjects(draft)).toBe(false);
    expect(hasBothObjects({ ...draft, sourceConnectionId: "a", sourceObject: "contacts", targetConnectionId: "b", targetObject: "Lead" })).toBe(true);
    expect(hasBothObjects({ ...draft, sourceConnectionId: "a", sourceObject: "contacts", targetConnectionId: "b" })).toBe(false);
  });
});
