// A module hook (see register.mjs): the first module of dist/ other than the
// entry (dist/cli.js) waits LEM_SLOW_LOAD_MS before it loads, after touching
// the file LEM_SLOW_LOAD_MARK to say the program is being loaded. Every
// module the entry imports loads after the entry's first lines have run only
// if it imports them dynamically; a static import is loaded first.
import fs from 'node:fs';

let delayed = false;

export async function load(url, context, nextLoad) {
  const isProgram = url.startsWith('file:') && url.includes('/dist/') && !url.endsWith('/dist/cli.js');
  if (isProgram && !delayed) {
    delayed = true;
    fs.writeFileSync(process.env.LEM_SLOW_LOAD_MARK, '');
    await new Promise((resolve) => setTimeout(resolve, Number(process.env.LEM_SLOW_LOAD_MS)));
  }
  return nextLoad(url, context);
}
