// --dry-run: the ordered plan and, for each experiment, the exact argv that
// would run for the resolved strategy and dispatch (secrets masked). Pure text.
import path from 'node:path';
import type { RunSettings, SlurmSettings } from '../config/types.js';
import type { Plan, PlannedExperiment } from '../plan/types.js';
import { shellQuote } from '../domain/shellQuote.js';

export interface DryRunContext {
  plan: Plan;
  settings: RunSettings;
  dispatchLabel: string; // e.g. "docker (a Docker engine answers)"
  strategyLabel: string; // e.g. "persistent (from --container-strategy)"
  /** The compose files a container run uses (null for local dispatch); settings.composeFileReason says why. */
  composeFiles: string[] | null;
  /** argv per experiment, secrets masked. */
  describe: (experiment: PlannedExperiment) => string[];
  /** Commands run once before / after the experiments (persistent: up -d / down). */
  before: string[][];
  after: string[][];
  configNotes: string[]; // e.g. "configs/a.yaml: found relative to the current directory"
  cwd: string;
}

export function formatDryRun(context: DryRunContext): string[] {
  const { plan, settings } = context;
  const rel = (p: string) => displayPath(p, context.cwd);
  const lines: string[] = [];
  lines.push(
    `Campaign ${plan.campaignName} (id ${plan.campaignId}): ${plan.experiments.length} experiments = ` +
      `${plan.configs.length} configs × ${plan.cycles} cycles, ${plan.structure}` +
      (plan.structure === 'shuffled' ? ` (seed ${plan.seed})` : ''),
  );
  lines.push(`Strategy: ${context.strategyLabel}`);
  lines.push(`Dispatch: ${context.dispatchLabel}`);
  if (settings.dispatch === 'slurm') lines.push(slurmLine(settings.slurm));
  if (context.composeFiles) {
    const files = context.composeFiles.map(rel).join(', ') || 'none';
    lines.push(`Compose file: ${files} (${settings.composeFileReason})`);
  }
  lines.push(
    `Gaps: ${settings.configGapSeconds} s between experiments, ${settings.cycleGapSeconds} s between cycles`,
  );
  lines.push(`Results: ${rel(settings.resultsDir)}   Manifest: ${rel(settings.manifestPath)}`);
  for (const warning of plan.warnings) lines.push(`warning: ${warning}`);
  for (const note of context.configNotes) lines.push(`note: ${note}`);
  lines.push('');
  lines.push('Configs:');
  const nameWidth = Math.max(6, ...plan.configs.map((c) => c.name.length));
  for (const config of plan.configs) {
    const source = config.sourcePath ? rel(config.sourcePath) : 'grid';
    lines.push(`  ${config.name.padEnd(nameWidth)}  ${config.backend.padEnd(8)}  ${source}  (hash ${config.configHash})`);
  }
  lines.push('');
  for (const argv of context.before) lines.push(`once before: $ ${shellQuote(argv)}`);
  lines.push('Plan (in execution order):');
  const cycleWidth = String(plan.cycles).length * 2 + 1;
  let cycle = -1;
  for (const experiment of plan.experiments) {
    if (plan.structure !== 'grouped' && experiment.cycleIndex !== cycle) {
      cycle = experiment.cycleIndex;
      lines.push(`  ── cycle ${cycle + 1}/${plan.cycles}`);
    }
    const cycleText = `${experiment.cycleIndex + 1}/${plan.cycles}`.padEnd(cycleWidth);
    lines.push(
      `  ${experiment.expId}  cycle ${cycleText}  ${experiment.config.name.padEnd(nameWidth)}  ` +
        `${experiment.config.backend.padEnd(8)}  service ${experiment.config.service}`,
    );
    lines.push(`        $ ${shellQuote(context.describe(experiment))}`);
  }
  for (const argv of context.after) lines.push(`once after: $ ${shellQuote(argv)}`);
  lines.push('');
  lines.push('Dry run: nothing was started and nothing was written.');
  return lines;
}

/** `Slurm: partition debug, gres gpu:1, up to 4 jobs at once, time limit 1:00:00, container none`. */
export function slurmLine(slurm: SlurmSettings): string {
  const parts = [
    slurm.partition === null ? "the cluster's default partition" : `partition ${slurm.partition}`,
    slurm.gres === '' ? 'no --gres' : `gres ${slurm.gres}`,
    `up to ${slurm.maxJobs} job${slurm.maxJobs === 1 ? '' : 's'} at once`,
    slurm.timeLimit === null ? "the partition's time limit" : `time limit ${slurm.timeLimit}`,
    `container ${slurm.container}`,
    ...(slurm.sbatchArgs.length > 0 ? [`extra arguments ${shellQuote(slurm.sbatchArgs)}`] : []),
  ];
  return `Slurm: ${parts.join(', ')}`;
}

function displayPath(p: string, cwd: string): string {
  const relative = path.relative(cwd, p);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : p;
}
