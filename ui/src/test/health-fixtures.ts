// Health data for tests: a connection's health, series of any length, timeline runs, ticks.
import type {
  ConnectionHealth,
  ConnectionSeries,
  HealthRange,
  HealthSeries,
  HealthSettings,
  HealthTick,
  ProviderId,
  TimelineRun,
} from "../lib/backend";

export const CONNECTION_HEALTH: ConnectionHealth = {
  connectionId: "c1",
  label: "Acme Salesforce",
  provider: "salesforce",
  status: "healthy",
  statusReason: "99.2% of 1,200 requests succeeded in the last 15 minutes",
  requests: 1_200,
  successRate: 0.975,
  p95LatencyMs: null,
  cacheHitRate: 0.5,
  headroomPct: 0.42,
  quotaRemaining: 6_300,
  quotaTotal: 15_000,
  burstRemaining: null,
  burstTotal: null,
  lastError: null,
  tokenExpiresAt: null,
  circuitState: "half_open",
};

/** A connection's series of `n` buckets, every count `fill` (0 by default) and no rates. */
export function connectionSeries(id: string, n: number, fill = 0, provider: ProviderId = "salesforce"): ConnectionSeries {
  const counts = () => new Array<number>(n).fill(fill);
  const gaps = () => new Array<number | null>(n).fill(null);
  return {
    connectionId: id,
    label: `Connection ${id}`,
    provider,
    requests: counts(),
    ok: counts(),
    clientErrors: counts(),
    rateLimited: counts(),
    serverErrors: counts(),
    timeouts: counts(),
    retries: counts(),
    cacheHits: counts(),
    cacheMisses: counts(),
    successRate: gaps(),
    p50Ms: gaps(),
    p95Ms: gaps(),
    p99Ms: gaps(),
    limitUsed: gaps(),
  };
}

/** A series over `range` starting at `start` (epoch seconds) for the given connections. */
export function healthSeriesOf(range: HealthRange, connections: ConnectionSeries[], start = 1_700_000_000): HealthSeries {
  const bucketSecs = range === "7d" ? 300 : 60;
  const n = connections[0]?.requests.length ?? 0;
  return {
    range,
    bucketSecs,
    times: Array.from({ length: n }, (_, i) => start + i * bucketSecs),
    connections,
  };
}

export const TIMELINE_RUN: TimelineRun = {
  runId: "r1",
  mappingId: "m1",
  mappingName: "Contacts to HubSpot",
  status: "failed",
  trigger: "manual",
  startedAt: 1_700_000_000_000,
  finishedAt: 1_700_000_003_500,
  recordsRead: 1_500,
  recordsFailed: 8,
  message: "HubSpot refused the batch.",
};

export const HEALTH_SETTINGS: Required<HealthSettings> = {
  healthySuccessPct: 95,
  statusWindowMins: 15,
  downAfterFailedRuns: 3,
  rateLimitAlertPct: 80,
  errorSpikePct: 25,
  errorSpikeMinRequests: 20,
  cooldownMins: 30,
  alertDesktop: true,
  alertSlack: false,
  alertZapier: false,
};

export function tickOf(partial: Partial<HealthTick> = {}): HealthTick {
  return { at: Date.now(), statuses: [], changes: [], alerts: [], desktop: false, ...partial };
}
