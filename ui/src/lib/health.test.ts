import { describe, expect, it } from "vitest";
import { alertKindLabel, alertState, burstText, headroomText, healthTiles, occurrencesText, tokenExpiryText, webhookTile, withLiveStatuses } from "./health";
import { ALERT, EMPTY_HEALTH } from "../test/fixtures";
import { CONNECTION_HEALTH, tickOf } from "../test/health-fixtures";

const NOW = 1_700_000_000_000;

describe("healthTiles", () => {
  it("lists the headline numbers in order, with p50 and p99 as hints", () => {
    const tiles = healthTiles({ ...EMPTY_HEALTH, avgLatencyMs: 212.4, p50LatencyMs: 90, p99LatencyMs: 4_200, services: 3, activeConnections: 4 });
    expect(tiles.map((t) => t.key)).toEqual([
      "requests",
      "success-rate",
      "avg-latency",
      "p95-latency",
      "errors",
      "rate-limited",
      "cache-hit-rate",
      "open-alerts",
      "services",
      "active-connections",
    ]);
    expect(tiles[2]).toMatchObject({ value: "212 ms", hint: "p50 90 ms" });
    expect(tiles[3]).toMatchObject({ value: "—", hint: "p99 4.2 s" });
    expect(tiles.at(-1)!.value).toBe("4");
  });
});

describe("withLiveStatuses", () => {
  const down = { connectionId: "c1", label: "Acme", provider: "salesforce" as const, status: "down" as const, reason: "Sign-in refused" };

  it("lays a newer tick's statuses over the summary", () => {
    const [c] = withLiveStatuses([CONNECTION_HEALTH], tickOf({ at: NOW + 1, statuses: [down] }), NOW);
    expect(c).toMatchObject({ status: "down", statusReason: "Sign-in refused", requests: 1_200 });
  });

  it("ignores an older tick, and connections the tick does not name", () => {
    expect(withLiveStatuses([CONNECTION_HEALTH], tickOf({ at: NOW - 1, statuses: [down] }), NOW)[0].status).toBe("healthy");
    expect(withLiveStatuses([CONNECTION_HEALTH], tickOf({ at: NOW + 1, statuses: [{ ...down, connectionId: "c9" }] }), NOW)[0].status).toBe(
      "healthy",
    );
    expect(withLiveStatuses([CONNECTION_HEALTH], null, NOW)).toEqual([CONNECTION_HEALTH]);
  });
});

describe("connection facts", () => {
  it("says the quota headroom as remaining of total", () => {
    expect(headroomText(CONNECTION_HEALTH)).toBe("6,300 of 15,000 (42%)");
    expect(headroomText({ quotaRemaining: 5, quotaTotal: 10, headroomPct: null })).toBe("5 of 10 (50%)");
    expect(headroomText({ quotaRemaining: null, quotaTotal: null, headroomPct: 0.3 })).toBe("30%");
    expect(headroomText({ quotaRemaining: null, quotaTotal: null, headroomPct: null })).toBe("No reading yet");
  });

  it("says the burst window when the provider reports one", () => {
    expect(burstText({ burstRemaining: 92, burstTotal: 100 })).toBe("92 of 100");
    expect(burstText(CONNECTION_HEALTH)).toBeNull();
  });

  it("says when the token expires, or expired", () => {
    expect(tokenExpiryText(NOW + 2 * 3_600_000, NOW)).toBe("Expires in 2 hours");
    expect(tokenExpiryText(NOW - 5 * 60_000, NOW)).toBe("Expired 5 minutes ago");
    expect(tokenExpiryText(null, NOW)).toBe("Not reported");
  });
});

describe("alerts in words", () => {
  it("names known kinds and reads unknown ones as themselves", () => {
    expect(alertKindLabel("error_spike")).toBe("Error spike");
    expect(alertKindLabel("auth_failed")).toBe("Sign-in refused");
    expect(alertKindLabel("webhook_rejected")).toBe("Webhook rejected");
  });

  it("counts repeats", () => {
    expect(occurrencesText({ occurrences: 1, lastSeenAt: NOW }, NOW)).toBe("");
    expect(occurrencesText({ occurrences: 4, lastSeenAt: NOW - 120_000 }, NOW)).toBe("Seen 4 times, last 2 minutes ago");
  });

  it("puts resolved before acknowledged before open", () => {
    expect(alertState(ALERT)).toBe("open");
    expect(alertState({ ...ALERT, acknowledgedAt: NOW })).toBe("acknowledged");
    expect(alertState({ ...ALERT, acknowledgedAt: NOW, resolvedAt: NOW })).toBe("resolved");
  });
});

describe("webhookTile", () => {
  const stats = { since: 0, received: 0, rejected: 0, duplicates: 0, pending: 0, lastReceivedAt: null, lastRejectedAt: null, receiver: "off" as const };

  it("says Off while the receiver is off and nothing arrived", () => {
    expect(webhookTile(stats)).toMatchObject({ key: "webhooks", value: "Off" });
  });

  it("counts verified events and shows refusals, repeats and waiting events", () => {
    const tile = webhookTile({ ...stats, receiver: "listening", received: 1234, rejected: 3, duplicates: 2, pending: 1 });
    expect(tile.value).toBe("1,234");
    expect(tile.hint).toBe("3 refused, 2 repeats, 1 waiting");
  });
});
