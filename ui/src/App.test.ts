import { describe, expect, it } from "vitest";
import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import App from "./App.svelte";
import { PROVIDERS } from "./test/fixtures";
import { mockCommands } from "./test/ipc";

const everything = (onboardingCompleted: boolean) => ({
  get_preferences: { theme: "dark", onboardingCompleted },
  complete_onboarding: { theme: "dark", onboardingCompleted: true },
  list_connections: [],
  list_providers: PROVIDERS,
  list_mappings: [],
  list_runs: [],
});

describe("App shell", () => {
  it("shows the welcome page on first run, and Get started goes to Connections", async () => {
    const calls = mockCommands(everything(false));
    render(App);

    expect(await screen.findByTestId("screen-welcome")).toBeInTheDocument();
    expect(window.location.hash).toBe("#/welcome");
    await userEvent.click(screen.getByTestId("get-started"));

    expect(await screen.findByTestId("screen-connections")).toBeInTheDocument();
    expect(window.location.hash).toBe("#/connections");
    expect(calls.map((c) => c.cmd)).toContain("complete_onboarding");
    expect(document.documentElement.dataset.theme).toBe("dark");
  });

  it("opens the screen named by the hash, marks it current and jumps with Alt+digit", async () => {
    history.replaceState(null, "", "#/runs");
    mockCommands(everything(true));
    render(App);

    expect(await screen.findByTestId("screen-runs")).toBeInTheDocument();
    expect(screen.getByTestId("nav-runs")).toHaveAttribute("aria-current", "page");
    expect(screen.getByTestId("nav-connections")).not.toHaveAttribute("aria-current");

    await userEvent.keyboard("{Alt>}2{/Alt}");
    expect(await screen.findByTestId("screen-mappings")).toBeInTheDocument();
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1, name: "Mappings" })),
    );
    expect(screen.getByTestId("nav-mappings")).toHaveAttribute("aria-current", "page");
  });

  it("offers a skip link that moves focus to the screen heading", async () => {
    mockCommands(everything(true));
    render(App);
    await screen.findByTestId("screen-connections");

    await userEvent.tab();
    const skip = screen.getByRole("link", { name: "Skip to content" });
    expect(document.activeElement).toBe(skip);
    await userEvent.keyboard("{Enter}");
    expect(document.activeElement).toBe(screen.getByRole("heading", { level: 1, name: "Connections" }));
    expect(window.location.hash).not.toBe("#main");
  });
});
