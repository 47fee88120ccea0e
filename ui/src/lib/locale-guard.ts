// WebKitGTK reports the POSIX locale as `navigator.language` ("C" when LANG is unset or
// C, as on many servers and CI machines). `Intl` refuses that tag, and uPlot formats
// numbers with it the moment it loads, so the whole app would fail to start. Imported
// first by main.ts: an invalid tag is replaced by "en-US" before anything reads it.

export const FALLBACK_LANGUAGE = "en-US";

export function isValidLanguageTag(tag: string | undefined): boolean {
  if (!tag) return false;
  try {
    new Intl.NumberFormat(tag);
    return true;
  } catch {
    return false;
  }
}

/** Replaces an invalid `navigator.language`; returns the language now in effect. */
export function guardLanguage(nav: Navigator | undefined = globalThis.navigator): string | undefined {
  if (!nav || isValidLanguageTag(nav.language)) return nav?.language;
  Object.defineProperty(nav, "language", { value: FALLBACK_LANGUAGE, configurable: true });
  return FALLBACK_LANGUAGE;
}

guardLanguage();
