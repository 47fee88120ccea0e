// App-wide live alerts. For the whole life of the window, every health tick's due alerts
// become in-app toasts, and desktop notifications when the tick says so (the Health
// settings' "deliver to desktop"); the open-alert count behind the sidebar badge follows.
import { listAlerts, type AlertItem, type HealthTick } from "./backend";
import { coalesce } from "./coalesce";
import { followHealth } from "./live";
import { notifyAlert } from "./notify";

/** Toasts on screen at once; older ones give way (they stay listed on Health). */
export const MAX_TOASTS = 5;
/** The open count is re-read at most this often while ticks arrive. */
const COUNT_INTERVAL_MS = 1_000;

export class AlertFeed {
  toasts = $state.raw<AlertItem[]>([]);
  openCount = $state(0);

  /** Starts listening; returns the function that stops and clears everything. */
  start(): () => void {
    const recount = coalesce(() => this.refreshCount(), COUNT_INTERVAL_MS);
    recount.trigger();
    const stop = followHealth(
      (tick) => {
        this.receive(tick);
        recount.trigger();
      },
      (error) => console.warn("Switchyard: live alerts are off; health updates could not be followed.", error),
    );
    return () => {
      stop();
      recount.dispose();
      this.toasts = [];
    };
  }

  /** Shows a tick's alerts, and sends them to the desktop when the tick says so. */
  receive(tick: HealthTick): void {
    for (const alert of tick.alerts) {
      this.show(alert);
      if (tick.desktop) void notifyAlert(alert);
    }
  }

  /**
   * Adds (or, for a repeat of the same alert, moves to the end) a toast. Toasts stay until
   * dismissed: an alert should not vanish before it is read.
   */
  show(alert: AlertItem): void {
    this.toasts = [...this.toasts.filter((t) => t.id !== alert.id), alert].slice(-MAX_TOASTS);
  }

  dismiss(id: string): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  /** The count as a screen just read it (the Health summary), without asking again. */
  setOpenCount(count: number): void {
    this.openCount = count;
  }

  async refreshCount(): Promise<void> {
    try {
      this.openCount = (await listAlerts(false)).length;
    } catch (error) {
      // Keep the last count: the badge is a hint, the Health screen shows the real list.
      console.warn("Switchyard: the open alerts could not be counted.", error);
    }
  }
}

/** The one feed the shell starts and the Health screen keeps in step. */
export const alertFeed = new AlertFeed();
