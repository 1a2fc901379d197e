/** How a config's varying value reads in its name: `batch_size-4`, `model-Qwen-Qwen2.5-0.5B`. */
export function nameSegment(key: string, value: unknown): string {
  return `${key.replaceAll('.', '_')}-${formatNameValue(value)}`;
}

export function formatNameValue(value: unknown): string {
  const text = Array.isArray(value)
    ? value.map(formatNameValue).join(',')
    : value !== null && typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
  // Names end up in file names and on one line: no path separators, no spaces.
  return text.replace(/[/\\\s]+/g, '-');
}

/**
 * Hands out names that are unique within a campaign: a name already taken gets
 * `_2`, `_3`, ... appended, and the rename is reported as a warning.
 */
export class UniqueNames {
  private readonly taken = new Set<string>();
  private readonly nextSuffix = new Map<string, number>();

  constructor(private readonly warnings: string[]) {}

  claim(name: string): string {
    if (!this.taken.has(name)) {
      this.taken.add(name);
      return name;
    }
    let suffix = this.nextSuffix.get(name) ?? 2;
    while (this.taken.has(`${name}_${suffix}`)) suffix += 1;
    const unique = `${name}_${suffix}`;
    this.nextSuffix.set(name, suffix + 1);
    this.taken.add(unique);
    this.warnings.push(`config name "${name}" is used more than once; this one is renamed "${unique}"`);
    return unique;
  }
}
