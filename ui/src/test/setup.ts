// Shared test setup: DOM matchers, uPlot swapped for a stand-in (jsdom draws no canvas),
// and a clean IPC mock after every test.
import "@testing-library/jest-dom/vitest";
import { afterEach, vi } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";
import FakeUPlot from "./uplot-fake";

vi.mock("uplot", () => import("./uplot-fake"));

afterEach(() => {
  clearMocks();
  FakeUPlot.instances = [];
  // replaceState, not location.hash: no hashchange event leaks into the next test.
  history.replaceState(null, "", window.location.pathname);
  document.documentElement.removeAttribute("data-theme");
});
