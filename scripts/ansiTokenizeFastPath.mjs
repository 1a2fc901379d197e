// esbuild plugin: backports the fast path of @alcalzone/ansi-tokenize 0.3
// (`isSameStyle`) into the 0.2.x that ink 6 depends on (ink 7+, which has
// 0.3, needs Node 22). Ink turns every frame into a string cell by cell
// (120×40 = 4,800 cells), and 0.2.x computes a style diff for every cell,
// building three Sets and five arrays even when neither cell has a style:
// ~6 MB of garbage per frame, the largest part of the TUI's peak RSS under
// a log flood (BENCHMARKS.md, section 3). Same output: an empty diff adds
// nothing to the string.
import { readFile } from 'node:fs/promises';

const FILE = /@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/;
const SLOW = `        else {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;
const FAST = `        else if (!isSameStyle(chars[i - 1].styles, char.styles)) {
            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));
        }`;
const IS_SAME_STYLE = `
/** Whether two reduced style arrays have an empty diff (from ansi-tokenize 0.3). */
function isSameStyle(from, to) {
    if (from === to)
        return true;
    if (from.length !== to.length)
        return false;
    for (let i = 0; i < from.length; i++) {
        if (from[i].code !== to[i].code || from[i].endCode !== to[i].endCode)
            return false;
    }
    return true;
}
`;

export const ansiTokenizeFastPath = {
  name: 'ansi-tokenize-fast-path',
  setup(build) {
    build.onLoad({ filter: FILE }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (source.includes('isSameStyle')) return { contents: source, loader: 'js' }; // 0.3+: has it
      if (!source.includes(SLOW)) {
        throw new Error(`${args.path} changed: update or drop scripts/ansiTokenizeFastPath.mjs`);
      }
      return { contents: source.replace(SLOW, FAST) + IS_SAME_STYLE, loader: 'js' };
    });
  },
};
