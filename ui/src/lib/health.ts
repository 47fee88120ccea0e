// The dashboard's words and numbers, ready for the components: the headline tiles, each
// connection's facts, the live statuses of a tick laid over the last summary, alert kinds.
import type { AlertItem, ConnectionHealth, HealthSummary, HealthTick, WebhookStats } from "./backend";
import { formatCount, formatLatency, formatPercent, formatRelative, plural } from "./format";

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
    {
      key: "avg-latency",
      label: "Average latency",
      value: formatLatency(summary.avgLatencyMs),
      hint: `p50 ${formatLatency(summary.p50LatencyMs)}`,
    },
    {
      key: "p95-latency",
      label: "Latency p95",
      value: formatLatency(summary.p95LatencyMs),
      hint: `p99 ${formatLatency(summary.p99LatencyMs)}`,
    },
    { key: "errors", label: "Errors", value: formatCount(summary.errors) },
    { key: "rate-limited", label: "Rate-limited", value: formatCount(summary.rateLimited) },
    {
      key: "cache-hit-rate",
      label: "Cache hit rate",
      value: formatPercent(summary.cacheHitRate),
      hint: `${formatCount(summary.cacheHits)} hits, ${formatCount(summary.cacheMisses)} misses`,
    },
    { key: "open-alerts", label: "Open alerts", value: formatCount(summary.openAlerts) },
    { key: "services", label: "Services", value: formatCount(summary.services), hint: "Kinds of account connected" },
    { key: "active-connections", label: "Connections", value: formatCount(summary.activeConnections) },
  ];
}

/** Webhook deliveries over the window: verified events, with refusals and repeats as the hint. */
export function webhookTile(stats: WebhookStats): TileModel {
  const off = stats.receiver === "off" && stats.received === 0 && stats.rejected === 0;
  return {
    key: "webhooks",
    label: "Webhooks received",
    value: off ? "Off" : formatCount(stats.received),
    hint: off
      ? "The receiver is off (Settings → Webhooks)"
      : `${formatCount(stats.rejected)} refused, ${formatCount(stats.duplicates)} repeats, ${formatCount(stats.pending)} waiting`,
  };
}

/**
 * The summary's connections with the statuses of a newer tick laid over them, so a change
 * shows at once, before the next summary arrives. A tick older than the summary is ignored.
 */
export function withLiveStatuses(
  connections: readonly ConnectionHealth[],
  tick: HealthTick | null,
  summaryAt: number,
): ConnectionHealth[] {
  if (!tick || tick.at < summaryAt) return [...connections];
  const live = new Map(tick.statuses.map((s) => [s.connectionId, s]));
  return connections.map((c) => {
    const now = live.get(c.connectionId);
    return now ? { ...c, status: now.status, statusReason: now.reason } : c;
  });
}

/** "1,200 of 15,000 (8%)"; says so without a reading. */
export function headroomText(c: Pick<ConnectionHealth, "quotaRemaining" | "quotaTotal" | "headroomPct">): string {
  if (c.quotaRemaining !== null && c.quotaTotal !== null) {
    const pct = c.headroomPct ?? (c.quotaTotal > 0 ? c.quotaRemaining / c.quotaTotal : null);
    return `${formatCount(c.quotaRemaining)} of ${formatCount(c.quotaTotal)} (${formatPercent(pct)})`;
  }
  return c.headroomPct !== null ? formatPercent(c.headroomPct) : "No reading yet";
}

/** HubSpot's short window: "92 of 100"; null when the provider does not report one. */
export function burstText(c: Pick<ConnectionHealth, "burstRemaining" | "burstTotal">): string | null {
  if (c.burstRemaining === null || c.burstTotal === null) return null;
  return `${formatCount(c.burstRemaining)} of ${formatCount(c.burstTotal)}`;
}

/** "Expires in 3 hours", "Expired 2 minutes ago", or that the provider did not say. */
export function tokenExpiryText(expiresAt: number | null, now: number = Date.now()): string {
  if (expiresAt === null) return "Not reported";
  const when = formatRelative(expiresAt, now);
  return expiresAt > now ? `Expires ${when}` : `Expired ${when}`;
}

const ALERT_KINDS: Record<string, string> = {
  status: "Status change",
  run_failed: "Run failed",
  rate_limit: "Rate limit",
  error_spike: "Error spike",
  auth_failed: "Sign-in refused",
  notification_failed: "Notification not delivered",
};

/** An alert kind in words; an unknown kind reads as itself. */
export function alertKindLabel(kind: string): string {
  return ALERT_KINDS[kind] ?? kind.replaceAll("_", " ").replace(/^./, (c) => c.toUpperCase());
}

/** "Seen 3 times, last 5 minutes ago"; once: "". */
export function occurrencesText(alert: Pick<AlertItem, "occurrences" | "lastSeenAt">, now: number = Date.now()): string {
  if (alert.occurrences <= 1) return "";
  return `Seen ${plural(alert.occurrences, "time")}, last ${formatRelative(alert.lastSeenAt, now)}`;
}

/** Where an alert stands: resolved beats acknowledged beats open. */
export function alertState(alert: Pick<AlertItem, "acknowledgedAt" | "resolvedAt">): "open" | "acknowledged" | "resolved" {
  if (alert.resolvedAt !== null) return "resolved";
  return alert.acknowledgedAt !== null ? "acknowledged" : "open";
}
