// The one door to the Rust back end. Components call these functions and get
// plain data or a thrown BackendError; they never see IPC, `Result` objects or
// the generated bindings, so a regenerated bindings file touches only this module.
import { Channel } from "@tauri-apps/api/core";
import { openUrl } from "@tauri-apps/plugin-opener";
import { commands, events } from "../bindings";
import type {
  Backoff,
  Environment,
  ErrorCode,
  ExportFormat,
  HealthRange,
  HealthSettings,
  HealthTick,
  IpcError,
  MappingDraft,
  NotificationSettings,
  Progress,
  ProviderId,
  ProviderLimits,
  Theme,
  Keep,
  UiMarks,
  WebhookSettings,
} from "../bindings";

type Result<T, E> = { status: "ok"; data: T } | { status: "error"; error: E };

export type {
  Action,
  AlertItem,
  AppCredentials,
  AppInfo,
  AuthKind,
  Backoff,
  CircuitState,
  ConnectionHealth,
  ConnectionSeries,
  ConnectionStatusNow,
  ConnectionStatus,
  ConnectionSummary,
  Environment,
  ErrorCode,
  ExportFormat,
  HealthRange,
  HealthSeries,
  HealthSettings,
  HealthStatus,
  HealthSummary,
  HealthTick,
  LastError,
  KeySource,
  LinkView,
  ConflictPolicy,
  DeletePolicy,
  FieldChange,
  Keep,
  FieldRule,
  FieldSpec,
  FieldType,
  MappingDetail,
  MappingDraft,
  MappingPreview,
  MappingSummary,
  MatchKind,
  MatchRule,
  NamePart,
  NotificationSettings,
  ObjectSpec,
  ObjectSummary,
  Otherwise,
  PicklistOption,
  PlannedRecord,
  PreviewCell,
  PreviewRecord,
  Problem,
  Progress,
  Rounding,
  Step,
  SuggestedMapping,
  SyncRule,
  TimelineRun,
  PendingConnect,
  Preferences,
  ProviderId,
  ProviderInfo,
  RecordErrorView,
  RunDetail,
  RunErrorStatus,
  RunReport,
  RunStatus,
  RunSummary,
  RunTrigger,
  SavedExport,
  Severity,
  Side,
  StatusChange,
  SyncDirection,
  Theme,
  UiMarks,
  GeneratedSecret,
  GenericEndpoint,
  HubspotSignature,
  ProviderEndpoint,
  ProviderLimits,
  ReceiverState,
  ReceiverStatus,
  WebhookSettings,
  WebhookStats,
  WebhookView,
} from "../bindings";

const ERROR_CODES: readonly ErrorCode[] = [
  "validation",
  "not_found",
  "auth_expired",
  "rate_limited",
  "conflict",
  "unavailable",
  "storage",
  "internal",
  "untrusted_host",
];

/** An error from the back end, with a stable code the UI can branch on. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackendError";
    this.code = code;
  }
}

function isIpcError(value: unknown): value is IpcError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && typeof message === "string";
}

/** Turns anything a command rejected with into a BackendError. */
export function toBackendError(error: unknown): BackendError {
  if (error instanceof BackendError) return error;
  if (isIpcError(error)) {
    const code = (ERROR_CODES as readonly string[]).includes(error.code) ? error.code : "internal";
    return new BackendError(code, error.message);
  }
  if (error instanceof Error) return new BackendError("internal", error.message, { cause: error });
  if (typeof error === "string" && error.length > 0) return new BackendError("internal", error);
  return new BackendError("internal", "The back end failed without saying why.", { cause: error });
}

async function unwrap<T>(call: () => Promise<Result<T, IpcError>>): Promise<T> {
  let result: Result<T, IpcError>;
  try {
    result = await call();
  } catch (error) {
    throw toBackendError(error);
  }
  if (result.status === "ok") return result.data;
  throw toBackendError(result.error);
}

async function plain<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toBackendError(error);
  }
}

export const listProviders = () => plain(() => commands.listProviders());
export const listConnections = () => unwrap(() => commands.listConnections());
export const listMappings = () => unwrap(() => commands.listMappings());
export const listRuns = (limit: number) => unwrap(() => commands.listRuns(limit));

/** A Channel that hands each progress message to `onProgress`. */
const progressChannel = (onProgress: (progress: Progress) => void) => new Channel<Progress>(onProgress);

/**
 * Runs a mapping (or only plans it, `dryRun`), reading everything when `full`; progress
 * arrives on `onProgress` after every page, and the promise resolves with the report.
 */
export const startRun = (mappingId: string, dryRun: boolean, full: boolean, onProgress: (progress: Progress) => void) =>
  unwrap(() => commands.startRun(mappingId, dryRun, full, progressChannel(onProgress)));
/** Asks a run to stop at its next page boundary; its startRun promise then resolves. */
export const cancelRun = async (runId: string): Promise<void> => {
  await unwrap(() => commands.cancelRun(runId));
};
/** A run with its counters and per-record errors. */
export const getRun = (runId: string) => unwrap(() => commands.getRun(runId));

/** Settles a queued two-way conflict by keeping one side's value (written to the other now). */
export const resolveConflict = async (errorId: number, keep: Keep): Promise<void> => {
  await unwrap(() => commands.resolveConflict(errorId, keep));
};
/** Runs a mapping again for only its records with open errors; progress as in startRun. */
export const retryFailed = (mappingId: string, onProgress: (progress: Progress) => void) =>
  unwrap(() => commands.retryFailed(mappingId, progressChannel(onProgress)));
/** The identity map of a mapping: pairs whose ids contain `query` (all when empty), at most `limit` (≤ 200). */
export const listLinks = (mappingId: string, query: string, limit: number) =>
  unwrap(() => commands.listLinks(mappingId, query, limit));
/** Forgets a pair; the next run matches that source record again. */
export const unlink = async (mappingId: string, sourceId: string): Promise<void> => {
  await unwrap(() => commands.unlink(mappingId, sourceId));
};
/** Pairs two records by hand. */
export const pinLink = async (mappingId: string, sourceId: string, targetId: string): Promise<void> => {
  await unwrap(() => commands.pinLink(mappingId, sourceId, targetId));
};
export const healthSummary = (windowSecs: number) =>
  unwrap(() => commands.healthSummary(windowSecs));
export const listAlerts = (includeAcknowledged: boolean) =>
  unwrap(() => commands.listAlerts(includeAcknowledged));
/** The charts' buckets over `range` (1-minute points up to 24 h, 5-minute for 7 d), for all connections or one. */
export const healthSeries = (range: HealthRange, connectionId: string | null) =>
  unwrap(() => commands.healthSeries(range, connectionId));
/** Runs started in `range`, oldest first. */
export const healthTimeline = (range: HealthRange) => unwrap(() => commands.healthTimeline(range));
/** Every alert seen in `range` (open, acknowledged or resolved), newest first. */
export const alertHistory = (range: HealthRange) => unwrap(() => commands.alertHistory(range));
/** Health thresholds and where alerts go. */
export const healthSettings = () => unwrap(() => commands.healthSettings());
/** Saves them; the engine refuses (code "validation") values out of range. */
export const setHealthSettings = (settings: HealthSettings) => unwrap(() => commands.setHealthSettings(settings));
/** Provider limits the reference leaves unconfirmed: HubSpot's search pace. */
export const providerLimits = () => unwrap(() => commands.providerLimits());
/** Saves them; the engine refuses (code "validation") a pace outside 1–100 per second. */
export const setProviderLimits = (limits: ProviderLimits) => unwrap(() => commands.setProviderLimits(limits));
/** Saves the charts' data over `range` as a file; resolves with where and how many rows. */
export const exportHealth = (range: HealthRange, format: ExportFormat) =>
  unwrap(() => commands.exportHealth(range, format));
/** Saves the runs started in `range` as a file. */
export const exportRuns = (range: HealthRange, format: ExportFormat) => unwrap(() => commands.exportRuns(range, format));
/** Saves one run's log (its failed records) as a file. */
export const exportRun = (runId: string, format: ExportFormat) => unwrap(() => commands.exportRun(runId, format));

/**
 * Calls `onTick` with every `health-updated` event (sent after each health tick, a few
 * times a second at most); resolves with the function that stops listening.
 */
export async function onHealthUpdated(onTick: (tick: HealthTick) => void): Promise<() => void> {
  let unlisten: () => void;
  try {
    unlisten = await events.healthUpdated.listen((event) => onTick(event.payload));
  } catch (error) {
    throw toBackendError(error);
  }
  // Unlistening fails only when the IPC bridge is already gone (the window closing): nothing to
  // undo. Typed `() => void`, it returns a promise, whose rejection is dropped the same way.
  return () => {
    try {
      Promise.resolve(unlisten() as unknown).catch(() => undefined);
    } catch {
      // The bridge is gone.
    }
  };
}
export const listObjects = (connectionId: string) => unwrap(() => commands.listObjects(connectionId));

export const describeObject = (connectionId: string, object: string) =>
  unwrap(() => commands.describeObject(connectionId, object));

export const getMapping = (id: string) => unwrap(() => commands.getMapping(id));
export const createMapping = (draft: MappingDraft) => unwrap(() => commands.createMapping(draft));
export const updateMapping = (id: string, draft: MappingDraft) =>
  unwrap(() => commands.updateMapping(id, draft));
export const duplicateMapping = (id: string) => unwrap(() => commands.duplicateMapping(id));
export const deleteMapping = async (id: string): Promise<void> => {
  await unwrap(() => commands.deleteMapping(id));
};
/** Every problem of a draft against both discovered schemas; empty when it can run. */
export const validateMapping = (draft: MappingDraft) => unwrap(() => commands.validateMapping(draft));
/** The draft applied to up to `limit` (≤ 20) real source records; one provider read. */
export const previewMapping = (draft: MappingDraft, limit: number) =>
  unwrap(() => commands.previewMapping(draft, limit));
/** A default mapping for two objects, with notes on the fields it left out. */
export const suggestMapping = (
  sourceConnectionId: string,
  sourceObject: string,
  targetConnectionId: string,
  targetObject: string,
) => unwrap(() => commands.suggestMapping(sourceConnectionId, sourceObject, targetConnectionId, targetObject));
export const createDefaultMappings = () => unwrap(() => commands.createDefaultMappings());

/** Forgets every cached read (schema descriptions, look-ups) so the next ones ask the providers. */
export const clearCache = async (): Promise<void> => {
  await unwrap(() => commands.clearCache());
};

export const acknowledgeAlert = async (id: string): Promise<void> => {
  await unwrap(() => commands.acknowledgeAlert(id));
};
export const appInfo = () => unwrap(() => commands.appInfo());
export const getPreferences = () => unwrap(() => commands.getPreferences());
export const setTheme = (theme: Theme) => unwrap(() => commands.setTheme(theme));
/** Where run summaries go: a desktop notification, a Slack channel, a Zapier hook. */
export const notificationSettings = () => unwrap(() => commands.notificationSettings());
/** Saves them; the engine refuses (code "validation") a Slack choice without a channel or a connection of the wrong kind. */
export const setNotificationSettings = (settings: NotificationSettings) =>
  unwrap(() => commands.setNotificationSettings(settings));
export const completeOnboarding = () => unwrap(() => commands.completeOnboarding());
/** The webhook receiver: settings, status, the addresses to give providers, the last day's counts. */
export const webhookSettings = () => unwrap(() => commands.webhookSettings());
/** Saves the receiver's settings and starts, restarts or stops it; bad input is refused with code "validation". */
export const setWebhookSettings = (settings: WebhookSettings) => unwrap(() => commands.setWebhookSettings(settings));
/** Saves (or, with null, removes) the secret HubSpot, QuickBooks or Slack signs with. Write-only. */
export const setWebhookSecret = (provider: ProviderId, secret: string | null) =>
  unwrap(() => commands.setWebhookSecret(provider, secret));
/** A new secret for a mapping's own endpoint; the answer is the only time it is shown. */
export const rotateWebhookSecret = (mappingId: string) => unwrap(() => commands.rotateWebhookSecret(mappingId));
/** Turns a mapping's own endpoint off. */
export const removeWebhookSecret = (mappingId: string) => unwrap(() => commands.removeWebhookSecret(mappingId));
/** Deliveries received, refused and repeated since `sinceMs` (epoch ms). */
export const webhookStats = (sinceMs: number) => unwrap(() => commands.webhookStats(sinceMs));
export const connectSandboxAccounts = () => unwrap(() => commands.connectSandboxAccounts());
export const testConnection = (id: string) => unwrap(() => commands.testConnection(id));
export const disconnect = (id: string) => unwrap(() => commands.disconnect(id));
export const startConnect = (provider: ProviderId, environment: Environment) =>
  unwrap(() => commands.startConnect(provider, environment));
export const finishConnect = (flowId: string) => unwrap(() => commands.finishConnect(flowId));
export const cancelConnect = async (flowId: string): Promise<void> => {
  await unwrap(() => commands.cancelConnect(flowId));
};
export const connectPasted = (provider: ProviderId, environment: Environment, credential: string) =>
  unwrap(() => commands.connectPasted(provider, environment, credential));
export const appCredentials = (provider: ProviderId) => unwrap(() => commands.appCredentials(provider));
export const setAppCredentials = (
  provider: ProviderId,
  clientId: string,
  clientSecret: string | null,
  pasteRedirectUri: string | null,
) => unwrap(() => commands.setAppCredentials(provider, clientId, clientSecret, pasteRedirectUri));
export const finishConnectPasted = (flowId: string, pastedUrl: string) =>
  unwrap(() => commands.finishConnectPasted(flowId, pastedUrl));

/** Opens a link in the system browser (the shell's opener plugin). */
export async function openInBrowser(url: string): Promise<void> {
  try {
    await openUrl(url);
  } catch (error) {
    throw toBackendError(error);
  }
}
export const setBackoff = (id: string, backoff: Backoff) => unwrap(() => commands.setBackoff(id, backoff));

/** Tells the shell the first screen has painted (start-up timing; see lib/startup.ts). */
export const startupPainted = async (marks: UiMarks): Promise<void> => {
  await unwrap(() => commands.startupPainted(marks));
};
