import { describe, expect, it } from "vitest";
import { NAV_ITEMS, hrefFor, parseHash, runHref, runIdFromHash, screenForShortcut } from "./router";

describe("parseHash", () => {
  it.each([
    ["#/connections", "connections"],
    ["#/mappings", "mappings"],
    ["#/runs", "runs"],
    ["#/health", "health"],
    ["#/settings", "settings"],
    ["#/welcome", "welcome"],
    ["#/Runs", "runs"],
    ["#/runs/r-17", "runs"],
    ["#runs", "runs"],
  ])("%s → %s", (hash, screen) => {
    expect(parseHash(hash)).toBe(screen);
  });

  it.each(["", "#", "#/", "#/nope", "#main", "#/__proto__"])("unknown %j → connections", (hash) => {
    expect(parseHash(hash)).toBe("connections");
  });

  it("round-trips every screen through its href", () => {
    for (const item of NAV_ITEMS) expect(parseHash(hrefFor(item.screen))).toBe(item.screen);
  });
});

describe("screenForShortcut", () => {
  const key = (digit: string, mods: Partial<KeyboardEvent> = {}) => ({
    altKey: true,
    ctrlKey: false,
    metaKey: false,
    shiftKey: false,
    key: digit,
    code: `Digit${digit}`,
    ...mods,
  });

  it("maps Alt+1 … Alt+5 to the nav order", () => {
    expect(["1", "2", "3", "4", "5"].map((d) => screenForShortcut(key(d)))).toEqual([
      "connections",
      "mappings",
      "runs",
      "health",
      "settings",
    ]);
  });

  it("uses the physical key when Alt changes the character", () => {
    expect(screenForShortcut(key("3", { key: "£" }))).toBe("runs");
  });

  it("ignores other digits and other modifiers", () => {
    expect(screenForShortcut(key("6"))).toBeNull();
    expect(screenForShortcut(key("1", { altKey: false }))).toBeNull();
    expect(screenForShortcut(key("1", { ctrlKey: true }))).toBeNull();
    expect(screenForShortcut(key("1", { shiftKey: true }))).toBeNull();
  });
});

describe("run links", () => {
  it("round-trips a run id through the Runs screen's hash", () => {
    expect(runHref("r-17")).toBe("#/runs/r-17");
    expect(runIdFromHash(runHref("r-17"))).toBe("r-17");
    expect(runIdFromHash(runHref("a b/c"))).toBe("a b/c");
    expect(parseHash(runHref("r-17"))).toBe("runs");
  });

  it("finds no run in other hashes", () => {
    for (const hash of ["", "#/runs", "#/runs/", "#/health/r1", "#/runs/%E0%A4%A"]) expect(runIdFromHash(hash)).toBeNull();
  });
});
