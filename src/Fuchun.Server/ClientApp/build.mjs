// Bundles the web UI into dist/: one script per page (shared code split out), OpenLayers included,
// the HTML pages and stylesheet copied beside them. Run by the server's build (WebUi.targets).
import { build } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: ['src/list.js', 'src/new.js', 'src/project.js', 'src/analysis.js', 'src/check.js', 'src/signin.js', 'src/audit.js', 'src/plans.js'],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  sourcemap: true,
  target: 'es2020',
  outdir: 'dist',
  logLevel: 'warning',
});
cpSync('src/pages', 'dist', { recursive: true });
