import { describe, expect, it } from "vitest";
import { describeRun, rangeBounds, timelineLanes } from "./timeline";
import { TIMELINE_RUN } from "../test/health-fixtures";

const MIN = 60_000;

describe("rangeBounds", () => {
  it("ends with the bucket that holds now, like the engine's series", () => {
    const now = 100 * MIN + 30_000;
    expect(rangeBounds("1h", now)).toEqual({ from: 41 * MIN, to: 101 * MIN });
    expect(rangeBounds("7d", 1_000 * 5 * MIN + 1)).toEqual({ from: 1_001 * 5 * MIN - 7 * 24 * 60 * MIN, to: 1_001 * 5 * MIN });
  });
});

describe("timelineLanes", () => {
  it("puts each mapping's runs in one lane, placed as shares of the span", () => {
    const runs = [
      { ...TIMELINE_RUN, runId: "r1", startedAt: 10 * MIN, finishedAt: 20 * MIN },
      { ...TIMELINE_RUN, runId: "r2", mappingId: "m2", mappingName: "", startedAt: 50 * MIN, finishedAt: null },
      { ...TIMELINE_RUN, runId: "r3", startedAt: -10 * MIN, finishedAt: 5 * MIN },
    ];
    const lanes = timelineLanes(runs, 0, 100 * MIN, 60 * MIN);
    expect(lanes.map((l) => [l.mappingId, l.mappingName, l.runs.map((r) => r.run.runId)])).toEqual([
      ["m1", "Contacts to HubSpot", ["r1", "r3"]],
      ["m2", "Deleted mapping", ["r2"]],
    ]);
    expect(lanes[0].runs[0]).toMatchObject({ left: 10, width: 10 });
    // A run still going ends now; one that began before the span is clipped to it.
    expect(lanes[1].runs[0]).toMatchObject({ left: 50, width: 10 });
    expect(lanes[0].runs[1]).toMatchObject({ left: 0, width: 5 });
  });
});

describe("describeRun", () => {
  it("says the mapping, outcome, trigger, counts and duration", () => {
    const text = describeRun(TIMELINE_RUN);
    expect(text).toMatch(/^Contacts to HubSpot: Failed · Started by hand · .+ · 1,500 read, 8 failed · took 3\.5 s$/);
    expect(describeRun({ ...TIMELINE_RUN, finishedAt: null, trigger: "webhook" })).toContain("Started by a webhook");
    expect(describeRun({ ...TIMELINE_RUN, finishedAt: null })).toContain("still running");
  });
});
