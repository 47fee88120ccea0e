import { afterEach, describe, expect, it, vi } from "vitest";
import { applyTheme, resolveTheme } from "./theme";

describe("resolveTheme", () => {
  it("keeps an explicit choice whatever the OS says", () => {
    expect(resolveTheme("light", true)).toBe("light");
    expect(resolveTheme("dark", false)).toBe("dark");
  });

  it("follows the OS for system", () => {
    expect(resolveTheme("system", true)).toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
  });
});

function fakeMatchMedia(initiallyDark: boolean) {
  const listeners = new Set<() => void>();
  const query = {
    matches: initiallyDark,
    addEventListener: (_: string, fn: () => void) => listeners.add(fn),
    removeEventListener: (_: string, fn: () => void) => listeners.delete(fn),
  };
  vi.stubGlobal("matchMedia", () => query);
  return {
    listeners,
    setDark(dark: boolean) {
      query.matches = dark;
      listeners.forEach((fn) => fn());
    },
  };
}

describe("applyTheme", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it("sets data-theme on <html> to the resolved theme", () => {
    fakeMatchMedia(true);
    expect(applyTheme("light")).toBe("light");
    expect(document.documentElement.dataset.theme).toBe("light");
    expect(applyTheme("system")).toBe("dark");
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("tracks OS changes only while the preference is system", () => {
    const os = fakeMatchMedia(false);
    applyTheme("system");
    expect(document.documentElement.dataset.theme).toBe("light");
    os.setDark(true);
    expect(document.documentElement.dataset.theme).toBe("dark");

    applyTheme("light");
    expect(os.listeners.size).toBe(0);
    os.setDark(false);
    os.setDark(true);
    expect(document.documentElement.dataset.theme).toBe("light");
  });

  it("falls back to light where matchMedia does not exist", () => {
    vi.stubGlobal("matchMedia", undefined);
    expect(applyTheme("system")).toBe("light");
  });
});
