// Folds a burst of triggers (live events) into few runs of one async task: the first trigger
// runs it at once, later ones wait until `intervalMs` after the last start, and a run never
// starts while another is in flight. Triggers that arrive meanwhile become one more run.
// `intervalMs` may be a function, read at each scheduling (a slower pace for heavy views).

export interface Coalescer {
  /** Asks for a run; returns at once. */
  trigger(): void;
  /** Cancels a waiting run; later triggers are ignored. */
  dispose(): void;
}

export function coalesce(task: () => Promise<void>, intervalMs: number | (() => number), now: () => number = Date.now): Coalescer {
  const interval = typeof intervalMs === "function" ? intervalMs : () => intervalMs;
  let running = false;
  let pending = false;
  let disposed = false;
  let lastStart = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function schedule() {
    if (timer !== null || running || disposed || !pending) return;
    const wait = Math.max(0, lastStart + interval() - now());
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, wait);
  }

  async function run() {
    if (disposed) return;
    running = true;
    pending = false;
    lastStart = now();
    try {
      await task();
    } catch (error) {
      // The task reports its own failures (a Resource keeps its error); keep coalescing.
      console.warn("Switchyard: a live refresh failed.", error);
    } finally {
      running = false;
      schedule();
    }
  }

  return {
    trigger() {
      if (disposed) return;
      pending = true;
      schedule();
    },
    dispose() {
      disposed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
