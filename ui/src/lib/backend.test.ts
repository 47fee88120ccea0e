import { describe, expect, it } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import * as backend from "./backend";
import { BackendError, toBackendError } from "./backend";
import { CONNECTION, PROVIDERS } from "../test/fixtures";
import { tickOf } from "../test/health-fixtures";
import { channelOf, emitEvent, ipcError, mockCommands } from "../test/ipc";

describe("backend", () => {
  it("unwraps an ok Result into its data", async () => {
    mockCommands({ list_connections: [CONNECTION] });
    await expect(backend.listConnections()).resolves.toEqual([CONNECTION]);
  });

  it("returns plain (non-Result) commands as they come", async () => {
    mockCommands({ list_providers: PROVIDERS });
    const providers = await backend.listProviders();
    expect(providers.map((p) => p.id)).toEqual(["salesforce", "hubspot", "quickbooks", "slack", "zapier"]);
  });

  it("passes arguments under the camelCase names the bindings use", async () => {
    const calls = mockCommands({
      list_runs: [],
      health_summary: () => ipcError("internal", "not needed"),
      list_alerts: [],
      set_theme: (args) => ({ theme: args.theme, onboardingCompleted: true }),
      acknowledge_alert: null,
    });
    await backend.listRuns(50);
    await backend.listAlerts(false);
    await expect(backend.setTheme("dark")).resolves.toEqual({ theme: "dark", onboardingCompleted: true });
    await expect(backend.acknowledgeAlert("a1")).resolves.toBeUndefined();
    expect(calls).toEqual([
      { cmd: "list_runs", args: { limit: 50 } },
      { cmd: "list_alerts", args: { includeAcknowledged: false } },
      { cmd: "set_theme", args: { theme: "dark" } },
      { cmd: "acknowledge_alert", args: { id: "a1" } },
    ]);
  });

  it("startRun hands its progress Channel's messages to the callback and resolves with the report", async () => {
    const report = { runId: "r1", status: "succeeded", read: 1, created: 1, updated: 0, skipped: 0, failed: 0, calls: 1, message: "done", plan: [] };
    const calls = mockCommands({
      start_run: (args) => {
        channelOf<backend.Progress>(args)({ event: "started", data: { runId: "r1" } });
        return report;
      },
      cancel_run: null,
      list_links: [],
      pin_link: null,
      unlink: null,
    });
    const seen: backend.Progress[] = [];
    await expect(backend.startRun("m1", true, false, (p) => seen.push(p))).resolves.toEqual(report);
    expect(seen).toEqual([{ event: "started", data: { runId: "r1" } }]);
    await backend.cancelRun("r1");
    await backend.listLinks("m1", "ada", 200);
    await backend.pinLink("m1", "s1", "t1");
    await backend.unlink("m1", "s1");
    expect(calls.map((c) => c.cmd)).toEqual(["start_run", "cancel_run", "list_links", "pin_link", "unlink"]);
    expect(calls[0].args).toMatchObject({ mappingId: "m1", dryRun: true, full: false });
    expect(calls.slice(1).map((c) => c.args)).toEqual([
      { runId: "r1" },
      { mappingId: "m1", query: "ada", limit: 200 },
      { mappingId: "m1", sourceId: "s1", targetId: "t1" },
      { mappingId: "m1", sourceId: "s1" },
    ]);
  });

  it("passes the mapping editor's arguments under their camelCase names", async () => {
    const draft = { name: "n" } as unknown as import("./backend").MappingDraft;
    const calls = mockCommands({
      get_mapping: { id: "m1" },
      update_mapping: { id: "m1" },
      delete_mapping: null,
      validate_mapping: [],
      preview_mapping: { records: [], problems: [] },
      suggest_mapping: { draft, notes: [] },
      create_default_mappings: [],
    });
    await backend.getMapping("m1");
    await backend.updateMapping("m1", draft);
    await expect(backend.deleteMapping("m1")).resolves.toBeUndefined();
    await backend.validateMapping(draft);
    await backend.previewMapping(draft, 5);
    await backend.suggestMapping("c2", "contacts", "c1", "Lead");
    await backend.createDefaultMappings();
    expect(calls).toEqual([
      { cmd: "get_mapping", args: { id: "m1" } },
      { cmd: "update_mapping", args: { id: "m1", draft } },
      { cmd: "delete_mapping", args: { id: "m1" } },
      { cmd: "validate_mapping", args: { draft } },
      { cmd: "preview_mapping", args: { draft, limit: 5 } },
      { cmd: "suggest_mapping", args: { sourceConnectionId: "c2", sourceObject: "contacts", targetConnectionId: "c1", targetObject: "Lead" } },
      { cmd: "create_default_mappings", args: {} },
    ]);
  });

  it("passes the Health commands' arguments under their camelCase names", async () => {
    const saved = { path: "/tmp/x.csv", rows: 3 };
    const calls = mockCommands({
      health_series: { range: "7d", bucketSecs: 300, times: [], connections: [] },
      health_timeline: [],
      alert_history: [],
      health_settings: {},
      set_health_settings: (args) => args.settings as Record<string, unknown>,
      export_health: saved,
      export_runs: saved,
      export_run: saved,
    });
    await backend.healthSeries("7d", null);
    await backend.healthSeries("1h", "c1");
    await backend.healthTimeline("24h");
    await backend.alertHistory("15m");
    await backend.healthSettings();
    await expect(backend.setHealthSettings({ cooldownMins: 5 })).resolves.toEqual({ cooldownMins: 5 });
    await expect(backend.exportHealth("1h", "csv")).resolves.toEqual(saved);
    await backend.exportRuns("7d", "json");
    await backend.exportRun("r1", "csv");
    expect(calls).toEqual([
      { cmd: "health_series", args: { range: "7d", connectionId: null } },
      { cmd: "health_series", args: { range: "1h", connectionId: "c1" } },
      { cmd: "health_timeline", args: { range: "24h" } },
      { cmd: "alert_history", args: { range: "15m" } },
      { cmd: "health_settings", args: {} },
      { cmd: "set_health_settings", args: { settings: { cooldownMins: 5 } } },
      { cmd: "export_health", args: { range: "1h", format: "csv" } },
      { cmd: "export_runs", args: { range: "7d", format: "json" } },
      { cmd: "export_run", args: { runId: "r1", format: "csv" } },
    ]);
  });

  it("hands each health-updated event's tick to the listener until it stops", async () => {
    mockCommands({});
    const ticks: backend.HealthTick[] = [];
    const stop = await backend.onHealthUpdated((tick) => ticks.push(tick));
    const first = tickOf({ at: 1 });
    await emitEvent("health-updated", first);
    stop();
    await emitEvent("health-updated", tickOf({ at: 2 }));
    expect(ticks).toEqual([first]);
  });

  it("throws an error Result as a BackendError carrying its code", async () => {
    mockCommands({ list_mappings: () => ipcError("auth_expired", "HubSpot token expired") });
    const error = await backend.listMappings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: "auth_expired", message: "HubSpot token expired", name: "BackendError" });
  });

  it("turns a rejection of a plain command into a BackendError too", async () => {
    mockCommands({ list_providers: () => ipcError("storage", "database is locked") });
    await expect(backend.listProviders()).rejects.toMatchObject({ code: "storage", message: "database is locked" });
  });

  it("maps an unknown rejection to code internal", async () => {
    clearMocks(); // no IPC at all, as in a plain browser: invoke throws a TypeError
    const error = await backend.appInfo().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).code).toBe("internal");
  });

  it("maps an error object with an unknown code to internal, keeping the message", async () => {
    mockCommands({ get_preferences: () => ipcError("teapot", "short and stout") });
    await expect(backend.getPreferences()).rejects.toMatchObject({ code: "internal", message: "short and stout" });
  });
});

describe("toBackendError", () => {
  it("keeps a BackendError as it is", () => {
    const original = new BackendError("conflict", "edited twice");
    expect(toBackendError(original)).toBe(original);
  });

  it("wraps strings and other values with code internal", () => {
    expect(toBackendError("boom")).toMatchObject({ code: "internal", message: "boom" });
    expect(toBackendError(42)).toMatchObject({ code: "internal" });
    expect(toBackendError(new TypeError("bad"))).toMatchObject({ code: "internal", message: "bad" });
  });
});
