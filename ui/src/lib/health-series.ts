// The Health charts' data, shaped from the engine's series: pure functions from
// `HealthSeries` to one model per chart (lines aligned with the bucket times, as uPlot
// wants them), plus the words a screen reader gets instead of the picture.
//
// The engine sends one series per connection. The overview adds counts up over
// connections; a rate is recomputed from the sums (never averaged), and a bucket without
// requests has no rate at all (null: a gap in the line, not a drop to 0 %). Latency
// percentiles cannot be added up, so the overview shows the worst connection per bucket.
import type { ConnectionSeries, HealthRange, HealthSeries } from "./backend";
import { formatCount, formatLatency, formatPercent } from "./format";

export type Values = (number | null)[];
/** What a chart's y axis counts. Percent values are 0..100. */
export type Unit = "count" | "percent" | "ms";
/** How the text alternative sums a line up: its total, or its lowest or highest point. */
export type Gist = "total" | "lowest" | "highest";

export interface ChartLine {
  label: string;
  /** A CSS custom property (`--chart-1`): the chart reads it from the current theme. */
  color: string;
  values: Values;
}

export interface ChartModel {
  /** Stable key: the chart's test id is `chart-<key>`. */
  key: string;
  title: string;
  unit: Unit;
  gist: Gist;
  /** Bucket starts in epoch seconds. */
  x: number[];
  lines: ChartLine[];
}

/** uPlot's data shape: the x values, then one array per line. */
export type AlignedData = [number[], ...Values[]];

export interface RangeOption {
  value: HealthRange;
  label: string;
  /** The same span in seconds, for the summary's window. */
  secs: number;
  /** "the last hour", for sentences. */
  words: string;
}

export const RANGES: readonly RangeOption[] = [
  { value: "15m", label: "15 min", secs: 15 * 60, words: "the last 15 minutes" },
  { value: "1h", label: "1 hour", secs: 60 * 60, words: "the last hour" },
  { value: "24h", label: "24 hours", secs: 24 * 60 * 60, words: "the last 24 hours" },
  { value: "7d", label: "7 days", secs: 7 * 24 * 60 * 60, words: "the last 7 days" },
];

export const DEFAULT_RANGE: HealthRange = "1h";

/** The range last chosen on Health, kept while the window lives (leaving Health and coming back keeps it). */
let chosenRange: HealthRange = DEFAULT_RANGE;

export function lastRange(): HealthRange {
  return chosenRange;
}

export function rememberRange(range: HealthRange): void {
  chosenRange = range;
}

export function rangeOption(range: HealthRange): RangeOption {
  return RANGES.find((r) => r.value === range) ?? RANGES[1];
}

/** Colours for one line per connection, in order (cycled past six). */
export const CONNECTION_COLORS = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5", "--chart-6"];

const colorAt = (i: number) => CONNECTION_COLORS[i % CONNECTION_COLORS.length];

/** Per-bucket sum of one count over all connections. */
export function sumOver(connections: readonly ConnectionSeries[], pick: (c: ConnectionSeries) => readonly number[], n: number): number[] {
  const out = new Array<number>(n).fill(0);
  for (const c of connections) {
    const values = pick(c);
    const m = Math.min(n, values.length);
    for (let i = 0; i < m; i++) out[i] += values[i] ?? 0;
  }
  return out;
}

/** part / whole per bucket as a percentage; null where whole is 0 (nothing to judge by). */
export function percentOf(part: readonly number[], whole: readonly number[]): Values {
  return whole.map((w, i) => (w > 0 ? ((part[i] ?? 0) / w) * 100 : null));
}

/** The largest value per bucket over several lines, ignoring gaps; null where all are gaps. */
export function worstOf(lines: readonly (readonly (number | null)[])[], n: number): Values {
  const out: Values = new Array<number | null>(n).fill(null);
  for (const line of lines) {
    const m = Math.min(n, line.length);
    for (let i = 0; i < m; i++) {
      const v = line[i];
      if (v === null || v === undefined) continue;
      const cur = out[i];
      out[i] = cur === null || v > cur ? v : cur;
    }
  }
  return out;
}

/** Fractions 0..1 as percentages 0..100, gaps kept. */
export function asPercent(values: readonly (number | null)[]): Values {
  return values.map((v) => (v === null ? null : v * 100));
}

const ERROR_CLASSES: readonly { label: string; color: string; pick: (c: ConnectionSeries) => number[] }[] = [
  { label: "4xx refused", color: "--warning", pick: (c) => c.clientErrors },
  { label: "429 rate limited", color: "--info", pick: (c) => c.rateLimited },
  { label: "5xx server errors", color: "--danger", pick: (c) => c.serverErrors },
  { label: "Timeouts", color: "--chart-5", pick: (c) => c.timeouts },
];

const PERCENTILES = [
  { name: "p50", color: "--chart-1", pick: (c: ConnectionSeries) => c.p50Ms },
  { name: "p95", color: "--warning", pick: (c: ConnectionSeries) => c.p95Ms },
  { name: "p99", color: "--danger", pick: (c: ConnectionSeries) => c.p99Ms },
];

/**
 * The five Health charts for `series`. With `one` (a drill-down) the lines are that
 * connection's own; otherwise counts are summed over connections, the success rate is
 * sum(ok) / sum(requests), and latency is the worst connection of each bucket.
 */
export function healthCharts(series: HealthSeries, one = false): ChartModel[] {
  const x = series.times;
  const n = x.length;
  const conns = series.connections;
  const requests = sumOver(conns, (c) => c.requests, n);
  const ok = sumOver(conns, (c) => c.ok, n);
  const scopeLabel = one && conns.length === 1 ? conns[0].label : "All connections";

  return [
    {
      key: "requests",
      title: "Requests",
      unit: "count",
      gist: "total",
      x,
      lines: conns.map((c, i) => ({ label: c.label, color: colorAt(i), values: c.requests.slice(0, n) })),
    },
    {
      key: "success-rate",
      title: "Success rate",
      unit: "percent",
      gist: "lowest",
      x,
      lines: [{ label: scopeLabel, color: "--success", values: percentOf(ok, requests) }],
    },
    {
      key: "latency",
      title: "Latency",
      unit: "ms",
      gist: "highest",
      x,
      lines: PERCENTILES.map((p) => ({
        label: one ? p.name : `${p.name} (worst connection)`,
        color: p.color,
        values: worstOf(conns.map(p.pick), n),
      })),
    },
    {
      key: "errors",
      title: "Errors by class",
      unit: "count",
      gist: "total",
      x,
      lines: ERROR_CLASSES.map((e) => ({ label: e.label, color: e.color, values: sumOver(conns, e.pick, n) })),
    },
    {
      key: "rate-limit",
      title: "Rate-limit use",
      unit: "percent",
      gist: "highest",
      x,
      lines: conns.map((c, i) => ({
        label: `${c.label} quota used`,
        color: colorAt(i),
        values: asPercent(c.limitUsed.slice(0, n)),
      })),
    },
  ];
}

/** The model as uPlot's columns. */
export function alignedData(model: ChartModel): AlignedData {
  return [model.x, ...model.lines.map((l) => l.values)];
}

/** A value of `unit` in words: "1,204", "97.5%", "320 ms". */
export function formatValue(unit: Unit, value: number | null | undefined): string {
  if (unit === "count") return formatCount(value);
  if (unit === "percent") return formatPercent(value === null || value === undefined ? null : value / 100);
  return formatLatency(value);
}

/** A bucket start (epoch seconds) as a short local time; with the weekday over 7 days. */
export function formatBucketTime(secs: number, range: HealthRange): string {
  const options: Intl.DateTimeFormatOptions =
    range === "7d" ? { weekday: "short", hour: "2-digit", minute: "2-digit" } : { hour: "2-digit", minute: "2-digit" };
  return new Date(secs * 1000).toLocaleString(undefined, options);
}

function extreme(values: Values, lowest: boolean): { value: number; at: number } | null {
  let best: { value: number; at: number } | null = null;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null) continue;
    if (best === null || (lowest ? v < best.value : v > best.value)) best = { value: v, at: i };
  }
  return best;
}

function latest(values: Values): number | null {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null) return values[i];
  return null;
}

/** One line summed up in words, the way the chart's gist asks. */
export function describeLine(model: ChartModel, line: ChartLine, range: HealthRange): string {
  const fmt = (v: number | null) => formatValue(model.unit, v);
  const when = (i: number) => formatBucketTime(model.x[i], range);
  if (model.gist === "total") {
    const total = line.values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
    if (total === 0) return `${line.label}: none`;
    const peak = extreme(line.values, false)!;
    return `${line.label}: ${fmt(total)} in total, at most ${fmt(peak.value)} at ${when(peak.at)}`;
  }
  const point = extreme(line.values, model.gist === "lowest");
  if (point === null) return `${line.label}: no data`;
  const word = model.gist === "lowest" ? "lowest" : "highest";
  return `${line.label}: ${word} ${fmt(point.value)} at ${when(point.at)}, latest ${fmt(latest(line.values))}`;
}

/** The chart's text alternative: "Requests over the last hour: Acme: 1,204 in total, …". */
export function describeChart(model: ChartModel, range: HealthRange): string {
  const head = `${model.title} over ${rangeOption(range).words}`;
  if (model.lines.length === 0) return `${head}: no connections.`;
  return `${head}: ${model.lines.map((l) => describeLine(model, l, range)).join("; ")}.`;
}

export interface TableRow {
  time: number;
  cells: Values;
}

/**
 * The chart as table rows for its "Show data" view: newest first, only buckets that hold
 * something (a count above 0, or any value for rates and latency), at most `limit`.
 * `total` says how many such buckets there are.
 */
export function tableRows(model: ChartModel, limit: number): { rows: TableRow[]; total: number } {
  const rows: TableRow[] = [];
  let total = 0;
  for (let i = model.x.length - 1; i >= 0; i--) {
    const cells = model.lines.map((l) => l.values[i] ?? null);
    const holds = cells.some((v) => v !== null && (model.unit !== "count" || v > 0));
    if (!holds) continue;
    total += 1;
    if (rows.length < limit) rows.push({ time: model.x[i], cells });
  }
  return { rows, total };
}
