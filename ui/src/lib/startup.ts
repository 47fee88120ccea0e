// Start-up timing (benchmark B7). When the app is launched with SWITCHYARD_STARTUP_REPORT,
// the shell adds a script that sets window.__SWITCHYARD_STARTUP_REPORT__, and the window
// tells the shell once its first screen has painted. Without the flag nothing here does
// anything, so a normal launch behaves exactly as before.
import { startupPainted, type UiMarks } from "./backend";

declare global {
  interface Window {
    __SWITCHYARD_STARTUP_REPORT__?: boolean;
  }
}

let mountedMs: number | null = null;
let reported = false;

const probeOn = () => window.__SWITCHYARD_STARTUP_REPORT__ === true;

/** The app shell is in the DOM (its loading state). Only the first call counts. */
export function markMounted(): void {
  if (probeOn() && mountedMs === null) mountedMs = performance.now();
}

/** Resolves once the frame after the next one has begun: the current DOM has been painted. */
function afterPaint(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

function browserMarks(): Pick<UiMarks, "domContentLoadedMs" | "firstContentfulPaintMs"> {
  const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined;
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  return {
    domContentLoadedMs: nav && nav.domContentLoadedEventEnd > 0 ? nav.domContentLoadedEventEnd : null,
    firstContentfulPaintMs: fcp ? fcp.startTime : null,
  };
}

/**
 * The first screen is in the DOM: waits for it to be painted, then reports (once per page).
 * A failed report is logged, never shown: the launcher that asked for it notices it missing.
 */
export async function reportFirstScreen(screen: string): Promise<void> {
  if (!probeOn() || reported) return;
  reported = true;
  const readyMs = performance.now();
  await afterPaint();
  const paintedMs = performance.now();
  const marks: UiMarks = {
    screen,
    ...browserMarks(),
    mountedMs: mountedMs ?? readyMs,
    readyMs,
    paintedMs,
    sentMs: performance.now(),
  };
  try {
    await startupPainted(marks);
  } catch (error) {
    console.error("start-up report not sent", error);
  }
}
