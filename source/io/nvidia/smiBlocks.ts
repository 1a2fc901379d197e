// The nvidia-smi loop's lines → one GpuSample per block (a line per GPU).
// Pure: the process is gpuSampler.ts. Only readings of the GPUs the
// probe listed count: a line that does not parse as a whole, or names a GPU
// the probe never saw (a ghost "GPU 9"), is rejected and counted, never taken
// as a reading.
import type { GpuReading } from '../../domain/gpu.js';
import { parseQueryLine } from './smiQuery.js';

/**
 * A block is complete when it has every GPU the probe saw, or when the index
 * does not increase (a GPU that fell off the bus: the next block has begun;
 * such a short block is sent when the next one begins, so one interval late).
 */
export class SmiBlocks {
  private gpus: GpuReading[] = [];
  /** Blocks sent so far. */
  sent = 0;

  constructor(
    private readonly fields: readonly string[],
    private readonly probed: readonly number[],
    private readonly emit: (gpus: GpuReading[]) => void,
    private readonly reject: (line: string) => void,
  ) {}

  /** One stdout line of the loop; false when it is not a reading of a probed GPU (then `reject` has it). */
  line(line: string): boolean {
    if (line.trim() === '') return true;
    const reading = parseQueryLine(line, this.fields);
    if (!reading || !this.probed.includes(reading.index)) {
      this.reject(line.trim());
      return false;
    }
    const last = this.gpus[this.gpus.length - 1];
    if (last && reading.index <= last.index) this.flush();
    this.gpus.push(reading);
    if (this.gpus.length >= this.probed.length) this.flush();
    return true;
  }

  private flush(): void {
    if (this.gpus.length === 0) return;
    this.sent += 1;
    this.emit(this.gpus);
    this.gpus = [];
  }
}

/**
 * The notice about rejected lines, when one is due: the first time, then
 * when the count reaches 10, 100, 1000… (a handful in all, never one per line).
 */
export function rejectedNews(count: number, told: number, first: string | null, probed: readonly number[]): string | null {
  if (count <= told) return null;
  const gpus = `GPU ${probed.join(', ')}`;
  if (told === 0) return `nvidia-smi printed a line that is not a reading of ${gpus}, ignored: "${clip(first ?? '')}" (more are counted)`;
  const milestone = 10 ** Math.floor(Math.log10(count));
  if (milestone <= told || milestone < 10) return null;
  return `nvidia-smi: ${count} lines ignored so far (not readings of ${gpus})`;
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
