// For test/cli/node-warnings.test.ts: `node --import <this> dist/cli.js …`
// makes Node raise one warning of its own kind (as a listener leak or a
// deprecation would) once the file LEM_TEST_WARN_WHEN exists (the run's
// manifest: the run has started).
import fs from 'node:fs';

const poll = setInterval(() => {
  if (!fs.existsSync(process.env.LEM_TEST_WARN_WHEN)) return;
  clearInterval(poll);
  process.emitWarning('a warning raised by the test', 'TestWarning');
}, 50);
poll.unref();
