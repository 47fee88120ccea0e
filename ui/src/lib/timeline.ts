// The Health run timeline's geometry: the range's time span (bucket-aligned like the
// engine's series), one lane per mapping, each run placed as a share of the span.
import type { HealthRange, TimelineRun } from "./backend";
import { RUN_STATUS_LABELS, RUN_TRIGGER_LABELS, formatCount, formatDateTime, formatElapsed } from "./format";
import { rangeOption } from "./health-series";

const MINUTE_MS = 60_000;

/** `[from, to)` in epoch ms: up to and including the bucket that holds `now`, as the engine does. */
export function rangeBounds(range: HealthRange, now: number): { from: number; to: number } {
  const bucket = range === "7d" ? 5 * MINUTE_MS : MINUTE_MS;
  const to = (Math.floor(now / bucket) + 1) * bucket;
  return { from: to - rangeOption(range).secs * 1000, to };
}

export interface PlacedRun {
  run: TimelineRun;
  /** Start and width as percentages of the span (clipped to it). */
  left: number;
  width: number;
}

export interface Lane {
  mappingId: string;
  mappingName: string;
  runs: PlacedRun[];
}

/** Runs by mapping (lanes in order of first run), placed on `[from, to)`; a run still going ends at `now`. */
export function timelineLanes(runs: readonly TimelineRun[], from: number, to: number, now: number): Lane[] {
  const span = Math.max(1, to - from);
  const lanes = new Map<string, Lane>();
  for (const run of runs) {
    const start = Math.max(from, run.startedAt);
    const end = Math.min(to, Math.max(start, run.finishedAt ?? now));
    let lane = lanes.get(run.mappingId);
    if (!lane) {
      lane = { mappingId: run.mappingId, mappingName: run.mappingName || "Deleted mapping", runs: [] };
      lanes.set(run.mappingId, lane);
    }
    lane.runs.push({ run, left: ((start - from) / span) * 100, width: ((end - start) / span) * 100 });
  }
  return [...lanes.values()];
}

/** A run in one line: "Contacts: Failed · Started by hand · 3 Mar, 14:02 · 1,500 read, 8 failed · took 3.5 s". */
export function describeRun(run: TimelineRun): string {
  const parts = [
    RUN_STATUS_LABELS[run.status],
    RUN_TRIGGER_LABELS[run.trigger],
    formatDateTime(run.startedAt),
    `${formatCount(run.recordsRead)} read, ${formatCount(run.recordsFailed)} failed`,
    run.finishedAt === null ? "still running" : `took ${formatElapsed(run.startedAt, run.finishedAt)}`,
  ];
  return `${run.mappingName || "Deleted mapping"}: ${parts.join(" · ")}`;
}
