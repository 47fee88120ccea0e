// App-wide live alerts. For the whole life of the window, every health tick's due alerts
// become in-app toasts, and desktop notifications when the tick says so (the Health
// settings' "deliver to desktop"); the open-alert count behind the sidebar badge follows.
import { listAlerts, type AlertItem, type HealthTick } from "./backend";
import { coalesce } from "./coalesce";
import { followHealth } from "./live";
import { notifyAlert } from "./notify";

/** Toasts on screen at once; older ones give way. */
export const MAX_TOASTS = 4;
/** Info and warning toasts leave after this; critical ones stay until dismissed. */
export const TOAST_MS = 15_000;
/** The open count is re-read at most this often while ticks arrive. */
const COUNT_INTERVAL_MS = 1_000;

export class AlertFeed {
  toasts = $state.raw<AlertItem[]>([]);
  openCount = $state(0);
  #timers = new Map<string, ReturnType<typeof setTimeout>>();

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
      for (const timer of this.#timers.values()) clearTimeout(timer);
      this.#timers.clear();
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

  /** Adds (or, for a repeat of the same alert, replaces) a toast. */
  show(alert: AlertItem): void {
    this.#clearTimer(alert.id);
    const rest = this.toasts.filter((t) => t.id !== alert.id);
    const next = [...rest, alert];
    for (const dropped of next.slice(0, Math.max(0, next.length - MAX_TOASTS))) this.#clearTimer(dropped.id);
    this.toasts = next.slice(-MAX_TOASTS);
    if (alert.severity !== "critical") {
      this.#timers.set(
        alert.id,
        setTimeout(() => this.dismiss(alert.id), TOAST_MS),
      );
    }
  }

  dismiss(id: string): void {
    this.#clearTimer(id);
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

  #clearTimer(id: string) {
    const timer = this.#timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.#timers.delete(id);
  }
}

/** The one feed the shell starts and the Health screen keeps in step. */
export const alertFeed = new AlertFeed();
