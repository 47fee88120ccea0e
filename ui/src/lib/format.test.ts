import { describe, expect, it } from "vitest";
import {
  MISSING,
  describeAuthKinds,
  formatCount,
  formatDuration,
  formatElapsed,
  formatLatency,
  formatPercent,
  formatRelative,
  orMissing,
  plural,
} from "./format";

describe("null and undefined become an em dash", () => {
  it.each([
    ["formatCount", formatCount],
    ["formatPercent", formatPercent],
    ["formatDuration", formatDuration],
    ["formatLatency", formatLatency],
    ["formatRelative", (v: null | undefined) => formatRelative(v, 0)],
  ] as const)("%s", (_name, fn) => {
    expect(fn(null)).toBe("—");
    expect(fn(undefined)).toBe("—");
  });

  it("also for NaN and blank strings", () => {
    expect(formatCount(Number.NaN)).toBe(MISSING);
    expect(orMissing("  ")).toBe(MISSING);
    expect(orMissing("acme")).toBe("acme");
  });
});

describe("formatPercent", () => {
  it("formats fractions as percentages with at most one decimal", () => {
    expect(formatPercent(0)).toBe("0%");
    expect(formatPercent(0.5)).toBe("50%");
    expect(formatPercent(0.9876)).toBe("98.8%");
    expect(formatPercent(1)).toBe("100%");
  });

  it("never rounds an imperfect rate up to 100%", () => {
    expect(formatPercent(0.99996)).toBe("99.9%");
  });
});

describe("formatDuration", () => {
  it("picks a unit for the size", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(420)).toBe("420 ms");
    expect(formatDuration(4_250)).toBe("4.2 s");
    expect(formatDuration(59_990)).toBe("59.9 s");
    expect(formatDuration(60_000)).toBe("1 min");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe("2 h 3 min");
    expect(formatDuration(3_600_000)).toBe("1 h");
  });

  it("refuses negative durations", () => {
    expect(formatDuration(-5)).toBe("—");
  });

  it("measures a run from start to finish, and not while unfinished", () => {
    expect(formatElapsed(1_000, 3_500)).toBe("2.5 s");
    expect(formatElapsed(1_000, null)).toBe("—");
  });
});

describe("formatLatency", () => {
  it("shows milliseconds, then seconds", () => {
    expect(formatLatency(87.4)).toBe("87 ms");
    expect(formatLatency(1_250)).toBe("1.3 s");
  });
});

describe("formatRelative", () => {
  const now = Date.UTC(2025, 0, 15, 12, 0, 0);
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;

  it("describes recent times in words", () => {
    expect(formatRelative(now - 10_000, now)).toBe("just now");
    expect(formatRelative(now - 5 * minute, now)).toBe("5 minutes ago");
    expect(formatRelative(now - 59.7 * minute, now)).toBe("1 hour ago");
    expect(formatRelative(now - 3 * hour, now)).toBe("3 hours ago");
    expect(formatRelative(now - day, now)).toBe("yesterday");
    expect(formatRelative(now - 3 * day, now)).toBe("3 days ago");
    expect(formatRelative(now - 14 * day, now)).toBe("2 weeks ago");
  });

  it("handles the future", () => {
    expect(formatRelative(now + 2 * hour, now)).toBe("in 2 hours");
  });

  it("falls back to a date after a month", () => {
    const text = formatRelative(now - 90 * day, now);
    expect(text).not.toMatch(/ago/);
    expect(text).toMatch(/2024/);
  });
});

describe("small helpers", () => {
  it("formats counts with separators", () => {
    expect(formatCount(1_234_567)).toBe("1,234,567");
  });

  it("pluralises", () => {
    expect(plural(1, "connection")).toBe("1 connection");
    expect(plural(2, "connection")).toBe("2 connections");
  });

  it("describes how a provider connects, without repeats", () => {
    expect(describeAuthKinds(["oauth_loopback", "oauth_paste_redirect"])).toEqual(["Sign in with browser"]);
    expect(describeAuthKinds(["oauth_loopback", "pasted_token"])).toEqual(["Sign in with browser", "Paste a token"]);
    expect(describeAuthKinds(["hook_url"])).toEqual(["Paste a hook URL"]);
  });
});
