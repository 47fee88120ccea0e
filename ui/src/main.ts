// Entry point: theme first (no flash of the wrong colours), then the app.
// Before anything else: uPlot reads navigator.language as it loads.
import "./lib/locale-guard";
import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { applyTheme } from "./lib/theme";

applyTheme("system");

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

export default mount(App, { target });
