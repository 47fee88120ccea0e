// The dashboard's headline numbers, in display order, ready for <Tile>.
import type { HealthSummary } from "./backend";
import { formatCount, formatLatency, formatPercent } from "./format";

export interface TileModel {
  /** Stable key: the tile's test id is `tile-<key>`. */
  key: string;
  label: string;
  value: string;
  hint?: string;
}

export function healthTiles(summary: HealthSummary): TileModel[] {
  return [
    { key: "requests", label: "Requests", value: formatCount(summary.requests) },
    { key: "success-rate", label: "Success rate", value: formatPercent(summary.successRate) },
    { key: "p50-latency", label: "Latency p50", value: formatLatency(summary.p50LatencyMs) },
    { key: "p95-latency", label: "Latency p95", value: formatLatency(summary.p95LatencyMs) },
    { key: "errors", label: "Errors", value: formatCount(summary.errors) },
    { key: "rate-limited", label: "Rate-limited", value: formatCount(summary.rateLimited) },
    {
      key: "cache-hit-rate",
      label: "Cache hit rate",
      value: formatPercent(summary.cacheHitRate),
      hint: `${formatCount(summary.cacheHits)} hits, ${formatCount(summary.cacheMisses)} misses`,
    },
    { key: "open-alerts", label: "Open alerts", value: formatCount(summary.openAlerts) },
  ];
}
