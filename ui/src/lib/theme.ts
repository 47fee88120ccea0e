// Light and dark themes. The stored preference may be "system", which follows
// the OS through `prefers-color-scheme`; what lands on <html data-theme> is
// always the resolved "light" or "dark", so the CSS needs only two blocks.
import type { Theme } from "./backend";

export type ResolvedTheme = "light" | "dark";

export const THEME_OPTIONS: readonly { value: Theme; label: string }[] = [
  { value: "system", label: "System" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
];

const DARK_QUERY = "(prefers-color-scheme: dark)";

export function resolveTheme(theme: Theme, systemPrefersDark: boolean): ResolvedTheme {
  if (theme === "system") return systemPrefersDark ? "dark" : "light";
  return theme;
}

function darkQuery(): MediaQueryList | null {
  return typeof window.matchMedia === "function" ? window.matchMedia(DARK_QUERY) : null;
}

let stopFollowingSystem: (() => void) | null = null;

/** Applies `theme` to <html> now and, for "system", whenever the OS switches. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): ResolvedTheme {
  stopFollowingSystem?.();
  stopFollowingSystem = null;

  const query = darkQuery();
  const set = () => {
    const resolved = resolveTheme(theme, query?.matches ?? false);
    root.dataset.theme = resolved;
    return resolved;
  };

  if (theme === "system" && query) {
    const onChange = () => set();
    query.addEventListener("change", onChange);
    stopFollowingSystem = () => query.removeEventListener("change", onChange);
  }
  return set();
}
