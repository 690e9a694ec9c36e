import { defineConfig } from "vite";

// Tauri serves ui/dist from its own protocol; relative paths keep it portable.
export default defineConfig({
  base: "./",
  clearScreen: false,
  server: { port: 5173, strictPort: true },
  build: { target: "es2021", outDir: "dist", emptyOutDir: true },
});
