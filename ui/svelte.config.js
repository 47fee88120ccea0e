import { vitePreprocess } from "@sveltejs/vite-plugin-svelte";

export default {
  preprocess: vitePreprocess(),
  compilerOptions: {
    // Svelte 5 runes everywhere: no legacy `export let` / `$:` components.
    runes: true,
  },
};
