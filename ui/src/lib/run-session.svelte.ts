// One run launched from the UI, from start to report: live counters fed by the progress
// Channel, cancel by the id the `started` message gave, and the report or the refusal; a run
// (not a dry run) that ends with a report gets its desktop notification when the settings say so.
import { cancelRun, toBackendError, type BackendError, type Progress, type RunReport } from "./backend";
import { notifyRunFinished } from "./notify";
import { applyProgress, newLiveRun, type LiveRun } from "./runs";

/** What a session is running: a launch from the launcher, or a retry from a run's detail. */
export interface RunPurpose {
  kind: "launch" | "retry";
  dryRun: boolean;
  /** In words, for the progress bar: "Running “Contacts”". */
  label: string;
  mappingId: string;
  /** The mapping's name, for the desktop notification's title. */
  mappingName: string;
}

export class RunSession {
  purpose: RunPurpose | null = $state.raw(null);
  /** Set while the run is in flight. */
  live: LiveRun | null = $state.raw(null);
  report: RunReport | null = $state.raw(null);
  error: BackendError | null = $state.raw(null);
  cancelling = $state(false);
  cancelError: BackendError | null = $state.raw(null);

  get running(): boolean {
    return this.live !== null;
  }

  /** Starts `call` with a progress handler; resolves with its report, or null when it was refused. */
  async run(
    purpose: RunPurpose,
    call: (onProgress: (progress: Progress) => void) => Promise<RunReport>,
  ): Promise<RunReport | null> {
    this.purpose = purpose;
    this.live = newLiveRun();
    this.report = null;
    this.error = null;
    this.cancelling = false;
    this.cancelError = null;
    try {
      const report = await call((progress) => {
        if (this.live) this.live = applyProgress(this.live, progress);
      });
      this.report = report;
      // Not awaited: the screen shows the report at once; notifyRunFinished never rejects.
      if (!purpose.dryRun) void notifyRunFinished(purpose.mappingName, report);
      return report;
    } catch (e) {
      this.error = toBackendError(e);
      return null;
    } finally {
      this.live = null;
      this.cancelling = false;
    }
  }

  /** Forgets the last run (nothing may be running). */
  reset(): void {
    this.purpose = null;
    this.live = null;
    this.report = null;
    this.error = null;
    this.cancelling = false;
    this.cancelError = null;
  }

  /** Asks the run to stop at its next page boundary. */
  async cancel(): Promise<void> {
    const runId = this.live?.runId;
    if (!runId || this.cancelling) return;
    this.cancelling = true;
    this.cancelError = null;
    try {
      await cancelRun(runId);
    } catch (e) {
      this.cancelError = toBackendError(e);
      this.cancelling = false;
    }
  }
}

/**
 * The run launched from the Runs screen. It lives as long as the window, not the screen:
 * leaving Runs while a run goes on (to watch Health, say) and coming back shows its
 * progress and then its report.
 */
export const launchSession = new RunSession();
