// The campaign manifest (LEM-FORMATS.md, "Manifest"): created from a plan,
// read leniently (llenergymeasure's own manifests included), written
// atomically after every change, merged with a new plan on resume, and moved
// aside (never deleted) when a run starts over. Each of those lives in its
// own module; this one is the single place the rest of lem-tui imports from.
export { parseManifestTime } from './manifestTime.js';
export { ManifestError, loadManifest, readManifest, type LoadedManifest } from './readManifest.js';
export { archiveManifest, writeManifest } from './manifestFile.js';
export { createManifest, updateEntry, type CreateManifestOptions, type EntryPatch } from './manifestEntries.js';
export { INTERRUPTED_BY_USER, mergeForResume, wasInterrupted, type ResumeOptions, type ResumeResult } from './resumeManifest.js';
