import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { isPermissionGranted, sendNotification } from "@tauri-apps/plugin-notification";
import Runs from "./Runs.svelte";
import { launchSession } from "../lib/run-session.svelte";
import type { LinkView, MappingSummary, NotificationSettings, Progress, RunDetail, RunReport, RunSummary } from "../lib/backend";
import { channelOf, ipcError, mockCommands, type Answer } from "../test/ipc";

vi.mock("@tauri-apps/plugin-notification", () => ({
  isPermissionGranted: vi.fn(),
  requestPermission: vi.fn(),
  sendNotification: vi.fn(),
}));
const sent = vi.mocked(sendNotification);

const NOTIFY_OFF: NotificationSettings = { desktop: false, slackConnectionId: null, slackChannel: null, zapierConnectionId: null };
const NOTIFY_DESKTOP: NotificationSettings = { ...NOTIFY_OFF, desktop: true };

const RUN: RunSummary = {
  id: "r1",
  mappingId: "m1",
  mappingName: "Contacts to HubSpot",
  status: "partial",
  dryRun: true,
  startedAt: 1_000,
  finishedAt: 4_500,
  recordsRead: 1_500,
  recordsWritten: 1_480,
  recordsSkipped: 12,
  recordsFailed: 8,
  callsMade: 31,
  message: "8 records were rejected by HubSpot.",
};

const MAPPING: MappingSummary = {
  id: "m1",
  name: "Contacts to HubSpot",
  sourceConnectionId: "c1",
  sourceObject: "Contact",
  targetConnectionId: "c2",
  targetObject: "contacts",
  direction: "one_way",
  enabled: true,
  fieldCount: 6,
  updatedAt: 1_000,
};

const REPORT: RunReport = {
  runId: "run-9",
  status: "partial",
  read: 120,
  created: 40,
  updated: 30,
  skipped: 48,
  failed: 2,
  conflicts: 0,
  calls: 7,
  message: "120 read: 40 created, 30 updated, 48 unchanged, 2 failed; 7 API calls.",
  plan: [],
};

const PAGE: Progress = {
  event: "page",
  data: { read: 120, created: 40, updated: 30, skipped: 48, failed: 2, calls: 7, recordsPerSec: 40.4 },
};

/** A start_run (or retry_failed) that sends `messages` and then waits until the test calls `finish`. */
function pendingRun(messages: Progress[]) {
  let finish: (report: RunReport) => void = () => {
    throw new Error("the run was never started");
  };
  const handler = (args: Record<string, unknown>) => {
    const send = channelOf<Progress>(args);
    messages.forEach(send);
    return new Promise<RunReport>((resolve) => (finish = resolve));
  };
  return { handler, finish: (report: RunReport) => finish(report) };
}

function runsCommands(extra: Record<string, Answer> = {}) {
  return mockCommands({ list_runs: [], list_mappings: [MAPPING], notification_settings: NOTIFY_OFF, ...extra });
}

const user = () => userEvent.setup();

describe("Runs screen", () => {
  beforeEach(() => {
    launchSession.reset();
    sent.mockReset();
    vi.mocked(isPermissionGranted).mockReset().mockResolvedValue(true);
  });

  it("asks for the last 50 runs and shows the empty states, with a way to Mappings", async () => {
    const calls = mockCommands({ list_runs: [], list_mappings: [] });
    render(Runs);
    expect(await screen.findByTestId("empty-runs")).toBeInTheDocument();
    const empty = await screen.findByTestId("empty-run-mappings");
    expect(within(empty).getByRole("link", { name: "Go to Mappings" })).toHaveAttribute("href", "#/mappings");
    expect(screen.queryByTestId("run-now")).toBeNull();
    expect(calls.filter((c) => c.cmd === "list_runs")).toEqual([{ cmd: "list_runs", args: { limit: 50 } }]);
  });

  it("shows status, counts, duration and the dry-run tag", async () => {
    mockCommands({ list_mappings: [MAPPING], list_runs: [RUN, { ...RUN, id: "r2", dryRun: false, finishedAt: null, status: "running" }] });
    render(Runs);

    const row = await screen.findByTestId("run-history-row-r1");
    expect(row).toHaveTextContent("Partial");
    expect(row).toHaveTextContent("Dry run");
    expect(row).toHaveTextContent("3.5 s");
    expect(row).toHaveTextContent("1,500");
    expect(row).toHaveTextContent("1,480");
    expect(screen.getByTestId("run-history-row-r2")).toHaveTextContent("Running");
    expect(screen.getByTestId("run-history-row-r2")).not.toHaveTextContent("Dry run");
    expect(screen.getAllByTestId("dry-run-tag")).toHaveLength(1);
  });

  it("shows live progress from the channel, then the report, and refreshes the history", async () => {
    const run = pendingRun([{ event: "started", data: { runId: "run-9" } }, PAGE]);
    let runs: RunSummary[] = [];
    const calls = runsCommands({ list_runs: () => runs, start_run: run.handler });
    render(Runs);
    const u = user();
    await u.click(await screen.findByTestId("run-now"));

    const bar = await screen.findByRole("progressbar");
    expect(bar).toHaveAttribute("aria-busy", "true");
    expect(bar).not.toHaveAttribute("aria-valuenow");
    await waitFor(() => expect(bar).toHaveAttribute("aria-valuetext", "120 read, 40 created, 30 updated, 48 unchanged, 2 failed"));
    expect(screen.getByTestId("run-counter-read")).toHaveTextContent("120");
    expect(screen.getByTestId("run-counter-created")).toHaveTextContent("40");
    expect(screen.getByTestId("run-counter-updated")).toHaveTextContent("30");
    expect(screen.getByTestId("run-counter-skipped")).toHaveTextContent("48");
    expect(screen.getByTestId("run-counter-failed")).toHaveTextContent("2");
    expect(screen.getByTestId("run-counter-calls")).toHaveTextContent("7");
    expect(screen.getByTestId("run-rate")).toHaveTextContent("40 records/s");
    expect(screen.getByTestId("run-progress")).toHaveTextContent("Running “Contacts to HubSpot”");
    expect(screen.getByTestId("run-now")).toBeDisabled();
    expect(screen.getByTestId("dry-run")).toBeDisabled();
    expect(calls.find((c) => c.cmd === "start_run")?.args).toMatchObject({ mappingId: "m1", dryRun: false, full: false });

    runs = [{ ...RUN, id: "run-9", dryRun: false }];
    run.finish(REPORT);
    const report = await screen.findByTestId("run-report");
    expect(report).toHaveTextContent("Partial");
    expect(report).toHaveTextContent(REPORT.message);
    expect(screen.queryByTestId("run-progress")).toBeNull();
    expect(await screen.findByTestId("run-history-row-run-9")).toBeInTheDocument();
    expect(calls.filter((c) => c.cmd === "list_runs")).toHaveLength(2);
    expect(screen.getByTestId("run-now")).toBeEnabled();
  });

  it("a launch outlives the screen: back on Runs, its progress and then its report show", async () => {
    const run = pendingRun([{ event: "started", data: { runId: "run-9" } }, PAGE]);
    let runs: RunSummary[] = [];
    runsCommands({ list_runs: () => runs, start_run: run.handler });
    const first = render(Runs);
    await user().click(await screen.findByTestId("run-now"));
    await screen.findByTestId("run-progress");
    first.unmount();

    render(Runs);
    const bar = await screen.findByRole("progressbar");
    await waitFor(() => expect(bar).toHaveAttribute("aria-valuetext", "120 read, 40 created, 30 updated, 48 unchanged, 2 failed"));
    expect(screen.getByTestId("run-now")).toBeDisabled();

    runs = [{ ...RUN, id: "run-9", dryRun: false }];
    run.finish(REPORT);
    expect(await screen.findByTestId("run-report")).toHaveTextContent("Partial");
    expect(await screen.findByTestId("run-history-row-run-9")).toBeInTheDocument();
  });

  it("Cancel waits for the run id, then sends cancel_run with it", async () => {
    const run = pendingRun([]);
    const calls = runsCommands({ start_run: run.handler, cancel_run: null });
    render(Runs);
    const u = user();
    await u.click(await screen.findByTestId("run-now"));
    const cancel = await screen.findByTestId("cancel-run");
    expect(cancel).toBeDisabled();

    const startArgs = calls.find((c) => c.cmd === "start_run")!.args;
    channelOf<Progress>(startArgs)({ event: "started", data: { runId: "run-42" } });
    await waitFor(() => expect(cancel).toBeEnabled());
    await u.click(cancel);
    expect(calls.filter((c) => c.cmd === "cancel_run")).toEqual([{ cmd: "cancel_run", args: { runId: "run-42" } }]);
    expect(await screen.findByTestId("cancel-run")).toHaveTextContent("Cancelling…");

    channelOf<Progress>(startArgs)({ event: "finished", data: { status: "cancelled" } });
    run.finish({ ...REPORT, runId: "run-42", status: "cancelled", message: "Cancelled after 1 page." });
    expect(await screen.findByTestId("run-report")).toHaveTextContent("Cancelled");
  });

  it("a dry run reading everything shows its plan with counts and field diffs", async () => {
    const calls = runsCommands({
      start_run: {
        ...REPORT,
        status: "succeeded",
        failed: 1,
        plan: [
          { sourceId: "101", targetId: null, action: "create", changes: [{ field: "Email", before: null, after: "ada@example.com" }], error: null },
          { sourceId: "102", targetId: "00Q2", action: "update", changes: [{ field: "LastName", before: "Lovelace", after: "King" }], error: null },
          { sourceId: "103", targetId: "00Q3", action: "skip", changes: [], error: null },
          { sourceId: "104", targetId: null, action: "fail", changes: [], error: "Email: “not-an-email” is not an e-mail address" },
        ],
      },
    });
    render(Runs);
    const u = user();
    await u.click(await screen.findByTestId("run-full"));
    await u.click(screen.getByTestId("dry-run"));

    const rows = await screen.findAllByTestId("plan-row");
    expect(calls.find((c) => c.cmd === "start_run")?.args).toMatchObject({ mappingId: "m1", dryRun: true, full: true });
    expect(rows).toHaveLength(4);
    expect(screen.getByTestId("run-report")).toHaveTextContent("Dry run finished");
    expect(screen.getByTestId("plan-counts")).toHaveTextContent("1 to create 1 to update 1 unchanged 1 would fail");
    expect(rows[1]).toHaveTextContent("Update");
    expect(within(rows[1]).getByLabelText("before")).toHaveTextContent("Lovelace");
    expect(within(rows[1]).getByLabelText("after")).toHaveTextContent("King");
    expect(rows[0]).toHaveTextContent("new");
    expect(rows[3]).toHaveTextContent("not an e-mail address");
    expect(screen.getByTestId("plan-truncated")).toHaveTextContent("Showing the first 4 of 120 records read.");
  });

  it("shows the validation error start_run refused with", async () => {
    runsCommands({
      start_run: () => ipcError("validation", "Lead requires Last Name on every new record: map a source field to it."),
    });
    render(Runs);
    await user().click(await screen.findByTestId("run-now"));
    const panel = await screen.findByTestId("error-panel");
    expect(panel).toHaveTextContent("Couldn't run “Contacts to HubSpot”");
    expect(within(panel).getByTestId("error-message")).toHaveTextContent("Lead requires Last Name on every new record");
    expect(within(panel).getByTestId("error-code")).toHaveTextContent("validation");
    expect(screen.queryByTestId("run-progress")).toBeNull();
    expect(screen.getByTestId("run-now")).toBeEnabled();
  });

  it("opens a run's errors with their payload and retries the failed records with live progress", async () => {
    const live = { ...RUN, dryRun: false, id: "r1" };
    const error = {
      id: 7,
      side: "target" as const,
      recordId: "201",
      code: "UNABLE_TO_LOCK_ROW",
      message: "unable to obtain exclusive access to this record",
      payload: '{"LastName":"Lovelace","Email":"ada@example.com"}',
      status: "open" as const,
      createdAt: 2_000,
    };
    let detail: RunDetail = { summary: live, recordsCreated: 1_000, recordsUpdated: 480, errors: [error] };
    const retry = pendingRun([{ event: "started", data: { runId: "r2" } }, { event: "page", data: { ...PAGE.data, read: 1, created: 1, updated: 0, skipped: 0, failed: 0, calls: 2 } }]);
    const calls = runsCommands({ list_runs: [live], get_run: () => detail, retry_failed: retry.handler, notification_settings: NOTIFY_DESKTOP });
    render(Runs);
    const u = user();

    await u.click(await screen.findByTestId("run-history-row-r1"));
    const panel = await screen.findByTestId("run-detail");
    expect(calls.find((c) => c.cmd === "get_run")?.args).toEqual({ runId: "r1" });
    const row = await within(panel).findByTestId("run-error-row");
    expect(row).toHaveTextContent("Target");
    expect(row).toHaveTextContent("201");
    expect(row).toHaveTextContent("UNABLE_TO_LOCK_ROW");
    expect(row).toHaveTextContent("unable to obtain exclusive access");
    expect(row).toHaveTextContent("Open");
    expect(within(panel).getByTestId("detail-counter-created")).toHaveTextContent("1,000");
    expect(within(panel).getByTestId("detail-counter-failed")).toHaveTextContent("8");

    const toggle = within(row).getByTestId("toggle-payload");
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    await u.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(screen.getByTestId("error-payload").textContent).toBe('{\n  "LastName": "Lovelace",\n  "Email": "ada@example.com"\n}');

    await u.click(within(panel).getByTestId("retry-failed"));
    expect(calls.find((c) => c.cmd === "retry_failed")?.args).toMatchObject({ mappingId: "m1" });
    const progress = await within(panel).findByTestId("run-progress");
    await waitFor(() => expect(within(progress).getByTestId("run-counter-created")).toHaveTextContent("1"));
    expect(screen.getByTestId("run-now")).toBeDisabled();

    detail = { ...detail, errors: [{ ...error, status: "resolved" }] };
    retry.finish({ ...REPORT, runId: "r2", status: "succeeded", read: 1, created: 1, updated: 0, skipped: 0, failed: 0, calls: 2, message: "1 read: 1 created, 0 updated, 0 unchanged, 0 failed; 2 API calls." });
    const result = await within(panel).findByTestId("run-report");
    expect(result).toHaveTextContent("Succeeded");
    expect(within(result).getByTestId("run-counter-failed")).toHaveTextContent("0");
    await waitFor(() => expect(within(panel).getByTestId("run-error-row")).toHaveTextContent("Resolved"));
    expect(within(panel).queryByTestId("retry-failed")).toBeNull();
    expect(calls.filter((c) => c.cmd === "get_run")).toHaveLength(2);
    expect(calls.filter((c) => c.cmd === "list_runs")).toHaveLength(2);
    expect(sent).toHaveBeenCalledExactlyOnceWith({
      title: "Switchyard: Contacts to HubSpot",
      body: "Succeeded: 1 read: 1 created, 0 updated, 0 unchanged, 0 failed; 2 API calls.",
    });
  });

  it("shows a desktop notification when a run ends, as the settings say, but not for a dry run", async () => {
    let settings = NOTIFY_DESKTOP;
    runsCommands({ start_run: (args) => ({ ...REPORT, runId: args.dryRun ? "plan" : "real" }), notification_settings: () => settings });
    render(Runs);
    const u = user();

    await u.click(await screen.findByTestId("run-now"));
    await waitFor(() => expect(sent).toHaveBeenCalledOnce());
    expect(sent).toHaveBeenCalledWith({ title: "Switchyard: Contacts to HubSpot", body: `Partial: ${REPORT.message}` });

    await u.click(screen.getByTestId("dry-run"));
    await waitFor(() => expect(screen.getByTestId("run-report")).toHaveAttribute("data-run-id", "plan"));

    settings = NOTIFY_OFF;
    await u.click(screen.getByTestId("run-now"));
    await waitFor(() => expect(screen.getByTestId("run-report")).toHaveAttribute("data-run-id", "real"));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(sent).toHaveBeenCalledOnce();
  });

  it("still shows the report when the desktop notification fails", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    sent.mockImplementation(() => {
      throw new TypeError("window.Notification is not a constructor");
    });
    runsCommands({ start_run: REPORT, notification_settings: NOTIFY_DESKTOP });
    render(Runs);

    await user().click(await screen.findByTestId("run-now"));
    expect(await screen.findByTestId("run-report")).toHaveTextContent(REPORT.message);
    await waitFor(() => expect(warn).toHaveBeenCalledOnce());
    expect(screen.queryByTestId("error-panel")).toBeNull();
    warn.mockRestore();
  });

  it("counts a run's conflicts only when it had any", async () => {
    let conflicts = 0;
    runsCommands({ start_run: () => ({ ...REPORT, runId: `run-${conflicts}`, conflicts }) });
    render(Runs);
    const u = user();

    await u.click(await screen.findByTestId("run-now"));
    const first = await screen.findByTestId("run-report");
    expect(within(first).getByTestId("run-counter-failed")).toHaveTextContent("2");
    expect(within(first).queryByTestId("run-counter-conflicts")).toBeNull();
    expect(first).not.toHaveTextContent("Conflicts");

    conflicts = 1_204;
    await u.click(screen.getByTestId("run-now"));
    await waitFor(() => expect(screen.getByTestId("run-report")).toHaveAttribute("data-run-id", "run-1204"));
    expect(screen.getByTestId("run-counter-conflicts")).toHaveTextContent("1,204");
    expect(screen.getByTestId("run-counter-conflicts").previousElementSibling).toHaveTextContent("Conflicts");
  });

  it("reads a conflict in the record errors as needing the user's choice", async () => {
    const live = { ...RUN, dryRun: false };
    const base = { side: "target" as const, payload: null, status: "open" as const, createdAt: 2_000 };
    runsCommands({
      list_runs: [live],
      get_run: {
        summary: live,
        recordsCreated: 0,
        recordsUpdated: 0,
        errors: [
          { ...base, id: 1, recordId: "201", code: "conflict", message: "Email changed on both sides: ada@old.example vs ada@new.example" },
          { ...base, id: 2, recordId: "202", code: "INVALID_EMAIL_ADDRESS", message: "Email: invalid email address" },
        ],
      },
    });
    render(Runs);

    await user().click(await screen.findByTestId("run-history-row-r1"));
    const rows = await screen.findAllByTestId("run-error-row");
    const codes = rows.map((row) => within(row).getByTestId("run-error-code").textContent);
    expect(codes).toEqual(["Conflict — needs your choice", "INVALID_EMAIL_ADDRESS"]);
    expect(rows[0]).toHaveTextContent("Email changed on both sides");
    expect(within(rows[1]).queryByTestId("keep-source")).toBeNull();
  });

  it("settles a conflict by keeping one side, then reloads the run", async () => {
    const live = { ...RUN, dryRun: false };
    const base = { side: "source" as const, payload: "{}", createdAt: 2_000 };
    let settled = false;
    const calls = runsCommands({
      list_runs: [live],
      get_run: () => ({
        summary: live,
        recordsCreated: 0,
        recordsUpdated: 0,
        errors: [{ ...base, id: 7, recordId: "201", code: "conflict", status: settled ? "resolved" : "open", message: "Title changed on both sides" }],
      }),
      resolve_conflict: () => {
        settled = true;
        return null;
      },
    });
    render(Runs);

    await user().click(await screen.findByTestId("run-history-row-r1"));
    await user().click(await screen.findByTestId("keep-target"));
    expect(calls).toContainEqual({ cmd: "resolve_conflict", args: { errorId: 7, keep: "target" } });
    await waitFor(() => expect(screen.queryByTestId("keep-target")).toBeNull());
    expect(screen.getByTestId("run-error-row")).toHaveAttribute("data-status", "resolved");
  });

  it("offers no retry for a run without open errors", async () => {
    const ok = { ...RUN, dryRun: false, status: "succeeded" as const, recordsFailed: 0 };
    runsCommands({ list_runs: [ok], get_run: { summary: ok, recordsCreated: 3, recordsUpdated: 0, errors: [] } });
    render(Runs);
    await user().click(await screen.findByTestId("run-history-row-r1"));
    expect(await screen.findByTestId("no-record-errors")).toBeInTheDocument();
    expect(screen.queryByTestId("retry-failed")).toBeNull();
  });

  it("opens the run named by the hash (a link from Health's timeline), and forgets it on close", async () => {
    const ok = { ...RUN, dryRun: false, status: "succeeded" as const, recordsFailed: 0 };
    window.history.replaceState(null, "", "#/runs/r1");
    const calls = runsCommands({ list_runs: [], get_run: { summary: ok, recordsCreated: 3, recordsUpdated: 0, errors: [] } });
    render(Runs);

    expect(await screen.findByTestId("run-detail")).toBeInTheDocument();
    expect(calls).toContainEqual({ cmd: "get_run", args: { runId: "r1" } });
    await user().click(screen.getByTestId("close-detail"));
    expect(screen.queryByTestId("run-detail")).toBeNull();
    expect(window.location.hash).toBe("#/runs");
  });

  it("exports a run's log as CSV or JSON and says where it went", async () => {
    const ok = { ...RUN, dryRun: false };
    const calls = runsCommands({
      list_runs: [ok],
      get_run: { summary: ok, recordsCreated: 3, recordsUpdated: 0, errors: [] },
      export_run: (args) =>
        args.format === "csv" ? { path: "/home/ada/Downloads/run-r1.csv", rows: 8 } : ipcError("not_found", "run r1 is gone"),
    });
    render(Runs);
    const u = user();
    await u.click(await screen.findByTestId("run-history-row-r1"));

    await u.click(await screen.findByTestId("export-run-csv"));
    await waitFor(() => expect(screen.getByTestId("export-run-note")).toHaveTextContent("Saved 8 rows to /home/ada/Downloads/run-r1.csv"));
    expect(calls).toContainEqual({ cmd: "export_run", args: { runId: "r1", format: "csv" } });

    await u.click(screen.getByTestId("export-run-json"));
    await waitFor(() => expect(screen.getByTestId("export-run-note")).toHaveTextContent("Couldn't export the log: run r1 is gone"));
  });

  it("the identity map searches after typing stops, unlinks after confirmation and pins a pair", async () => {
    let links: LinkView[] = [
      { sourceId: "1001", targetId: "00Q1", pinned: false, lastSyncedAt: Date.now() },
      { sourceId: "1002", targetId: "00Q2", pinned: true, lastSyncedAt: Date.now() },
    ];
    const calls = runsCommands({
      list_links: ({ query }) => links.filter((l) => l.sourceId.includes(String(query)) || l.targetId.includes(String(query))),
      unlink: ({ sourceId }) => {
        links = links.filter((l) => l.sourceId !== sourceId);
        return null;
      },
      pin_link: ({ sourceId, targetId }) => {
        links = [...links, { sourceId: String(sourceId), targetId: String(targetId), pinned: true, lastSyncedAt: 0 }];
        return null;
      },
    });
    render(Runs);
    const u = user();
    await u.click(await screen.findByRole("tab", { name: "Identity map" }));
    expect(await screen.findAllByTestId("link-row")).toHaveLength(2);
    expect(calls.find((c) => c.cmd === "list_links")?.args).toEqual({ mappingId: "m1", query: "", limit: 200 });
    expect(screen.getAllByTestId("link-row")[1]).toHaveTextContent("Pinned");

    await u.type(screen.getByTestId("links-search"), "1002");
    await waitFor(() => expect(screen.getAllByTestId("link-row")).toHaveLength(1));
    const queries = calls.filter((c) => c.cmd === "list_links").map((c) => c.args.query);
    expect(queries).toEqual(["", "1002"]);

    await u.click(screen.getByTestId("unlink"));
    const confirm = screen.getByTestId("confirm-unlink");
    expect(confirm).toHaveTextContent("Unlink 1002 from 00Q2?");
    expect(calls.some((c) => c.cmd === "unlink")).toBe(false);
    await u.click(within(confirm).getByTestId("confirm-unlink-yes"));
    expect(await screen.findByTestId("links-empty")).toHaveTextContent("No pair has an id containing “1002”.");
    expect(calls.filter((c) => c.cmd === "unlink")).toEqual([{ cmd: "unlink", args: { mappingId: "m1", sourceId: "1002" } }]);
    expect(screen.getByTestId("links-notice")).toHaveTextContent("Unlinked 1002");

    await u.type(screen.getByTestId("pin-source"), " 1002 ");
    await u.type(screen.getByTestId("pin-target"), "00Q9");
    await u.click(screen.getByTestId("pin-link"));
    expect(calls.filter((c) => c.cmd === "pin_link")).toEqual([{ cmd: "pin_link", args: { mappingId: "m1", sourceId: "1002", targetId: "00Q9" } }]);
    expect(await screen.findByTestId("link-row")).toHaveTextContent("00Q9");
    expect(screen.getByTestId("links-notice")).toHaveTextContent("Pinned 1002 to 00Q9.");
    expect(screen.getByTestId("pin-source")).toHaveValue("");
  });

  it("tabs move with the arrow keys", async () => {
    runsCommands({ list_links: [] });
    render(Runs);
    const u = user();
    const runsTab = await screen.findByRole("tab", { name: "Runs" });
    runsTab.focus();
    await u.keyboard("{ArrowRight}");
    expect(screen.getByRole("tab", { name: "Identity map" })).toHaveFocus();
    expect(screen.getByRole("tab", { name: "Identity map" })).toHaveAttribute("aria-selected", "true");
    expect(await screen.findByTestId("links-empty")).toHaveTextContent("No records are paired yet");
  });
});
