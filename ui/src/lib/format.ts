// Display helpers shared by the screens. Every helper shows a missing value as
// an em dash, so a screen never prints "null", "NaN" or "undefined".
import type {
  AuthKind,
  CircuitState,
  ConnectionStatus,
  Environment,
  ErrorCode,
  HealthStatus,
  KeySource,
  RunStatus,
  RunTrigger,
  Severity,
  SyncDirection,
} from "./backend";

export const MISSING = "—";

type Maybe<T> = T | null | undefined;

const isNumber = (value: Maybe<number>): value is number =>
  typeof value === "number" && Number.isFinite(value);

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

/** 1234 → "1,234". */
export function formatCount(value: Maybe<number>): string {
  return isNumber(value) ? integer.format(value) : MISSING;
}

/** A fraction 0..1 → "98.8%"; never rounds a value below 1 up to "100%". */
export function formatPercent(fraction: Maybe<number>): string {
  if (!isNumber(fraction)) return MISSING;
  const pct = fraction * 100;
  const shown = pct < 100 && pct > 99.9 ? 99.9 : pct;
  return `${oneDecimal.format(shown)}%`;
}

/** Milliseconds → "420 ms", "4.2 s", "3 min 5 s", "2 h 3 min". */
export function formatDuration(ms: Maybe<number>): string {
  if (!isNumber(ms) || ms < 0) return MISSING;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const secs = ms / 1000;
  if (secs < 60) return `${oneDecimal.format(Math.floor(secs * 10) / 10)} s`;
  const totalSecs = Math.floor(secs);
  const hours = Math.floor(totalSecs / 3600);
  const mins = Math.floor((totalSecs % 3600) / 60);
  const rest = totalSecs % 60;
  if (hours === 0) return rest === 0 ? `${mins} min` : `${mins} min ${rest} s`;
  return mins === 0 ? `${hours} h` : `${hours} h ${mins} min`;
}

/** A latency in milliseconds: "87 ms", "1.3 s". */
export function formatLatency(ms: Maybe<number>): string {
  if (!isNumber(ms) || ms < 0) return MISSING;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${oneDecimal.format(ms / 1000)} s`;
}

/** The time between two epoch-ms timestamps; missing while unfinished. */
export function formatElapsed(startedAt: number, finishedAt: Maybe<number>): string {
  return isNumber(finishedAt) ? formatDuration(finishedAt - startedAt) : MISSING;
}

const relative = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["minute", 60],
  ["hour", 60],
  ["day", 24],
  ["week", 7],
];

/** Epoch ms → "just now", "5 minutes ago", "yesterday", "in 2 hours"; past a month, a date. */
export function formatRelative(timestamp: Maybe<number>, now: number = Date.now()): string {
  if (!isNumber(timestamp)) return MISSING;
  const diffSecs = (timestamp - now) / 1000;
  if (Math.abs(diffSecs) < 45) return "just now";
  let value = diffSecs / 60;
  for (let i = 0; i < STEPS.length; i++) {
    const [unit] = STEPS[i];
    const next = STEPS[i + 1];
    if (!next || Math.abs(Math.round(value)) < next[1]) {
      if (unit === "week" && Math.abs(value) > 4) break;
      return relative.format(Math.round(value), unit);
    }
    value /= next[1];
  }
  return formatDateTime(timestamp);
}

/** Epoch ms → a full local date and time, for tooltips and past-a-month dates. */
export function formatDateTime(timestamp: Maybe<number>): string {
  if (!isNumber(timestamp)) return MISSING;
  return new Date(timestamp).toLocaleString(undefined, {
    dateStyle: "medium",
    timeStyle: "short",
  });
}

/** A missing or blank string → "—". */
export function orMissing(value: Maybe<string>): string {
  return value && value.trim().length > 0 ? value : MISSING;
}

/** "1 connection", "2 connections". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}

const AUTH_LABELS: Record<AuthKind, string> = {
  oauth_loopback: "Sign in with browser",
  oauth_paste_redirect: "Sign in with browser",
  pasted_token: "Paste a token",
  hook_url: "Paste a hook URL",
};

/** How a provider connects, deduplicated, in the order the provider lists them. */
export function describeAuthKinds(kinds: readonly AuthKind[]): string[] {
  return [...new Set(kinds.map((kind) => AUTH_LABELS[kind]))];
}

export const CONNECTION_STATUS_LABELS: Record<ConnectionStatus, string> = {
  connected: "Connected",
  needs_reconnect: "Needs reconnect",
  disconnected: "Disconnected",
  error: "Error",
};

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Succeeded",
  partial: "Partial",
  failed: "Failed",
  cancelled: "Cancelled",
};

export const HEALTH_STATUS_LABELS: Record<HealthStatus, string> = {
  healthy: "Healthy",
  degraded: "Degraded",
  down: "Down",
  unknown: "Unknown",
};

export const RUN_TRIGGER_LABELS: Record<RunTrigger, string> = {
  manual: "Started by hand",
  cli: "Started from the command line",
  webhook: "Started by a webhook",
  retry: "Retry of failed records",
  resume: "Resumed",
};

export const CIRCUIT_LABELS: Record<CircuitState, string> = {
  closed: "Closed",
  open: "Open",
  half_open: "Half-open",
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  info: "Info",
  warning: "Warning",
  critical: "Critical",
};

export const ENVIRONMENT_LABELS: Record<Environment, string> = {
  sandbox: "Sandbox",
  production: "Production",
};

export const DIRECTION_LABELS: Record<SyncDirection, string> = {
  one_way: "One way",
  two_way: "Two way",
};

export const KEY_SOURCE_LABELS: Record<KeySource, string> = {
  keychain: "OS keychain",
  key_file: "Key file beside the database",
};

const ERROR_HINTS: Record<ErrorCode, string> = {
  validation: "Something in the request was not accepted.",
  not_found: "It may have been removed in the meantime.",
  auth_expired: "The account's sign-in has expired and needs to be renewed.",
  rate_limited: "The provider asked us to slow down. Wait a moment before trying again.",
  conflict: "Something changed at the same time. Reload and try again.",
  unavailable: "A service Switchyard depends on did not answer.",
  storage: "The local database could not be read or written.",
  internal: "Something unexpected went wrong inside Switchyard.",
  untrusted_host: "The provider pointed Switchyard at an address it does not trust, so nothing was sent there.",
};

/** A one-line explanation of an error code, for error panels. */
export function describeErrorCode(code: ErrorCode): string {
  return ERROR_HINTS[code];
}
