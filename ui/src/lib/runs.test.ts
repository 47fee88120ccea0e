import { afterEach, describe, expect, it, vi } from "vitest";
import type { PlannedRecord, RecordErrorView, RunReport } from "./backend";
import {
  applyProgress,
  debounce,
  formatRate,
  hasOpenErrors,
  newLiveRun,
  planCounts,
  prettyPayload,
  progressText,
  reportCounters,
  zeroCounters,
} from "./runs";

describe("applyProgress", () => {
  it("takes the run id, then each page's running totals, then the finished status", () => {
    const started = applyProgress(newLiveRun(), { event: "started", data: { runId: "r1" } });
    expect(started).toEqual({ runId: "r1", counters: zeroCounters(), recordsPerSec: null, finished: null });

    const page = { read: 50, created: 10, updated: 5, skipped: 34, failed: 1, calls: 4, recordsPerSec: 25 };
    const paged = applyProgress(started, { event: "page", data: page });
    expect(paged.counters).toEqual({ read: 50, created: 10, updated: 5, skipped: 34, failed: 1, calls: 4 });
    expect(paged.recordsPerSec).toBe(25);
    expect(paged.runId).toBe("r1");
    expect(started.counters.read).toBe(0);

    // A page without a speed keeps the last one known.
    expect(applyProgress(paged, { event: "page", data: { ...page, read: 60, recordsPerSec: null } }).recordsPerSec).toBe(25);
    expect(applyProgress(paged, { event: "finished", data: { status: "partial" } }).finished).toBe("partial");
  });
});

describe("progressText", () => {
  it("says it is starting before anything was read, then gives the counts", () => {
    expect(progressText(zeroCounters())).toBe("Starting…");
    expect(progressText({ read: 1500, created: 2, updated: 3, skipped: 1495, failed: 0, calls: 9 })).toBe(
      "1,500 read, 2 created, 3 updated, 1,495 unchanged, 0 failed",
    );
  });
});

describe("formatRate", () => {
  it("rounds to whole records above 10 and to one decimal below", () => {
    expect(formatRate(1234.6)).toBe("1,235 records/s");
    expect(formatRate(4.26)).toBe("4.3 records/s");
    expect(formatRate(0)).toBe("0 records/s");
  });

  it("shows a dash for an unknown speed", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(Number.NaN)).toBe("—");
    expect(formatRate(-1)).toBe("—");
  });
});

describe("reportCounters", () => {
  it("picks the six counters of a report", () => {
    const report: RunReport = { runId: "r", status: "succeeded", read: 9, created: 1, updated: 2, skipped: 6, failed: 0, conflicts: 0, calls: 3, message: "", plan: [] };
    expect(reportCounters(report)).toEqual({ read: 9, created: 1, updated: 2, skipped: 6, failed: 0, calls: 3 });
  });
});

describe("planCounts", () => {
  it("counts each action", () => {
    const record = (action: PlannedRecord["action"]): PlannedRecord => ({ sourceId: "s", targetId: null, action, changes: [], error: null });
    expect(planCounts([record("create"), record("create"), record("skip"), record("fail")])).toEqual({ create: 2, update: 0, skip: 1, fail: 1 });
    expect(planCounts([])).toEqual({ create: 0, update: 0, skip: 0, fail: 0 });
  });
});

describe("prettyPayload", () => {
  it("indents JSON and leaves other text as it is", () => {
    expect(prettyPayload('{"a":1,"b":["x"]}')).toBe('{\n  "a": 1,\n  "b": [\n    "x"\n  ]\n}');
    expect(prettyPayload("not json {")).toBe("not json {");
  });
});

describe("hasOpenErrors", () => {
  it("is true only while an error is still open", () => {
    const error = (status: RecordErrorView["status"]): RecordErrorView => ({ id: 1, side: "target", recordId: "1", code: "x", message: "m", payload: null, status, createdAt: 0 });
    expect(hasOpenErrors([error("resolved"), error("open")])).toBe(true);
    expect(hasOpenErrors([error("resolved"), error("retrying")])).toBe(false);
    expect(hasOpenErrors([])).toBe(false);
  });
});

describe("debounce", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("calls once with the last arguments after the quiet period, and cancel drops the call", () => {
    vi.useFakeTimers();
    const fn = vi.fn();
    const call = debounce(fn, 300);
    call("a");
    vi.advanceTimersByTime(200);
    call("ab");
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledOnce();
    expect(fn).toHaveBeenCalledWith("ab");

    call("abc");
    call.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).toHaveBeenCalledOnce();
  });
});
