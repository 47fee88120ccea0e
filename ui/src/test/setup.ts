// Shared test setup: DOM matchers, and a clean IPC mock after every test.
import "@testing-library/jest-dom/vitest";
import { afterEach } from "vitest";
import { clearMocks } from "@tauri-apps/api/mocks";

afterEach(() => {
  clearMocks();
  // replaceState, not location.hash: no hashchange event leaks into the next test.
  history.replaceState(null, "", window.location.pathname);
  document.documentElement.removeAttribute("data-theme");
});
