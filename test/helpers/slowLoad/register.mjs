// For test/cli/early-signals.test.ts: `node --import <this> dist/cli.js …`
// registers slowLoad.mjs, which makes the program's own modules load slowly,
// so that "while Node loads the program" lasts long enough to send a signal
// into it on purpose (normally ~100 ms).
import { register } from 'node:module';

register('./slowLoad.mjs', import.meta.url);
