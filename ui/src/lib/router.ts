// Hash routing without a router dependency: `#/connections`, `#/runs`, …
// A hash that names no screen (or none at all) shows Connections.

export const SCREENS = ["welcome", "connections", "mappings", "runs", "health", "settings"] as const;
export type Screen = (typeof SCREENS)[number];

export interface NavItem {
  screen: Exclude<Screen, "welcome">;
  label: string;
  /** The digit that jumps here with Alt. */
  shortcut: string;
}

/** The left navigation, in order; Alt+1 … Alt+5 follow this order. */
export const NAV_ITEMS: readonly NavItem[] = [
  { screen: "connections", label: "Connections", shortcut: "1" },
  { screen: "mappings", label: "Mappings", shortcut: "2" },
  { screen: "runs", label: "Runs", shortcut: "3" },
  { screen: "health", label: "Health", shortcut: "4" },
  { screen: "settings", label: "Settings", shortcut: "5" },
];

export const DEFAULT_SCREEN: Screen = "connections";

export function isScreen(value: string): value is Screen {
  return (SCREENS as readonly string[]).includes(value);
}

/** "#/runs" → "runs"; "", "#", "#/nope", "#/runs/extra?x" → best match or Connections. */
export function parseHash(hash: string): Screen {
  const path = hash.replace(/^#/, "").replace(/^\/+/, "");
  const first = path.split(/[/?]/, 1)[0].toLowerCase();
  return isScreen(first) ? first : DEFAULT_SCREEN;
}

export function hrefFor(screen: Screen): string {
  return `#/${screen}`;
}

/** The Runs screen with one run open: `#/runs/<id>`. */
export function runHref(runId: string): string {
  return `${hrefFor("runs")}/${encodeURIComponent(runId)}`;
}

/** "#/runs/r-17" → "r-17"; any other hash → null. */
export function runIdFromHash(hash: string): string | null {
  const match = /^#?\/*runs\/([^/?]+)/i.exec(hash);
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function currentScreen(): Screen {
  return parseHash(window.location.hash);
}

export function navigate(screen: Screen): void {
  const href = hrefFor(screen);
  if (window.location.hash !== href) window.location.hash = href;
}

/** Calls `listener` with the new screen on every hash change; returns an unsubscribe. */
export function onScreenChange(listener: (screen: Screen) => void): () => void {
  const handler = () => listener(currentScreen());
  window.addEventListener("hashchange", handler);
  return () => window.removeEventListener("hashchange", handler);
}

type ShortcutKey = Pick<KeyboardEvent, "altKey" | "ctrlKey" | "metaKey" | "shiftKey" | "key" | "code">;

/** Alt+1 … Alt+5 → the matching nav screen; anything else → null. */
export function screenForShortcut(event: ShortcutKey): Screen | null {
  if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return null;
  // `code` survives layouts where Alt+digit types another character (macOS Option).
  const digit = /^Digit([0-9])$/.exec(event.code)?.[1] ?? event.key;
  return NAV_ITEMS.find((item) => item.shortcut === digit)?.screen ?? null;
}
