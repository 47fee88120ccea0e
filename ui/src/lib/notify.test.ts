import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isPermissionGranted, requestPermission, sendNotification } from "@tauri-apps/plugin-notification";
import { alertNotification, notifyAlert, notifyRunFinished, runNotification } from "./notify";
import type { NotificationSettings, RunReport } from "./backend";
import { ALERT } from "../test/fixtures";
import { ipcError, mockCommands } from "../test/ipc";

vi.mock("@tauri-apps/plugin-notification", () => ({
  isPermissionGranted: vi.fn(),
  requestPermission: vi.fn(),
  sendNotification: vi.fn(),
}));

const granted = vi.mocked(isPermissionGranted);
const request = vi.mocked(requestPermission);
const send = vi.mocked(sendNotification);

const REPORT: RunReport = {
  runId: "run-1",
  status: "partial",
  read: 10,
  created: 4,
  updated: 3,
  skipped: 1,
  failed: 2,
  conflicts: 0,
  calls: 5,
  message: "10 read: 4 created, 3 updated, 1 unchanged, 2 failed; 5 API calls.",
  plan: [],
};

const SETTINGS: NotificationSettings = { desktop: true, slackConnectionId: null, slackChannel: null, zapierConnectionId: null };

describe("runNotification", () => {
  it("titles with the mapping and says the status and the message", () => {
    expect(runNotification("Contacts", REPORT)).toEqual({
      title: "Switchyard: Contacts",
      body: "Partial: 10 read: 4 created, 3 updated, 1 unchanged, 2 failed; 5 API calls.",
    });
  });

  it("copes with a deleted mapping and an empty message", () => {
    expect(runNotification("  ", { ...REPORT, status: "succeeded", message: "" })).toEqual({
      title: "Switchyard: a run",
      body: "Succeeded",
    });
  });
});

describe("notifyRunFinished", () => {
  let warn: ReturnType<typeof vi.spyOn>;

  beforeEach(() => {
    granted.mockReset();
    request.mockReset();
    send.mockReset();
    warn = vi.spyOn(console, "warn").mockImplementation(() => {});
  });

  afterEach(() => warn.mockRestore());

  it("sends the notification when the settings say desktop and permission is granted", async () => {
    mockCommands({ notification_settings: SETTINGS });
    granted.mockResolvedValue(true);

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(true);
    expect(request).not.toHaveBeenCalled();
    expect(send).toHaveBeenCalledExactlyOnceWith({
      title: "Switchyard: Contacts",
      body: "Partial: 10 read: 4 created, 3 updated, 1 unchanged, 2 failed; 5 API calls.",
    });
    expect(warn).not.toHaveBeenCalled();
  });

  it("asks for permission first, and sends once it is given", async () => {
    mockCommands({ notification_settings: SETTINGS });
    granted.mockResolvedValue(false);
    request.mockResolvedValue("granted");

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(true);
    expect(request).toHaveBeenCalledOnce();
    expect(send).toHaveBeenCalledOnce();
  });

  it("sends nothing when permission is denied", async () => {
    mockCommands({ notification_settings: SETTINGS });
    granted.mockResolvedValue(false);
    request.mockResolvedValue("denied");

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });

  it("neither asks nor sends when the settings turn desktop notifications off", async () => {
    mockCommands({ notification_settings: { ...SETTINGS, desktop: false } });
    granted.mockResolvedValue(true);

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(false);
    expect(granted).not.toHaveBeenCalled();
    expect(send).not.toHaveBeenCalled();
  });

  it("sends when the settings leave desktop unset (on by default)", async () => {
    mockCommands({ notification_settings: { slackConnectionId: null, slackChannel: null, zapierConnectionId: null } });
    granted.mockResolvedValue(true);

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(true);
    expect(send).toHaveBeenCalledOnce();
  });

  it("never throws when the plugin throws, and logs a warning", async () => {
    mockCommands({ notification_settings: SETTINGS });
    granted.mockResolvedValue(true);
    send.mockImplementation(() => {
      throw new TypeError("window.Notification is not a constructor");
    });

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(false);
    expect(warn).toHaveBeenCalledOnce();
  });

  it("never throws when the permission check rejects", async () => {
    mockCommands({ notification_settings: SETTINGS });
    granted.mockRejectedValue(new Error("plugin not registered"));

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
  });

  it("never throws when the settings cannot be read, and sends nothing", async () => {
    mockCommands({ notification_settings: () => ipcError("storage", "database locked") });
    granted.mockResolvedValue(true);

    await expect(notifyRunFinished("Contacts", REPORT)).resolves.toBe(false);
    expect(send).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe("notifyAlert", () => {
  beforeEach(() => {
    granted.mockReset();
    request.mockReset();
    send.mockReset();
  });

  it("titles with the severity and says the alert's message", () => {
    expect(alertNotification({ ...ALERT, severity: "critical" })).toEqual({
      title: "Switchyard alert: Critical",
      body: "Acme Salesforce needs to be reconnected.",
    });
  });

  it("sends once permission is there, and never throws", async () => {
    granted.mockResolvedValue(true);
    await expect(notifyAlert(ALERT)).resolves.toBe(true);
    expect(send).toHaveBeenCalledExactlyOnceWith({ title: "Switchyard alert: Warning", body: ALERT.message });

    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    granted.mockRejectedValue(new Error("plugin not registered"));
    await expect(notifyAlert(ALERT)).resolves.toBe(false);
    expect(warn).toHaveBeenCalledOnce();
  });

  it("sends nothing when permission is denied", async () => {
    granted.mockResolvedValue(false);
    request.mockResolvedValue("denied");
    await expect(notifyAlert(ALERT)).resolves.toBe(false);
    expect(send).not.toHaveBeenCalled();
  });
});
