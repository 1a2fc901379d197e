// `srun --test-only` with the campaign's own request (partition, gres, time,
// sbatch_args): Slurm answers whether and when it could run such a job, and
// runs nothing. Before the first job, a request the cluster can never take
// (a gres it lacks, an option srun does not know) is refused with Slurm's own
// words, instead of failing every experiment. Pure: the argv and the reading
// of what srun printed.
import type { SlurmSettings } from '../../config/types.js';
import { srunArgv } from './srunArgv.js';

/** The request of every job of the campaign, as a test: `srun --test-only … true`. */
export function testOnlyArgv(slurm: SlurmSettings, jobName: string): string[] {
  const [srun, ...request] = srunArgv(slurm, jobName, ['true']);
  return [srun!, '--test-only', ...request];
}

/**
 * Slurm's reason for a refusal, in its words: "Requested node configuration
 * is not available". srun prints an error it found itself as `srun: error: X`
 * (or `srun: X` for an option it does not know), then `allocation failure:`
 * with whatever errno was left over ("No error", "Resource temporarily
 * unavailable"): that line is the reason only when nothing came before it.
 */
export function testOnlyRefusal(output: string): string {
  const lines = output.split('\n').map((line) => line.trim());
  const own = lines.filter((l) => l.startsWith('srun: ') && !/^srun: Job \d+ to start/.test(l)).map((l) => l.replace(/^srun: (error: )?/, ''));
  const allocation = lines.filter((l) => l.startsWith('allocation failure: ')).map((l) => l.replace(/^allocation failure: /, ''));
  const reasons = own.length > 0 ? own : allocation;
  return [...new Set(reasons)].join('; ') || lines.find((l) => l !== '' && !l.startsWith('Try "srun --help"')) || 'no reason given';
}

/**
 * Whether a refusal may mean "not now" rather than "never": Slurm says the
 * same "node configuration is not available" for a request no node can take
 * and for one whose nodes are down or drained. Only the first is bad input.
 */
export function mayBeOnlyNow(reason: string): boolean {
  return /not available|busy|down|drain|reserved/i.test(reason);
}

/** A node state (sinfo %T) in which a node takes jobs now or soon: not down, drained, failing or silent (`*`). */
export function nodeTakesJobs(state: string): boolean {
  return !/[*]|down|drain|fail|maint|reserved|unknown|future|inval|reboot/i.test(state);
}
