// What process.ts spawns for an argv. `docker compose …` runs the compose
// plugin binary directly once compose/flavour.ts has proven it the one `docker
// compose` runs (compose/composePlugin.ts says why); everything else as
// given. It sits here, beside the spawn, so that the process room needs
// nothing from compose/: compose/ sets it, process.ts reads it.
let composePlugin: string | null = null;

/** Run `docker compose …` through this plugin binary from now on (null: through the docker CLI again). */
export function launchComposeVia(plugin: string | null): void {
  composePlugin = plugin;
}

export function launchArgv(argv: readonly string[]): string[] {
  if (composePlugin && argv[0] === 'docker' && argv[1] === 'compose') return [composePlugin, ...argv.slice(2)];
  return [...argv];
}
