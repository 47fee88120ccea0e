import { describe, expect, it } from "vitest";
import { render, screen } from "@testing-library/svelte";
import Runs from "./Runs.svelte";
import type { RunSummary } from "../lib/backend";
import { mockCommands } from "../test/ipc";

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

describe("Runs screen", () => {
  it("asks for the last 50 runs and shows the empty state", async () => {
    const calls = mockCommands({ list_runs: [] });
    render(Runs);
    expect(await screen.findByTestId("empty-runs")).toBeInTheDocument();
    expect(calls).toEqual([{ cmd: "list_runs", args: { limit: 50 } }]);
  });

  it("shows status, counts, duration and the dry-run tag", async () => {
    mockCommands({ list_runs: [RUN, { ...RUN, id: "r2", dryRun: false, finishedAt: null, status: "running" }] });
    render(Runs);

    const row = await screen.findByTestId("run-r1");
    expect(row).toHaveTextContent("Partial");
    expect(row).toHaveTextContent("Dry run");
    expect(row).toHaveTextContent("3.5 s");
    expect(row).toHaveTextContent("1,500");
    expect(row).toHaveTextContent("1,480");
    expect(screen.getByTestId("run-r2")).toHaveTextContent("Running");
    expect(screen.getByTestId("run-r2")).not.toHaveTextContent("Dry run");
    expect(screen.getAllByTestId("dry-run-tag")).toHaveLength(1);
  });
});
