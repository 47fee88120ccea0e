// Which badge colour each status gets. Colour only repeats what the badge's
// text already says, so nobody has to tell green from red.
import type { CircuitState, ConnectionStatus, Environment, HealthStatus, RunStatus, Severity } from "./backend";

export type Tone = "success" | "warning" | "danger" | "info" | "neutral" | "accent";

export const CONNECTION_TONES: Record<ConnectionStatus, Tone> = {
  connected: "success",
  needs_reconnect: "warning",
  disconnected: "neutral",
  error: "danger",
};

export const RUN_TONES: Record<RunStatus, Tone> = {
  queued: "neutral",
  running: "info",
  succeeded: "success",
  partial: "warning",
  failed: "danger",
  cancelled: "neutral",
};

export const HEALTH_TONES: Record<HealthStatus, Tone> = {
  healthy: "success",
  degraded: "warning",
  down: "danger",
  unknown: "neutral",
};

export const CIRCUIT_TONES: Record<CircuitState, Tone> = {
  closed: "success",
  half_open: "warning",
  open: "danger",
};

export const SEVERITY_TONES: Record<Severity, Tone> = {
  info: "info",
  warning: "warning",
  critical: "danger",
};

export const ENVIRONMENT_TONES: Record<Environment, Tone> = {
  sandbox: "neutral",
  production: "accent",
};
