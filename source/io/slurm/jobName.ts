// The Slurm job name of an experiment: `<compose project>-<exp id>`, i.e.
// `lem-<campaign id>-<folder key>-<exp id>`. The folder key (as in the compose
// project, compose/projectName.ts) keeps two same-name campaigns in two
// folders apart, so one's start-up sweep never cancels the other's jobs.
// Every attempt of an experiment has the same name: a later run finds it.
// Pure.

export function slurmJobName(project: string, expId: string): string {
  return `${project}-${expId}`;
}

/** The experiment a job of this campaign runs; null for a job of another. */
export function expIdOfJob(project: string, name: string): string | null {
  const prefix = `${project}-`;
  return name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : null;
}
