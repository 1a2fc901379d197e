// Container output is meant for a terminal: colours, cursor moves, progress
// bars redrawn with \r. The log pane and the reports show plain text, so each
// line is reduced to what a reader would have seen last on that line.

// ESC sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST, possibly cut
// off at the end of the line), DCS/SOS/PM/APC strings (ESC P|X|^|_ ... ST),
// and the short ones (ESC ( B, ESC 7, ESC =, ...); plus the 8-bit CSI (0x9b).
const ANSI =
  /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[PX^_][^\u001b]*(?:\u001b\\)?|[ -/]*[0-~])|\u009b[0-?]*[ -/]*[@-~]/g;

// C0 and C1 controls except tab (\t is kept; \n and \r are handled before).
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** Removes ANSI escape sequences; leaves every other character alone. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') || text.includes('\u009b') ? text.replace(ANSI, '') : text;
}

/**
 * One line as a reader would have seen it: no escape sequences; of a line
 * redrawn with \r (a progress bar) only the last drawing; backspaces applied;
 * no other control characters. A trailing \r (CRLF output) is just dropped.
 */
export function cleanLine(raw: string): string {
  let line = stripAnsi(raw);
  let end = line.length;
  while (end > 0 && line.charCodeAt(end - 1) === 13) end--;
  if (end < line.length) line = line.slice(0, end);
  const cr = line.lastIndexOf('\r');
  if (cr >= 0) line = line.slice(cr + 1);
  if (line.includes('\b')) line = applyBackspaces(line);
  return line.replace(CONTROLS, '');
}

/** Splits a chunk that may hold several lines (\n or \r\n) and cleans each. */
export function cleanLines(raw: string): string[] {
  return raw.includes('\n') ? raw.split('\n').map(cleanLine) : [cleanLine(raw)];
}

function applyBackspaces(line: string): string {
  const out: string[] = [];
  for (const ch of line) {
    if (ch === '\b') out.pop();
    else out.push(ch);
  }
  return out.join('');
}
