// The Runs screen's pure logic: folding progress messages into live counters, the words
// a screen reader hears for them, a dry-run plan's totals, and error payloads made readable.
import type { Action, PlannedRecord, Progress, RecordErrorView, RunErrorStatus, RunReport, RunStatus, Side } from "./backend";
import { formatCount, MISSING } from "./format";

/** The counters a run reports, in the order the screen shows them. */
export const COUNTER_KEYS = ["read", "created", "updated", "skipped", "failed", "calls"] as const;
export type CounterKey = (typeof COUNTER_KEYS)[number];
export type Counters = Record<CounterKey, number>;

/** "skipped" is what a person calls unchanged: the mapped values equal the last synced ones. */
export const COUNTER_LABELS: Record<CounterKey, string> = {
  read: "Read",
  created: "Created",
  updated: "Updated",
  skipped: "Unchanged",
  failed: "Failed",
  calls: "API calls",
};

export const ACTION_LABELS: Record<Action, string> = {
  create: "Create",
  update: "Update",
  skip: "Unchanged",
  fail: "Fail",
};

export const ERROR_STATUS_LABELS: Record<RunErrorStatus, string> = {
  open: "Open",
  retrying: "Retrying",
  resolved: "Resolved",
};

export const SIDE_LABELS: Record<Side, string> = {
  source: "Source",
  target: "Target",
};

/** A run in flight as the screen sees it: its id once started, its counters once a page is done. */
export interface LiveRun {
  runId: string | null;
  counters: Counters;
  recordsPerSec: number | null;
  /** The status the `finished` message gave, before the report arrives. */
  finished: RunStatus | null;
}

export function zeroCounters(): Counters {
  return { read: 0, created: 0, updated: 0, skipped: 0, failed: 0, calls: 0 };
}

export function newLiveRun(): LiveRun {
  return { runId: null, counters: zeroCounters(), recordsPerSec: null, finished: null };
}

/** The live run after one progress message; never mutates `live`. */
export function applyProgress(live: LiveRun, progress: Progress): LiveRun {
  switch (progress.event) {
    case "started":
      return { ...live, runId: progress.data.runId };
    case "page": {
      const { recordsPerSec, ...counters } = progress.data;
      return { ...live, counters, recordsPerSec: recordsPerSec ?? live.recordsPerSec };
    }
    case "finished":
      return { ...live, finished: progress.data.status };
  }
}

/** A finished run's counters, taken from its report. */
export function reportCounters(report: RunReport): Counters {
  const { read, created, updated, skipped, failed, calls } = report;
  return { read, created, updated, skipped, failed, calls };
}

/** What a screen reader hears for an indeterminate progress bar: the counts so far. */
export function progressText(counters: Counters): string {
  if (counters.read === 0 && counters.calls === 0) return "Starting…";
  return `${formatCount(counters.read)} read, ${formatCount(counters.created)} created, ${formatCount(
    counters.updated,
  )} updated, ${formatCount(counters.skipped)} unchanged, ${formatCount(counters.failed)} failed`;
}

/** 12.34 → "12 records/s"; below 10, one decimal; unknown → "—". */
export function formatRate(recordsPerSec: number | null | undefined): string {
  if (typeof recordsPerSec !== "number" || !Number.isFinite(recordsPerSec) || recordsPerSec < 0) return MISSING;
  const shown = recordsPerSec < 10 ? Math.round(recordsPerSec * 10) / 10 : Math.round(recordsPerSec);
  return `${shown.toLocaleString("en-US")} records/s`;
}

/** How many planned records take each action. */
export function planCounts(plan: readonly PlannedRecord[]): Record<Action, number> {
  const counts: Record<Action, number> = { create: 0, update: 0, skip: 0, fail: 0 };
  for (const record of plan) counts[record.action] += 1;
  return counts;
}

/** A payload's JSON indented for reading; text that is not JSON comes back as it is. */
export function prettyPayload(payload: string): string {
  try {
    return JSON.stringify(JSON.parse(payload), null, 2);
  } catch {
    return payload;
  }
}

/** Whether any error of a run is still open, so retrying it would do something. */
export function hasOpenErrors(errors: readonly RecordErrorView[]): boolean {
  return errors.some((e) => e.status === "open");
}

/** Calls `fn` once `ms` have passed without another call; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const call = (...args: A) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  call.cancel = () => clearTimeout(timer);
  return call;
}
